#!/bin/sh
# A year of a busy point (1,000,000 events, written by bench/gen_year through
# the store's own functions): every screen's store calls, verify (full and
# from its anchor), `report shift`, scans on top of the year, memory.
# BENCH_BIG=1 also builds and measures 10,000,000 events (slow: tens of
# minutes to generate).  The databases are kept in build/bench-data and made
# again when gen_year is newer than them.
set -eu
DATA="$AMANAT_TOP/build/bench-data"
mkdir -p "$DATA"
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
sizes=${BENCH_YEAR_EVENTS:-1000000}
[ "${BENCH_BIG:-0}" = 1 ] && sizes="$sizes 10000000"
for n in $sizes; do
	db="$DATA/year-$n.db"
	if [ ! -f "$db" ] || [ "$AMANAT_BENCHBIN/gen_year" -nt "$db" ]; then
		echo "generating $n events (once; kept in $db) ..."
		rm -f "$db" "$db.tmp" "$db.tmp-wal" "$db.tmp-shm"
		"$AMANAT_BENCHBIN/gen_year" "$db.tmp" "$n" "$AMANAT_TOP/assets/calendar/kz-2026.txt"
		mv "$db.tmp" "$db"
	fi
	echo "-- $n events ($(du -m "$db" | cut -f1) MB)"
	cp "$db" "$T/y.db"
	A="$AMANAT_BIN --db $T/y.db --calendar $AMANAT_TOP/assets/calendar/kz-2026.txt"
	$A status RR10000000KZ >/dev/null 2>&1 || true	# bring an older file's schema forward, once
	rm -f "$T"/y.db.v*.bak
	s=$(date +%s%N); $A report shift --dir "$T/rep" >/dev/null; e=$(date +%s%N)
	echo "  report shift (text + CSV)          $(( (e - s) / 1000000 )) ms  (target 200 ms, start-up included)"
	s=$(date +%s%N); $A verify >/dev/null; e=$(date +%s%N)
	echo "  amanat verify (full, the command)  $(( (e - s) / 1000000 )) ms"
	s=$(date +%s%N); $A verify --quick >/dev/null; e=$(date +%s%N)
	echo "  amanat verify --quick (nothing new) $(( (e - s) / 1000000 )) ms  (target 100 ms)"
	"$AMANAT_BENCHBIN/bench_year" "$T/y.db" "${BENCH_YEAR_SCANS:-2000}"
	rm -f "$T/y.db" "$T/y.db-wal" "$T/y.db-shm"
done
