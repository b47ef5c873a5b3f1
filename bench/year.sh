#!/bin/sh
# A year of a busy point (1,000,000 events, written by bench/gen_year through
# the store's own functions): every screen's store calls, verify (full and
# from its anchor), `report shift`, scans on top of the year, memory.
# BENCH_BIG=1 also measures 10,000,000 events (generating them takes about
# 15 minutes of CPU: gen_year writes each day as one bulk transaction).
# The databases are kept in BENCH_DATA (default build/bench-data) and made
# only when missing, or again with BENCH_YEAR_REGEN=1 (any build makes
# gen_year newer than a shared 10M file: never a reason for 15 minutes of
# CPU and 8 GB more on its own); they are written on tmpfs
# (/dev/shm) when it has room: a generator has no use for fsync, and the
# hash chain is the same.  BENCH_YEAR_SCANS: scans on top
# (10,000: a busy shift).  A database bigger than 2 GB is measured in place
# (its schema brought forward once) instead of on a copy.
set -eu
DATA=${BENCH_DATA:-$AMANAT_TOP/build/bench-data}
CAL="$AMANAT_TOP/assets/calendar/kz-2026.txt"
mkdir -p "$DATA"
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
sizes=${BENCH_YEAR_EVENTS:-1000000}
[ "${BENCH_BIG:-0}" = 1 ] && sizes="$sizes 10000000"
ms() { echo $(( ($2 - $1) / 1000000 )); }
# CPU (user + system) of this shell's children: `times` (its second line)
# noted in this shell (not in a $(...) subshell, which has no children),
# and the ms between two notes
cpu_mark() { times > "$T/cpu.$1"; }
cpu_ms() { awk 'FNR == 2 { split($1, u, "m"); split($2, s, "m"); t[++n] = (u[1] * 60 + u[2] + s[1] * 60 + s[2]) * 1000 }
	END { printf "%d", t[2] - t[1] }' "$T/cpu.$1" "$T/cpu.$2"; }
for n in $sizes; do
	db="$DATA/year-$n.db"
	if [ ! -f "$db" ] || [ "${BENCH_YEAR_REGEN:-0}" = 1 ]; then
		echo "generating $n events (once; kept in $db) ..."
		gen="$db.tmp"
		need=$(( n / 2000 ))	# MB: about 500 bytes an event
		room=$(df -Pm /dev/shm 2>/dev/null | awk 'NR == 2 { print $4 }')
		[ "${room:-0}" -gt $(( need * 2 )) ] && gen="/dev/shm/amanat-year-$$.db"
		rm -f "$db" "$gen" "$gen-wal" "$gen-shm"
		"$AMANAT_BENCHBIN/gen_year" "$gen" "$n" "$CAL"
		[ "$gen" = "$db.tmp" ] || { cp "$gen" "$db.tmp"; rm -f "$gen" "$gen-wal" "$gen-shm"; }
		mv "$db.tmp" "$db"
	fi
	mb=$(du -m "$db" | cut -f1)
	echo "-- $n events ($mb MB)"
	y="$db"
	if [ "$mb" -lt 2000 ]; then
		cp "$db" "$T/y.db"
		y="$T/y.db"
	fi
	A="$AMANAT_BIN --db $y --calendar $CAL"
	$A status RR10000000KZ >/dev/null 2>&1 || true	# bring an older file's schema forward, once
	rm -f "$y".v*.bak
	: > "$T/empty.conf"
	echo "  start-up to the first screen (log-in, 80x24 pty), median and slowest of 10:"
	command -v sqlite3 >/dev/null &&
		echo "    floor: sqlite3 DB 'SELECT 1'     $("$AMANAT_BENCHBIN/bench_start" 10 -- sqlite3 "$y" 'SELECT 1')"
	echo "    amanat --help (loading alone)    $(AMANAT_CONFIG="$T/empty.conf" "$AMANAT_BENCHBIN/bench_start" 10 -- $AMANAT_BIN --help)"
	echo "    amanat ui (target 30 ms)         $(AMANAT_CONFIG="$T/empty.conf" "$AMANAT_BENCHBIN/bench_start" 10 -- $A ui)"
	cpu_mark a; s=$(date +%s%N); $A report shift --dir "$T/rep" >/dev/null; e=$(date +%s%N); cpu_mark b
	echo "  report shift (text + CSV)          $(ms "$s" "$e") ms, CPU $(cpu_ms a b) ms  (target 200 ms, start-up included)"
	cpu_mark a; s=$(date +%s%N); $A verify >/dev/null; e=$(date +%s%N); cpu_mark b
	echo "  amanat verify (full, the command)  $(ms "$s" "$e") ms, CPU $(cpu_ms a b) ms  ($n events; target $(( n / 1000 )) ms on the clock: 1,000,000 a second; one thread a CPU, $(getconf _NPROCESSORS_ONLN) here)"
	s=$(date +%s%N); $A verify --quick >/dev/null; e=$(date +%s%N)
	echo "  amanat verify --quick (nothing new) $(ms "$s" "$e") ms  (target 100 ms)"
	"$AMANAT_BENCHBIN/bench_year" "$y" "${BENCH_YEAR_SCANS:-10000}"
	[ "$y" = "$db" ] || rm -f "$y" "$y-wal" "$y-shm"
done
