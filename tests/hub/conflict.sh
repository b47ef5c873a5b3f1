#!/bin/sh
# Conflicts are shown, never dropped: the desk records a loss while the
# courier places the same envelope, both offline.  Whichever reaches the hub
# second is kept and marked a conflict; the supervisor's summary lists it
# until it is resolved; the terminals keep and show what they were told.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/pg.sh"
. "$(dirname "$0")/../support/amhub.sh"
amhub_setup
expect_exit 0 amhub register import "$SAMPLES/register-inbound.json"
DESK=$(amhub_device DESK-1 KP-ALM-007) && HH=$(amhub_device HH-1 KP-ALM-007 COURIER-1) \
	&& SUP=$(amhub_device SUP-1 KP-ALM-007) || fail "device add"
amhub_start A
term_conf desk "$DESK" "point = KP-ALM-007"
term_conf hh "$HH" "point = KP-ALM-007"
expect_exit 0 term desk init --device-id DESK-1 --point KP-ALM-007
expect_exit 0 term hh init --device-id HH-1 --point KP-ALM-007
expect_exit 0 term desk sync
expect_exit 0 term desk accept R-2026-000123 RR402118737KZ RR402118745KZ
expect_exit 0 term desk handover COURIER-1 RR402118737KZ RR402118745KZ
expect_exit 0 term desk sync
expect_exit 0 term hh sync
# both offline: the desk writes a loss first, the courier places it after
expect_exit 0 term desk lost RR402118737KZ --reason "not on the shelf"
expect_exit 0 term hh place RR402118737KZ PM-ALM-0042 A07
# ... and for the second envelope the courier acts first, the desk after
expect_exit 0 term hh place RR402118745KZ PM-ALM-0043 B01
expect_exit 0 term desk lost RR402118745KZ --reason "not on the shelf"
# 737: the placement reaches the hub first; the older loss is the conflict
expect_exit 0 term hh sync
expect_exit 0 term desk sync
# 745: the loss is newer than the placement, and placed -> lost is legal,
# but the desk made it from out_for_delivery, not knowing of the placement
assert_eq "$(pg_sql "SELECT waybill || ':' || type FROM event WHERE conflict IS NOT NULL ORDER BY waybill")" "RR402118737KZ:lost
RR402118745KZ:lost"
assert_eq "$(pg_sql "SELECT count(*) FROM event WHERE waybill = 'RR402118737KZ' AND type IN ('lost', 'placed')")" 2
assert_eq "$(pg_sql "SELECT state FROM envelope WHERE waybill = 'RR402118737KZ'")" placed
assert_eq "$(hub_get /v1/point/summary "$SUP")" 200
assert_eq "$(json_get '[(c["waybill"], c["type"], c["device"]) for c in d["conflicts"]]' < "$T/resp")" "[('RR402118737KZ', 'lost', 'DESK-1'), ('RR402118745KZ', 'lost', 'DESK-1')]"
assert_contains "$(json_get 'd["conflicts"][0]["why"]' < "$T/resp")" "HH-1"
term_conf sup "$SUP" "point = KP-ALM-007"
expect_exit 0 term sup init --device-id SUP-1 --point KP-ALM-007
expect_exit 0 term sup point
assert_contains "$OUT" "conflicts to resolve: 2"
assert_contains "$OUT" "RR402118745KZ lost DESK-1"
# the desk was told of the placement; its life cycle refuses it after its
# own loss: kept and shown with the reason, not applied
expect_exit 0 term desk --json status RR402118737KZ
assert_eq "$(echo "$OUT" | json_get 'd["state"], d["hub"]["type"], d["hub"]["applied"]')" "('lost', 'placed', False)"
expect_exit 0 term desk status RR402118737KZ
assert_contains "$OUT" "from the hub: placed"
# the courier hears of the conflicting loss, marked
expect_exit 0 term hh sync
expect_exit 0 term hh --json status RR402118737KZ
assert_eq "$(echo "$OUT" | json_get 'd["hub"]["type"]')" lost
assert_contains "$(echo "$OUT" | json_get 'd["hub"]["note"]')" "conflict"
# the other order: the loss reaches the hub first, the placement made later
# is refused by the life cycle (lost -> placed) and kept as the conflict
expect_exit 0 term desk accept R-2026-000123 RR402118754KZ
expect_exit 0 term desk handover COURIER-1 RR402118754KZ
expect_exit 0 term desk sync
expect_exit 0 term hh sync
expect_exit 0 term desk lost RR402118754KZ --reason "dropped"
expect_exit 0 term hh place RR402118754KZ PM-ALM-0042 A09
expect_exit 0 term desk sync
expect_exit 0 term hh sync
assert_eq "$(pg_sql "SELECT type FROM event WHERE conflict IS NOT NULL AND waybill = 'RR402118754KZ'")" placed
assert_eq "$(pg_sql "SELECT state FROM envelope WHERE waybill = 'RR402118754KZ'")" lost
# listed until resolved, then gone from the summary (the records stay)
expect_exit 0 amhub conflict list
assert_eq "$(echo "$OUT" | wc -l)" 4
ID=$(pg_sql "SELECT id FROM event WHERE conflict IS NOT NULL AND waybill = 'RR402118737KZ'")
expect_exit 0 amhub conflict resolve "$ID" --note "the courier had it; loss act withdrawn"
expect_exit 1 amhub conflict resolve "$ID" --note again
hub_get /v1/point/summary "$SUP" >/dev/null
assert_eq "$(json_get '[c["waybill"] for c in d["conflicts"]]' < "$T/resp")" "['RR402118745KZ', 'RR402118754KZ']"
assert_eq "$(pg_sql "SELECT count(*) FROM event WHERE conflict IS NOT NULL")" 3
amhub_done
