#!/bin/sh
# Importing registers of 10,000 and 100,000 lines (validation, lines,
# envelopes, an event each with its hash, the finish's fsync'd commit) beside the bulk
# floor: the same rows in one transaction into bare tables; then the same
# 10,000 lines through `amanat register import FILE` (reading the file
# included), as JSON and as CSV, each into a new database, beside the same
# command's start and end with nothing to import (`register list`).
set -eu
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
"$AMANAT_BENCHBIN/bench_import" 10000 100000
python3 "$AMANAT_TOP/tests/support/genreg.py" R-IMP 10000 > "$T/reg.json"
python3 - "$T/reg.json" > "$T/reg.csv" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print("register,kind,from,to,formed_at,waybill,application,postomat,city,iin")
for it in r["items"]:
    print(",".join([r["register"], r["kind"], r["from"], r["to"], r["formed_at"], it["waybill"],
                    it["application"], it["postomat"], it["city"], ""]))
PY
for f in json csv; do
	A="$AMANAT_BIN --db $T/$f.db --calendar $AMANAT_TOP/assets/calendar/kz-2026.txt"
	$A init --device-id BENCH >/dev/null
	s=$(date +%s%N); $A register list >/dev/null; e=$(date +%s%N)
	idle=$(( (e - s) / 1000000 ))
	s=$(date +%s%N); $A register import "$T/reg.$f" >/dev/null; e=$(date +%s%N)
	echo "  amanat register import (10,000-line $(echo $f | tr a-z A-Z), whole command): $(( (e - s) / 1000000 )) ms" \
	     "(the command with nothing to do: $idle ms)"
done
