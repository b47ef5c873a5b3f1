#!/bin/sh
# The point hub end to end, with real terminals on separate databases and
# the hub on 127.0.0.1 with TLS: a desk takes a register from the hub and
# hands envelopes to COURIER-1; the courier's handheld receives them from the
# feed, places one with its network cut, then syncs; the desk sees it placed.
# A device of another point reads nothing of this one.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/pg.sh"
. "$(dirname "$0")/../support/amhub.sh"
amhub_setup
expect_exit 0 amhub register import "$SAMPLES/register-inbound.json"
expect_exit 0 amhub postomat import "$SAMPLES/postomats.json"
DESK=$(amhub_device DESK-1 KP-ALM-007) && HH=$(amhub_device HH-1 KP-ALM-007 COURIER-1) \
	&& FAR=$(amhub_device DESK-AST KP-AST-001) || fail "device add"
amhub_start A
term_conf desk "$DESK" "point = KP-ALM-007
city = Алматы"
term_conf hh "$HH" "point = KP-ALM-007"
expect_exit 0 term desk init --device-id DESK-1 --point KP-ALM-007
expect_exit 0 term hh init --device-id HH-1 --point KP-ALM-007
# the desk gets the register from the hub, accepts, hands two to COURIER-1
expect_exit 0 term desk sync
expect_exit 0 term desk --json register list
assert_eq "$(echo "$OUT" | json_get '[r["register"] for r in d]')" "['R-2026-000123']"
expect_exit 0 term desk accept R-2026-000123 RR402118737KZ RR402118745KZ RR402118754KZ
expect_exit 0 term desk handover COURIER-1 RR402118737KZ RR402118745KZ
expect_exit 0 term desk sync
# the handheld never imported the register: the feed brings the two envelopes
expect_exit 0 term hh sync
expect_exit 0 term hh --json status RR402118737KZ
assert_eq "$(echo "$OUT" | json_get 'd["state"], d["courier"], d["postomat"]')" "('out_for_delivery', 'COURIER-1', 'PM-ALM-0042')"
expect_exit 0 term hh status RR402118737KZ
assert_contains "$OUT" "hub"
expect_exit 1 term hh status RR402118754KZ               # not handed to this courier
# network cut: placed offline, the sync fails, nothing is lost
term_conf hh "$HH" "point = KP-ALM-007"
sed -i "s|^url = .*|url = https://127.0.0.1:9|" "$T/hh.conf"
expect_exit 0 term hh place RR402118737KZ PM-ALM-0042 A07
expect_exit 3 term hh sync
assert_eq "$(term hh --json events --unsent | json_get 'len(d)')" 1
term_conf hh "$HH" "point = KP-ALM-007"
expect_exit 0 term hh sync
assert_eq "$(term hh --json events --unsent | json_get 'len(d)')" 0
assert_eq "$(pg_sql "SELECT state FROM envelope WHERE waybill = 'RR402118737KZ'")" placed
# the desk learns of the placement from the feed
expect_exit 0 term desk sync
expect_exit 0 term desk --json status RR402118737KZ
assert_eq "$(echo "$OUT" | json_get 'd["state"]')" placed
# the feed never repeats the desk's own events back, and nothing was doubled
assert_eq "$(pg_sql "SELECT count(*) - count(DISTINCT uuid) FROM event")" 0
N_DESK=$(term desk --json events | json_get 'len(d)')
assert_eq "$(pg_sql "SELECT count(*) FROM event WHERE device = 'DESK-1'")" "$N_DESK"
# another point's device reads nothing of this one
assert_eq "$(hub_get /v1/feed "$FAR")" 200
assert_eq "$(json_get 'len(d["items"])' < "$T/resp")" 0
assert_eq "$(hub_get '/v1/registers?point=KP-ALM-007' "$FAR")" 403
assert_eq "$(hub_get '/v1/registers' "$FAR")" 200
assert_eq "$(json_get 'len(d["registers"])' < "$T/resp")" 0
assert_eq "$(hub_get /v1/point/summary "$FAR")" 200
assert_eq "$(json_get 'd["states"]' < "$T/resp")" "{}"
amhub_done
