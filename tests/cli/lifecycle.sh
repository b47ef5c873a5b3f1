#!/bin/sh
# One envelope from `registered` to `handed_back` through the CLI, on a real
# SQLite file, checking the JSON contract at each step; then the other paths
# (collect, lost -> cancelled) and the event chain.
. "$(dirname "$0")/../support/testlib.sh"
W1=RR402118737KZ W2=RR402118745KZ W3=RR402118754KZ W4=RR402118768KZ W5=RR402118771KZ

expect_exit 0 am --json init --device-id DESK-1 --point KP-ALM-007
assert_eq "$(echo "$OUT" | json_get 'd["device_id"], d["point_id"]')" "('DESK-1', 'KP-ALM-007')" "init"
expect_exit 0 am --json register import "$SAMPLES/register-inbound.json"
assert_eq "$(echo "$OUT" | json_get 'd["lines"]')" 5
expect_exit 0 am register import "$SAMPLES/register-inbound.json"   # same file again: no change
expect_exit 0 am --json register list
assert_eq "$(echo "$OUT" | json_get 'len(d)')" 1
expect_exit 0 am --json status $W1
assert_eq "$(echo "$OUT" | json_get 'd["state"], d["register"], d["postomat"], d["cell"]')" "('registered', 'R-2026-000123', 'PM-ALM-0042', '')"
assert_eq "$(echo "$OUT" | json_get 'd["iin"]')" "900101******" "IIN masked"

# acceptance: matched, duplicate, unexpected, invalid
expect_exit 1 am --json accept R-2026-000123 $W1 $W1 RR777000125KZ RR123456784KZ $W2 $W3 $W4
assert_eq "$(echo "$OUT" | json_get '[x["result"] for x in d]')" "['matched', 'duplicate', 'unexpected', 'invalid', 'matched', 'matched', 'matched']"
assert_eq "$(echo "$OUT" | json_get '[x["code"] for x in d][2]')" RR777000125KZ
expect_exit 0 am --json accept R-2026-000123 --finish --damaged $W4
assert_eq "$(echo "$OUT" | json_get 'd["matched"], d["missing"], d["unexpected"], d["damaged"]')" "(3, 1, 1, 1)"
ACT=$(echo "$OUT" | json_get 'd["act"]')
assert_contains "$ACT" "ACT-DESK-1-"
expect_exit 0 am --json acts "$ACT"
assert_eq "$(echo "$OUT" | json_get 'd["body"]["missing"], d["body"]["unexpected"], d["body"]["damaged"]')" "(['$W5'], ['RR777000125KZ'], ['$W4'])"
expect_exit 1 am accept R-2026-000123 $W5                  # finished register
assert_contains "$ERR" "already finished"
expect_exit 0 am --json status $W1
assert_eq "$(echo "$OUT" | json_get 'd["state"]')" accepted

# courier, postomat, storage, removal, return, hand-back
expect_exit 0 am --json handover COURIER-7 $W1 $W2
assert_eq "$(echo "$OUT" | json_get '[x["result"] for x in d]')" "['handed_over', 'handed_over']"
expect_exit 0 am reserve $W1 PM-ALM-0042 A07
expect_exit 1 am place $W1 PM-ALM-0043 A07                    # wrong postomat
assert_contains "$ERR" "wrong postomat"
expect_exit 1 am place $W1 PM-ALM-0042 A09                    # wrong cell
assert_contains "$ERR" "wrong cell"
expect_exit 0 am --json place $W1 PM-ALM-0042 A07
assert_eq "$(echo "$OUT" | json_get 'd["state"], d["cell"]')" "('placed', 'A07')"
expect_exit 0 am --json deadlines
assert_contains "$OUT" '"storage"'
expect_exit 1 am expire $W1                                     # its 3 days are not over
assert_contains "$ERR" "--reason"
expect_exit 0 am --json expire $W1 --reason "the recipient asked for it at the point"
assert_eq "$(echo "$OUT" | json_get 'd["state"], d["cell"]')" "('expired_removed', '')"
expect_exit 0 am --json return $W1
assert_eq "$(echo "$OUT" | json_get 'd["state"]')" returned_to_point
expect_exit 0 am register import "$SAMPLES/register-return.json"
expect_exit 0 am --json handback RET-2026-000007 $W1
assert_eq "$(echo "$OUT" | json_get '[x["result"] for x in d]')" "['matched']"
expect_exit 0 am --json handback RET-2026-000007 --finish
assert_eq "$(echo "$OUT" | json_get 'd["matched"], d["missing"], d["act"]')" "(1, 0, None)"
expect_exit 0 am --json status $W1
assert_eq "$(echo "$OUT" | json_get 'd["state"]')" handed_back
assert_eq "$(echo "$OUT" | json_get '[h["type"] for h in d["history"]]')" "['registered', 'accepted', 'out_for_delivery', 'placed', 'expired_removed', 'returned_to_point', 'handed_back']"

# the other roads: placed in another cell with a reason, collected; lost, cancelled
expect_exit 0 am reserve $W2 PM-ALM-0043 B01
expect_exit 0 am place $W2 PM-ALM-0043 B02 --reason cell-full
expect_exit 0 am --json collect $W2
assert_eq "$(echo "$OUT" | json_get 'd["state"]')" collected
expect_exit 0 am --json events --waybill $W2
assert_contains "$OUT" cell_changed
UNTIL=$(date -u -d "+30 days" +%Y-%m-%d)	# a new date within the year ahead
expect_exit 0 am --json delay $W3 --until "$UNTIL" --reason "postomat out of service"
assert_eq "$(echo "$OUT" | json_get 'd["delayed_until"]')" "$UNTIL"
expect_exit 0 am --json lost $W3 --reason "fell out of the bag on route 4"
assert_eq "$(echo "$OUT" | json_get 'd["state"]')" lost
LACT=$(echo "$OUT" | json_get 'd["act"]')
expect_exit 0 am --json acts "$LACT"
assert_eq "$(echo "$OUT" | json_get 'd["kind"], d["copies"]')" "('loss', 2)"
expect_exit 0 am --json cancel $W3
assert_eq "$(echo "$OUT" | json_get 'd["state"]')" cancelled

# the log: every event unsent, the chain intact
expect_exit 0 am --json events --unsent
N=$(echo "$OUT" | json_get 'len(d)')
[ "$N" -gt 20 ] || fail "only $N events"
expect_exit 0 am --json verify
assert_eq "$(echo "$OUT" | json_get 'd["ok"]')" True
done_ok
