#!/bin/sh
# Runs every benchmark: bench/*.sh scripts, each printing its figure beside
# the figure of the raw floor it is compared with.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
export AMANAT_TOP="$top"
: "${AMANAT_BIN:=$top/build/release/amanat}"
: "${AMANAT_BENCHBIN:=$top/build/release/bench}"
export AMANAT_BIN AMANAT_BENCHBIN
rc=0
for b in "$top"/bench/*.sh; do
	[ -e "$b" ] || continue
	[ "$(basename "$b")" = run-all.sh ] && continue
	echo "== $(basename "$b" .sh)"
	sh "$b" || { echo "benchmark $(basename "$b") failed"; rc=1; }
done
exit $rc
