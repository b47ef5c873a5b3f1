#!/bin/sh
# The point hub end to end, with real terminals on separate databases and
# the hub on 127.0.0.1 with TLS, and the Python test hub standing in for the
# upstream system: a desk takes a register from the hub and hands envelopes
# to COURIER-1; the courier's handheld receives them from the feed, places one
# with its network cut, then syncs; the hub relays it upstream; upstream
# reports it collected; the desk, the handheld and the supervisor see it.
# A device of another point reads nothing of this one.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/pg.sh"
. "$(dirname "$0")/../support/amhub.sh"
. "$(dirname "$0")/../support/hub.sh"
amhub_setup
hub_start --tls-cert "$CERT" --tls-key "$KEY" --token upstream-secret     # the upstream stand-in
printf 'upstream-secret\n' > "$T/upstream.token"
expect_exit 0 amhub register import "$SAMPLES/register-inbound.json"
expect_exit 0 amhub postomat import "$SAMPLES/postomats.json"
DESK=$(amhub_device DESK-1 KP-ALM-007) && HH=$(amhub_device HH-1 KP-ALM-007 COURIER-1) \
	&& FAR=$(amhub_device DESK-AST KP-AST-001) || fail "device add"
amhub_start A --upstream "$HUB_URL" --upstream-token-file "$T/upstream.token" \
	--upstream-cainfo "$CERT" --upstream-interval-ms 100
SUP=$(amhub_device SUP-1 KP-ALM-007) || fail "device add"
# wait_for DESCRIPTION CMD...: poll up to 20 s
wait_for() {
	what=$1; shift; i=0
	while ! "$@" >/dev/null 2>&1; do
		i=$((i + 1)); [ $i -lt 200 ] || { tail -5 "$T/A.log"; fail "waited in vain for $what"; }; sleep 0.1
	done; ok
}
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
# the point's staff reach the handheld through the feed, PIN hash and all
expect_exit 0 term desk staff add COURIER-1 --name "Айгүл Сейітова" --role courier --pin 4821
HASH=$(sqlite3 "$T/desk.db" "SELECT pin_hash FROM staff WHERE badge = 'COURIER-1'")
printf '{"point": "KP-ALM-007", "staff": [{"badge": "COURIER-1", "name": "Айгүл Сейітова", "role": "courier", "pin_hash": "%s"}]}' \
	"$HASH" > "$T/staff.json"
expect_exit 0 amhub staff import "$T/staff.json"
printf '{"point": "KP-ALM-007", "staff": [{"badge": "X", "name": "x", "role": "pilot", "pin_hash": "$y$"}]}' > "$T/bad.json"
expect_exit 1 amhub staff import "$T/bad.json"
expect_exit 0 term hh sync
expect_exit 0 term hh --json staff list
assert_eq "$(echo "$OUT" | json_get '[(p["badge"], p["role"], p["name"]) for p in d]')" "[('COURIER-1', 'courier', 'Айгүл Сейітова')]"
assert_eq "$(sqlite3 "$T/hh.db" "SELECT pin_hash FROM staff WHERE badge = 'COURIER-1'")" "$HASH"
assert_eq "$(python3 -W ignore -c 'import crypt,sys; print(crypt.crypt("4821", sys.argv[1]) == sys.argv[1])' "$HASH")" True
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
# the hub relays every event upstream, once
placed_upstream() { hub_dump | json_get '[e["type"] for e in d["events"] if e["waybill"] == "RR402118737KZ"]' | grep -q placed; }
wait_for "the placement upstream" placed_upstream
all_relayed() { [ "$(pg_sql "SELECT count(*) FROM event WHERE upstream = 0")" = 0 ]; }
wait_for "the outbox to drain" all_relayed
assert_eq "$(hub_dump | json_get 'len(d["events"]) - len(set(e["uuid"] for e in d["events"]))')" 0
assert_eq "$(hub_dump | json_get 'len(d["events"])')" "$(pg_sql "SELECT count(*) FROM event WHERE upstream <> 3")"
# upstream reports a parent collected it: the feeds carry it to the point
hub_feed_add '{"uuid":"9f0e4c1e-7f4e-4a43-9a51-8b1f2d8a6c10","type":"collected","waybill":"RR402118737KZ","at_ms":'"$(date +%s)000"',"actor":"KASPI","payload":{"from":"placed","to":"collected"}}'
collected_here() { [ "$(pg_sql "SELECT state FROM envelope WHERE waybill = 'RR402118737KZ'")" = collected ]; }
wait_for "the collection from upstream" collected_here
expect_exit 0 term desk sync
expect_exit 0 term desk --json status RR402118737KZ
assert_eq "$(echo "$OUT" | json_get 'd["state"], d["hub"]["device"]')" "('collected', 'UPSTREAM')"
expect_exit 0 term hh sync
expect_exit 0 term hh --json status RR402118737KZ
assert_eq "$(echo "$OUT" | json_get 'd["state"]')" collected
# the supervisor sees the whole point from the hub
assert_eq "$(hub_get /v1/point/summary "$SUP")" 200
assert_eq "$(json_get 'd["states"]["collected"], d["states"]["out_for_delivery"], d["states"]["accepted"]' < "$T/resp")" "(1, 1, 1)"
assert_eq "$(json_get 'sorted(x["device"] for x in d["devices"])' < "$T/resp")" "['DESK-1', 'HH-1', 'SUP-1']"
assert_eq "$(json_get 'd["conflicts"]' < "$T/resp")" "[]"
# the collection is not sent back upstream
assert_eq "$(hub_dump | json_get 'len([e for e in d["events"] if e["type"] == "collected"])')" 0
# the feed never repeats the desk's own events back, and nothing was doubled
assert_eq "$(pg_sql "SELECT count(*) - count(DISTINCT uuid) FROM event")" 0
N_DESK=$(term desk --json events | json_get "len(d)")
assert_eq "$(pg_sql "SELECT count(*) FROM event WHERE device = 'DESK-1'")" "$N_DESK"
# another point's device reads nothing of this one
assert_eq "$(hub_get /v1/feed "$FAR")" 200
assert_eq "$(json_get 'len(d["items"])' < "$T/resp")" 0
assert_eq "$(hub_get '/v1/registers?point=KP-ALM-007' "$FAR")" 403
assert_eq "$(hub_get '/v1/registers' "$FAR")" 200
assert_eq "$(json_get 'len(d["registers"])' < "$T/resp")" 0
assert_eq "$(hub_get /v1/point/summary "$FAR")" 200
assert_eq "$(json_get 'd["states"]' < "$T/resp")" "{}"
# the supervisor's terminal: the whole point from the hub, or, with the hub
# down, its own database - saying which
term_conf sup "$SUP" "point = KP-ALM-007"
expect_exit 0 term sup init --device-id SUP-1 --point KP-ALM-007
expect_exit 0 term sup point
assert_contains "$OUT" "from the hub"
assert_contains "$OUT" "HH-1: last contact"
expect_exit 0 term sup --json point
assert_eq "$(echo "$OUT" | json_get 'd["source"], d["summary"]["states"]["collected"]')" "('hub', 1)"
amhub_kill A
expect_exit 0 term sup --json point
assert_eq "$(echo "$OUT" | json_get 'd["source"], d["states"]')" "('terminal', {})"
expect_exit 0 term desk point
assert_contains "$OUT" "this terminal only"
assert_contains "$OUT" "collected"
amhub_done
