#!/bin/sh
# The shift report's "soonest deadline" of each state is found while it
# lists the shift's open deadlines (src/app/report.c), not by joining every
# open deadline to its envelope once more: each state's line must still say
# the earliest open deadline of the envelopes in that state, as the tables
# give it, whatever order the deadlines are listed in.
. "$(dirname "$0")/../support/testlib.sh"
W1=RR402118737KZ W2=RR402118745KZ W3=RR402118754KZ W4=RR402118768KZ

expect_exit 0 am init --device-id DESK-1 --point KP-ALM-007
expect_exit 0 am register import "$SAMPLES/register-inbound.json"
expect_exit 0 am accept R-2026-000123 $W1 $W2 $W3 $W4
expect_exit 0 am handover COURIER-7 $W1 $W2
expect_exit 0 am reserve $W1 PM-ALM-0042 A07
expect_exit 0 am place $W1 PM-ALM-0042 A07
# open deadlines in at least three states (accepted, out_for_delivery or
# placed, and the register's own), so the check below means something
assert_eq "$(sqlite3 "$DB" "SELECT count(DISTINCT v.state) >= 2 FROM clock c JOIN envelope v ON v.waybill = c.waybill WHERE c.closed_ms = 0")" 1 "open deadlines in several states"
expect_exit 0 am report shift --dir "$T/rep"
csv=$(ls "$T"/rep/*.csv)
# every state: the report's soonest against min(due) of the open deadlines
# of its envelopes, in the report's local time (+05:00)
want=$(sqlite3 "$DB" "SELECT v.state || ',' || strftime('%d.%m.%Y %H:%M', min(c.due_ms) / 1000 + 5 * 3600, 'unixepoch')
  FROM clock c JOIN envelope v ON v.waybill = c.waybill WHERE c.closed_ms = 0 AND c.waybill <> ''
  GROUP BY v.state ORDER BY v.state")
got=$(grep '^state,' "$csv" | grep -v '^state,damaged,' | awk -F, '$4 != "" { print $2 "," $4 }' | sort)
assert_eq "$got" "$want" "soonest deadline of each state"
[ -n "$want" ] || fail "no open deadline to compare"
# the states without an open deadline show none
none=$(grep '^state,' "$csv" | awk -F, '$4 == "" { print $2 }' | sort | tr '\n' ' ')
for s in $none; do
	case "$want" in *"$s,"*) fail "$s has an open deadline but the report shows none" ;; esac
done
done_ok
