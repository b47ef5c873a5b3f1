#!/bin/sh
# A breach stays recorded: verify (full and --quick) refuses a log whose
# deadline_missed event has lost its clock row's mark (missed_ms), or the row
# itself, or whose deadline_closed_late event's row was closed at another
# time, for an envelope's clock and for a register's; the screens and the
# shift report read those rows, so such an edit would make a breach vanish.
# (An open clock past due whose mark is taken off is marked again, with a
# second event, by the next command's sweep: only closed ones stay unmarked.)
. "$(dirname "$0")/../support/testlib.sh"
W1=RR402118737KZ W2=RR402118745KZ
at() { AMANAT_NOW="$1"; export AMANAT_NOW; }

at "2026-03-19 17:00"
expect_exit 0 am init --device-id DESK-1 --point KP-ALM-007
expect_exit 0 am register import "$SAMPLES/register-inbound.json"   # formed Thu 19 Mar 16:40
at "2026-03-20 12:30"                                  # §17 courier-delivery missed (the register's)
expect_exit 0 am deadlines
at "2026-03-20 15:30"
expect_exit 0 am accept R-2026-000123 $W1 $W2            # to-point missed and closed late too
at "2026-03-31 10:00"                                  # W1, W2 waited at the point past their 3 days
expect_exit 0 am deadlines
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM event WHERE type = 'deadline_missed'")" 4
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM clock WHERE missed_ms <> 0")" 4
expect_exit 0 am verify
assert_contains "$OUT" "intact"
cp "$DB" "$T/orig.db"

tamper() {  # tamper SQL WHO CLOCK [WHAT]: verify names the clock table, the clock and the event
	cp "$T/orig.db" "$DB"; rm -f "$DB-wal" "$DB-shm"
	sqlite3 "$DB" "$1" || fail "sqlite3: $1"
	expect_exit 1 am verify
	assert_contains "$ERR" "derived table clock"
	assert_contains "$ERR" "$2 $3"
	assert_contains "$ERR" "lost the ${4:-breach} that event"
	expect_exit 1 am --json verify
	assert_eq "$(echo "$OUT" | json_get 'd["ok"]')" False
}
tamper "UPDATE clock SET missed_ms = 0 WHERE register_id = 'R-2026-000123' AND waybill = '' AND clock = 'courier-delivery'" \
	R-2026-000123 courier-delivery
tamper "DELETE FROM clock WHERE waybill = '' AND clock = 'to-point'" R-2026-000123 to-point
# closed late: how late is the row's closing time, which the event says
tamper "UPDATE clock SET closed_ms = due_ms WHERE waybill = '' AND clock = 'courier-delivery'" \
	R-2026-000123 courier-delivery "late closing"
tamper "UPDATE clock SET closed_ms = closed_ms - 3600000 WHERE waybill = '' AND clock = 'to-point'" \
	R-2026-000123 to-point "late closing"
# an open clock past due whose mark is taken off is marked again by the next
# command's sweep (a second deadline_missed): its row taken away is not
tamper "DELETE FROM clock WHERE waybill = '$W2' AND clock = 'wait-at-point'" $W2 wait-at-point
tamper "DELETE FROM clock WHERE waybill = '$W1'" $W1 wait-at-point
# a breach moved to another start is not the one recorded either
tamper "UPDATE clock SET started_ms = started_ms + 60000 WHERE waybill = '$W1' AND clock = 'wait-at-point'" \
	$W1 wait-at-point

# untouched, it passes; the quick check looks at the breaches after its anchor
cp "$T/orig.db" "$DB"; rm -f "$DB-wal" "$DB-shm"
expect_exit 0 am verify
at "2026-03-31 11:00"
expect_exit 0 am handover COURIER-7 $W1
at "2026-03-31 12:00"
expect_exit 0 am place $W1 PM-ALM-0042 A07
at "2026-04-20 10:00"                                  # taken out long after its return day
expect_exit 0 am expire $W1
expect_exit 0 am deadlines
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM event WHERE type = 'deadline_missed'")" 5
cp "$DB" "$T/later.db"
expect_exit 0 am verify --quick
assert_contains "$OUT" "intact"
cp "$T/later.db" "$DB"; rm -f "$DB-wal" "$DB-shm"
sqlite3 "$DB" "DELETE FROM clock WHERE waybill = '$W1' AND clock = 'return'"
expect_exit 1 am verify --quick
assert_contains "$ERR" "$W1 return"
assert_contains "$ERR" "lost the breach that event"
done_ok
