#!/bin/sh
# §27 and §29-30 with a fixed clock: the new delivery date is a clock (due at
# the end of that date, breached when passed); an envelope the courier could
# not place and brought back is "brought_back" and may go out again, unlike an
# expired return; an early removal needs its reason and travels as such.
. "$(dirname "$0")/../support/testlib.sh"
W1=RR402118737KZ W2=RR402118745KZ W3=RR402118754KZ
at() { AMANAT_NOW="$1"; export AMANAT_NOW; }
at "2026-03-26 09:00"
expect_exit 0 am init --device-id LATE-1 --point KP-ALM-007
expect_exit 0 am register import "$SAMPLES/register-inbound.json"
expect_exit 0 am accept R-2026-000123 $W1 $W2 $W3
at "2026-03-26 10:00"
expect_exit 0 am handover COURIER-7 $W1 $W2 $W3

# the postomat is down: a new date, and the envelope comes back
at "2026-03-26 15:00"
expect_exit 0 am delay $W1 --until 2026-03-27 --reason "postomat PM-ALM-0042 out of service"
expect_exit 0 am --json deadlines
assert_eq "$(echo "$OUT" | json_get '[(x["clock"], x["paragraph"], x["due"]) for x in d if x["waybill"] == "'$W1'"]')" \
  "[('late-delivery', 27, '2026-03-28T00:00:00+05:00')]"
at "2026-03-26 18:00"
expect_exit 0 am --json return $W1
assert_eq "$(echo "$OUT" | json_get 'd["state"]')" brought_back
# it goes out again the next morning and is placed on the new date: no breach
at "2026-03-27 09:00"
expect_exit 0 am handover COURIER-7 $W1
at "2026-03-27 11:00"
expect_exit 0 am place $W1 PM-ALM-0042 A07
expect_exit 0 am --json status $W1
assert_eq "$(echo "$OUT" | json_get 'd["breaches"]')" "[]"
assert_eq "$(echo "$OUT" | json_get '[h["type"] for h in d["history"]]')" \
  "['registered', 'accepted', 'out_for_delivery', 'delayed', 'brought_back', 'out_for_delivery', 'placed']"

# a new date passed: a breach (§27), written by the first run after it, closed late on placing
at "2026-03-26 16:00"
expect_exit 0 am delay $W2 --until 2026-03-26 --reason "traffic"
at "2026-03-27 00:30"
expect_exit 0 am deadlines
assert_eq "$(sqlite3 "$DB" "SELECT payload ->> 'clock', payload ->> 'due' FROM event WHERE type = 'deadline_missed' AND waybill = '$W2'")" \
  "late-delivery|2026-03-27T00:00:00+05:00"
at "2026-03-27 10:00"
expect_exit 0 am place $W2 PM-ALM-0043 B01
assert_eq "$(sqlite3 "$DB" "SELECT payload ->> 'late_minutes' FROM event WHERE type = 'deadline_closed_late' AND waybill = '$W2'")" 600

# an expired return cannot go out again
at "2026-03-27 12:00"
expect_exit 0 am place $W3 PM-ALM-0042 A08
# early: refused without a reason; with one, it travels as an early removal
at "2026-03-28 10:00"
expect_exit 1 am expire $W3
assert_contains "$ERR" "--reason"
expect_exit 0 am expire $W3 --reason "cell A08 door broken, moved by the technician"
assert_eq "$(sqlite3 "$DB" "SELECT payload ->> 'early', payload ->> 'reason', payload ->> 'application' FROM event WHERE type = 'expired_removed' AND waybill = '$W3'")" \
  "1|cell A08 door broken, moved by the technician|KZ-APP-2026-001002"
expect_exit 0 am return $W3
expect_exit 1 am handover COURIER-7 $W3
assert_contains "$OUT $ERR" "returned_to_point"
# a removal after the 3 days needs no reason and is not early (storage 28-30 -> 31 Mar 00:00)
at "2026-03-31 09:00"
expect_exit 0 am expire $W1
assert_eq "$(sqlite3 "$DB" "SELECT payload ->> 'early' FROM event WHERE type = 'expired_removed' AND waybill = '$W1'")" 0
expect_exit 0 am verify
done_ok
