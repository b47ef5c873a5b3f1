#!/bin/sh
# An envelope's clocks and events are found without an index of waybills
# (schema 24: clocks by their envelope's rowid; 25: events linked from it): after each step of a varied life (a clock of one kind
# opened twice, breaches recorded and closed late, a loss's duplicate clock,
# a hand-back closing every clock), `amanat status` answers for every
# envelope what its rows say, read by sqlite3 over the whole tables
# (tests/support/by_waybill.py).  An old database (schema 11) brought
# forward answers so too, and its clocks keep every column but the id.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/layout.sh"
W1=RR402118737KZ W2=RR402118745KZ W3=RR402118754KZ W4=RR402118768KZ
at() { AMANAT_NOW="$1"; export AMANAT_NOW; }
now_ms() { python3 -c "import datetime, sys; print(int(datetime.datetime.fromisoformat(sys.argv[1] + '+05:00').timestamp() * 1000))" "$AMANAT_NOW"; }
same() {
	expect_exit 0 python3 "$AMANAT_TOP/tests/support/by_waybill.py" "$DB" "$(now_ms)" "$AMANAT_BIN" --db "$DB" --calendar "$CAL"
	assert_contains "$OUT" "$1 envelopes answered"
}

at "2026-03-19 17:00"
expect_exit 0 am init --device-id WB-1 --point KP-ALM-007
expect_exit 0 am register import "$SAMPLES/register-inbound.json"
same 5
at "2026-03-20 15:30"
expect_exit 0 am accept R-2026-000123 $W1 $W2 $W3 $W4
same 5
at "2026-03-20 16:00"
expect_exit 0 am handover COURIER-7 $W1 $W3 $W4
# W1: a new date twice (two §27 clocks, the first closed by the second),
# the second passed (a breach), then placed late
expect_exit 0 am delay $W1 --until 2026-03-26 --reason "traffic"
expect_exit 0 am delay $W1 --until 2026-03-27 --reason "traffic again"
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM clock WHERE waybill = '$W1' AND clock = 'late-delivery'")" 2
same 5
at "2026-03-28 09:00"
expect_exit 0 am deadlines
expect_exit 0 am place $W1 PM-ALM-0042 A07
# W3 lost on the way: every clock closed, the duplicate's opened
expect_exit 0 am lost $W3 --reason "bag torn on route 2"
same 5
# W1 removed late and returned; W4 placed, collected
at "2026-04-08 10:00"
expect_exit 0 am expire $W1
expect_exit 0 am return $W1
expect_exit 0 am place $W4 PM-ALM-0051 A08
expect_exit 0 am collect $W4
same 5
# the ids: each envelope's clocks in its own range, a register's below 0
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM clock c WHERE waybill <> '' AND id NOT BETWEEN
  (SELECT rowid FROM envelope v WHERE v.waybill = c.waybill) * 1024 AND (SELECT rowid FROM envelope v WHERE v.waybill = c.waybill) * 1024 + 1023")" 0
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM clock WHERE waybill = '' AND id >= 0")" 0
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM sqlite_master WHERE name = 'clock_waybill'")" 0
# the events: an envelope's own steps linked from its row, newest last
# (schema 25), its import's "registered" event first (prev_seq 0); the
# index of waybills keeps only the others (the scan of a code on no register)
expect_exit 0 am accept R-2026-000123 RR000000014KZ
assert_contains "$OUT" "unexpected"
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM event WHERE waybill <> '' AND prev_seq IS NULL
  AND type <> 'scan_unexpected'")" 0
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM event WHERE type = 'registered' AND prev_seq = 0")" 5
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM event WHERE prev_seq IS NOT NULL")" \
  "$(sqlite3 "$DB" "SELECT count(*) FROM event WHERE waybill <> '' AND type <> 'scan_unexpected'")"
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM envelope v WHERE last_seq IS NOT
  (SELECT max(seq) FROM event e WHERE e.waybill = v.waybill AND e.prev_seq IS NOT NULL)
  AND last_seq <> 0")" 0
assert_contains "$(sqlite3 "$DB" "SELECT sql FROM sqlite_master WHERE name = 'event_waybill'")" "prev_seq IS NULL"
same 5
layout_ok "$DB"
expect_exit 0 am verify

# schema 11 brought forward: every clock kept (all but its id), answered as its rows say
cp "$AMANAT_TOP/tests/store/schema11.db" "$T/old.db" && chmod 600 "$T/old.db"
DB="$T/old.db"
unset AMANAT_NOW
AMANAT_NOW=$(date '+%Y-%m-%d %H:%M'); export AMANAT_NOW
cols="clock, waybill, register_id, started_ms, due_ms, closed_ms, missed_ms, base_due_ms"
sqlite3 "$DB" "SELECT $cols FROM clock ORDER BY waybill, clock, started_ms, id" > "$T/clocks-before"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM clock WHERE waybill <> ''")" -gt 5 ] || fail "the old database has too few clocks"
expect_exit 0 am verify
sqlite3 "$DB" "SELECT $cols FROM clock ORDER BY waybill, clock, started_ms, id" > "$T/clocks-after"
cmp -s "$T/clocks-before" "$T/clocks-after" || fail "the clocks changed: $(diff "$T/clocks-before" "$T/clocks-after" | head -5)"
same 40
layout_ok "$DB"
done_ok
