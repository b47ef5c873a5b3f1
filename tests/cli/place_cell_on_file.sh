#!/bin/sh
# A cell not on file is refused once the postomat's cells are known: a
# mistyped or misread cell ("A7" for "A07") would record the envelope where
# the parent will not find it.  Before the postomat's cells are imported any
# cell is taken (a point starts before its first sync).  Nothing is written
# for a refused placement.
. "$(dirname "$0")/../support/testlib.sh"
W1=RR402118737KZ W2=RR402118745KZ W3=RR402118754KZ
expect_exit 0 am init --device-id CELL-1 --point KP-ALM-007
expect_exit 0 am register import "$SAMPLES/register-inbound.json"
expect_exit 0 am accept R-2026-000123 $W1 $W2 $W3
expect_exit 0 am handover COURIER-7 $W1 $W2 $W3
# no cells on file yet: taken as scanned
expect_exit 0 am place $W2 PM-ALM-0043 C99
expect_exit 0 am postomat import "$SAMPLES/postomats.json"
EVENTS=$(sqlite3 "$DB" "SELECT count(*) FROM event")
# on file now: a cell the postomat does not have is refused, and says why
# (another cell than the reserved one, with its reason: the reservation
# alone does not catch the typo then)
expect_exit 1 am place $W1 PM-ALM-0042 A7 --reason cell-full
assert_contains "$ERR" "A7"
assert_contains "$ERR" "PM-ALM-0042"
assert_contains "$ERR" "door"
expect_exit 1 am place $W3 PM-ALM-0042 A77 --reason cell-full
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM event")" "$EVENTS"
expect_exit 0 am --json status $W1
assert_eq "$(echo "$OUT" | json_get 'd["state"]')" out_for_delivery
# the cell on file goes in
expect_exit 0 am place $W1 PM-ALM-0042 A07
expect_exit 0 am --json status $W1
assert_eq "$(echo "$OUT" | json_get 'd["state"], d["cell"]')" "('placed', 'A07')"
done_ok
