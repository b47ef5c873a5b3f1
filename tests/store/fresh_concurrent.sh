#!/bin/sh
# Several processes at once on one database, the way a point works: two
# desks accept two registers while a third hands accepted envelopes to a
# courier and a fourth lists the open deadlines, over and over.  Each
# acceptance opens a clock that is "fresh" (schema 28: listed in log_head,
# out of the index of due times until 32 go in at once), and the list is
# shared by all of them.  Afterwards every open deadline is listed by
# `amanat deadlines` (against SQLite reading the table without an index),
# every accepted envelope has its open wait clock, the fresh marks and the
# list agree (tests/support/layout.sh) and the chain verifies.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/layout.sh"
N=${FRESH_N:-150}
python3 "$AMANAT_TOP/tests/support/genreg.py" R-FA "$N" 10000000 > "$T/a.json"
python3 "$AMANAT_TOP/tests/support/genreg.py" R-FB "$N" 20000000 | sed 's/"R-FA"/"R-FB"/' > "$T/b.json"
expect_exit 0 am init --device-id FRESH-1
expect_exit 0 am register import "$T/a.json"
expect_exit 0 am register import "$T/b.json"
codes() { python3 -c "import json,sys; [print(i['waybill']) for i in json.load(open(sys.argv[1]))['items']]" "$1"; }
codes "$T/a.json" > "$T/a.codes"
codes "$T/b.json" > "$T/b.codes"
[ "$(wc -l < "$T/a.codes")" = "$N" ] || fail "register A has not $N lines"

export AMANAT_NOW="2026-03-20 10:00"
am accept R-FA - < "$T/a.codes" > "$T/a.out" 2>&1 &
a=$!
am accept R-FB - < "$T/b.codes" > "$T/b.out" 2>&1 &
b=$!
# the courier takes the first envelopes of A as they come (refused, with
# its reason, while one is not accepted yet: tried again next round)
(
	k=0
	while [ $k -lt 20 ]; do
		k=$((k + 1))
		head -n $((k * 3)) "$T/a.codes" | xargs "$AMANAT_BIN" --db "$DB" --calendar "$CAL" \
			handover COURIER-1 >/dev/null 2>&1
		sleep 0.05
	done
) &
h=$!
# the supervisor's list, read again and again while they all write
(
	k=0
	while [ $k -lt 25 ]; do
		k=$((k + 1))
		"$AMANAT_BIN" --db "$DB" --calendar "$CAL" --json deadlines > "$T/d.$k" 2>&1 ||
			echo "deadlines failed: $(cat "$T/d.$k")" >> "$T/reader.err"
	done
) &
r=$!
wait $a || fail "desk A: $(tail -3 "$T/a.out")"
wait $b || fail "desk B: $(tail -3 "$T/b.out")"
wait $h
wait $r
[ -s "$T/reader.err" ] && fail "$(cat "$T/reader.err")"
assert_eq "$(grep -c ' matched$' "$T/a.out")" "$N" "desk A's matched scans"
assert_eq "$(grep -c ' matched$' "$T/b.out")" "$N" "desk B's matched scans"
# the last handovers after both desks are done
am handover COURIER-1 $(head -n 60 "$T/a.codes") >/dev/null 2>&1
handed=$(sqlite3 "$DB" "SELECT count(*) FROM envelope WHERE state = 'out_for_delivery'")
[ "$handed" -gt 0 ] || fail "no envelope was handed over"

# every open deadline is listed, and each accepted envelope's wait is open
expect_exit 0 am --json deadlines
listed=$(echo "$OUT" | json_get 'len(d) if isinstance(d, list) else len(d.get("deadlines", d.get("clocks", [])))')
truth=$(sqlite3 "$DB" "SELECT count(*) FROM clock NOT INDEXED WHERE closed_ms = 0")
assert_eq "$listed" "$truth" "open deadlines listed by amanat deadlines"
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM envelope v WHERE v.state = 'accepted' AND NOT EXISTS
  (SELECT 1 FROM clock c NOT INDEXED WHERE c.waybill = v.waybill AND c.clock = 'wait-at-point' AND c.closed_ms = 0)")" 0 \
	"accepted envelopes without their open wait clock"
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM clock NOT INDEXED WHERE closed_ms = 0 AND clock = 'wait-at-point'")" \
	"$(( 2 * N - handed ))" "open wait clocks"
layout_ok "$DB"
expect_exit 0 am --json verify
assert_eq "$(echo "$OUT" | json_get 'd["ok"]')" True
done_ok
