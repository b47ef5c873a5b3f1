#!/bin/sh
# Importing registers of 10,000 and 100,000 lines (validation, lines,
# envelopes, an event each with its hash, the finish's fsync'd commit) beside the bulk
# floor: the same rows in one transaction into bare tables; then the same
# 10,000 lines through `amanat register import FILE` (JSON parsing included).
set -eu
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
"$AMANAT_BENCHBIN/bench_import" 10000 100000
python3 "$AMANAT_TOP/tests/support/genreg.py" R-IMP 10000 > "$T/reg.json"
A="$AMANAT_BIN --db $T/a.db --calendar $AMANAT_TOP/assets/calendar/kz-2026.txt"
$A init --device-id BENCH >/dev/null
s=$(date +%s%N); $A register import "$T/reg.json" >/dev/null; e=$(date +%s%N)
echo "  amanat register import (10,000-line JSON, whole command): $(( (e - s) / 1000000 )) ms"
