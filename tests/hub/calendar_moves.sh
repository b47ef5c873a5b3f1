#!/bin/sh
# A working-day calendar the operator imports on the hub moves the deadlines
# already open, on the hub and on the terminals, by the one set of rules
# (core's deadline_due): an open deadline moves when a holiday is added on
# a day it counts, a breach already recorded as an event stays recorded (its
# deadline_missed event and its due time), and the hub's summary shows the
# moved due time the desk shows.  A §30 return clock opened before the
# terminal kept what a clock counts from (basis_ms 0, as its migration left
# the old rows) moves too: it counts from the end of storage, not from its
# start.  (§27 counts calendar days to its new date: no calendar moves it.)
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/pg.sh"
. "$(dirname "$0")/../support/amhub.sh"
amhub_setup
expect_exit 0 amhub register import "$SAMPLES/register-inbound.json"
DESK=$(amhub_device DESK-1 KP-ALM-007) && SUP=$(amhub_device SUP-1 KP-ALM-007) || fail "device add"
amhub_start A
term_conf desk "$DESK" "point = KP-ALM-007"
expect_exit 0 term desk init --device-id DESK-1 --point KP-ALM-007
expect_exit 0 term desk sync
DB="$T/desk.db"
E1=RR402118737KZ E2=RR402118745KZ
# E1 accepted on Thursday 26 March: §11, 3 working days, due at the end of
# Tuesday 31 March; on 2 April its breach is recorded.  E2 accepted on
# Thursday 2 April: due at the end of Tuesday 7 April.
AMANAT_NOW="2026-03-26 10:00" expect_exit 0 term desk accept R-2026-000123 $E1
AMANAT_NOW="2026-04-02 09:00" expect_exit 0 term desk accept R-2026-000123 $E2
# E3 placed on Sunday 29 March: storage (3 calendar days) ends at 24:00 on
# Wednesday 1 April; removed late on 2 April, its §30 return (1 working
# day) counts from the end of storage: due at the end of Thursday 2 April
E3=RR402118754KZ
AMANAT_NOW="2026-03-29 09:00" expect_exit 0 term desk accept R-2026-000123 $E3
AMANAT_NOW="2026-03-29 09:10" expect_exit 0 term desk handover COURIER-1 $E3
AMANAT_NOW="2026-03-29 09:20" expect_exit 0 term desk place $E3 PM-ALM-0042 A07
AMANAT_NOW="2026-04-02 09:02" expect_exit 0 term desk expire $E3
AMANAT_NOW="2026-04-02 09:05" expect_exit 0 term desk sync
due() { sqlite3 "$DB" "SELECT due_ms FROM clock WHERE waybill = '$1' AND clock = '${2:-wait-at-point}' AND closed_ms = 0"; }
iso() { python3 -c "import datetime as d; print(d.datetime.fromtimestamp($1 // 1000, d.timezone(d.timedelta(hours=5))).isoformat())"; }
assert_eq "$(iso "$(due $E1)")" "2026-04-01T00:00:00+05:00"
assert_eq "$(iso "$(due $E2)")" "2026-04-08T00:00:00+05:00"
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM event WHERE type = 'deadline_missed' AND waybill = '$E1'")" 1 "E1's breach recorded"
MISSED=$(sqlite3 "$DB" "SELECT payload FROM event WHERE type = 'deadline_missed' AND waybill = '$E1'")
# before the new calendar, the hub reckons E2 as the desk does
summary_due() {
	assert_eq "$(hub_get /v1/point/summary "$SUP")" 200
	json_get '[i["due_ms"] for i in d["deadlines"]["items"] if i["waybill"] == "'"$1"'"][0]' < "$T/resp"
}
assert_eq "$(summary_due $E2)" "$(due $E2)" "hub and desk agree before"
assert_eq "$(iso "$(due $E3 return)")" "2026-04-03T00:00:00+05:00"
assert_eq "$(summary_due $E3)" "$(due $E3 return)" "hub and desk agree on E3's return before"
# as a clock opened before basis_ms existed: the column's default
sqlite3 "$DB" "UPDATE clock SET basis_ms = 0 WHERE waybill = '$E3' AND clock = 'return'"
# the operator adds three days off: Monday 30 March (inside E1's breached
# period), Thursday 2 April (E3's return day; E2 counts from the day after)
# and Monday 6 April (inside E2's open one)
{ cat "$CAL"; printf '2026-03-30 off  a day off by decree (test)\n2026-04-02 off  a day off by decree (test)\n'
  printf '2026-04-06 off  a day off by decree (test)\n'; } > "$T/kz-2026-new.txt"
expect_exit 0 amhub calendar import "$T/kz-2026-new.txt"
# the hub applies it to the open deadline at once
assert_eq "$(iso "$(summary_due $E2)")" "2026-04-09T00:00:00+05:00" "the hub moved E2 by the new day off"
# the desk takes it from the feed and moves its open deadline
AMANAT_NOW="2026-04-02 10:00" expect_exit 0 term desk sync
assert_eq "$(iso "$(due $E2)")" "2026-04-09T00:00:00+05:00" "the desk moved E2 by the new day off"
assert_eq "$(sqlite3 "$DB" "SELECT base_due_ms = due_ms FROM clock WHERE waybill = '$E2' AND closed_ms = 0")" 1
assert_eq "$(summary_due $E2)" "$(due $E2)" "hub and desk agree after"
# the old §30 clock moved as well: to the end of Friday 3 April, on both sides
assert_eq "$(iso "$(due $E3 return)")" "2026-04-04T00:00:00+05:00" "the desk moved E3's old return clock"
assert_eq "$(summary_due $E3)" "$(due $E3 return)" "hub and desk agree on E3's return after"
# the breach recorded stays recorded, its clock's due time with it
assert_eq "$(iso "$(due $E1)")" "2026-04-01T00:00:00+05:00" "a recorded breach keeps its due time"
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM event WHERE type = 'deadline_missed' AND waybill = '$E1'")" 1
assert_eq "$(sqlite3 "$DB" "SELECT payload FROM event WHERE type = 'deadline_missed' AND waybill = '$E1'")" "$MISSED"
assert_eq "$(pg_sql "SELECT count(*) FROM event WHERE type = 'deadline_missed' AND waybill = '$E1'")" 1 "and on the hub"
# the terminal says which calendar it uses; its log still verifies
OUT=$(term desk doctor 2>&1)	# (the temp folder's modes are not a terminal's)
assert_contains "$OUT" "kz-2026-new.txt (from the point hub)"
expect_exit 0 term desk verify
# a later start reckons nothing again: the same due times
AMANAT_NOW="2026-04-02 11:00" expect_exit 0 term desk deadlines
assert_eq "$(iso "$(due $E2)")" "2026-04-09T00:00:00+05:00"
amhub_done
