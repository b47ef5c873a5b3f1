#!/bin/sh
# amanat-hub ingest: a real terminal uploads to the hub over TLS; every event
# is stored once in PostgreSQL (a resent batch answers "duplicate"); the
# answers are the ones docs/protocol.md gives; tokens are stored hashed; a
# revoked token and a device of another point are refused; a bad batch is 400.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/pg.sh"
. "$(dirname "$0")/../support/amhub.sh"
amhub_setup
expect_exit 0 amhub migrate                     # twice is fine
TOK=$(amhub_device DESK-1 KP-ALM-007) || fail "device add"
[ ${#TOK} -eq 64 ] || fail "token '$TOK'"; ok
OTHER=$(amhub_device DESK-9 KP-AST-001) || fail "device add"
expect_exit 1 amhub device add DESK-1 --point KP-ALM-007     # exists
expect_exit 2 amhub device add 'BAD ID' --point KP-ALM-007
assert_eq "$(pg_sql "SELECT count(*) FROM device WHERE token_sha256 = '$TOK'")" 0   # never in clear
amhub_start A
term_conf desk "$TOK"
expect_exit 0 term desk init --device-id DESK-1 --point KP-ALM-007
expect_exit 0 term desk register import "$SAMPLES/register-inbound.json"
expect_exit 0 term desk accept R-2026-000123 RR402118737KZ RR402118745KZ
expect_exit 0 term desk sync
assert_eq "$(term desk --json events --unsent | json_get 'len(d)')" 0
N=$(term desk --json events | json_get 'len(d)')
assert_eq "$(pg_sql "SELECT count(*) FROM event WHERE device = 'DESK-1' AND point = 'KP-ALM-007'")" "$N"
assert_eq "$(pg_sql "SELECT state FROM envelope WHERE waybill = 'RR402118737KZ'")" accepted
assert_eq "$(pg_sql "SELECT count(*) FROM event WHERE conflict IS NOT NULL")" 0
# the same events again: each answered "duplicate", nothing stored twice
BATCH=$(term desk --json events | python3 -c '
import json,sys; ev=json.load(sys.stdin)
print(json.dumps({"device":"DESK-1","events":[{**{k:e[k] for k in ("uuid","device","seq","type","waybill")}, "at_ms": 1} for e in ev[:3]]}))')
assert_eq "$(hub_post /v1/events "$TOK" "$BATCH")" 200
assert_eq "$(json_get '[r["status"] for r in d["results"]]' < "$T/resp")" "['duplicate', 'duplicate', 'duplicate']"
assert_eq "$(pg_sql "SELECT count(*) FROM event")" "$N"
# answers per event: a new one accepted, a foreign device's event rejected,
# an unknown type rejected, all in one batch
NEW='{"uuid":"0b6e4c1e-7f4e-4a43-9a51-8b1f2d8a6c10","device":"DESK-1","seq":900,"type":"note","waybill":"RR402118737KZ","at_ms":1773999125123,"payload":{"reason":"x"}}'
FOREIGN='{"uuid":"1b6e4c1e-7f4e-4a43-9a51-8b1f2d8a6c10","device":"DESK-2","seq":1,"type":"note","at_ms":1}'
ODD='{"uuid":"2b6e4c1e-7f4e-4a43-9a51-8b1f2d8a6c10","device":"DESK-1","seq":901,"type":"teleported","at_ms":1}'
assert_eq "$(hub_post /v1/events "$TOK" "{\"device\":\"DESK-1\",\"events\":[$NEW,$FOREIGN,$ODD]}")" 200
assert_eq "$(json_get '[r["status"] for r in d["results"]]' < "$T/resp")" "['accepted', 'rejected', 'rejected']"
assert_contains "$(cat "$T/resp")" "its own events"
# the answers are JSON whatever a device sent: a uuid with quotes, a
# backslash, a control character, Cyrillic and an astral character comes back
# exactly (rejected); a waybill of another point's envelope too long for the
# reason's sentence is cut whole characters (reason still UTF-8)
WEIRD='{"uuid":"a\"b\\c\u0001\u0434\ud83d\ude00\t/","device":"DESK-1","seq":902,"type":"note","at_ms":1}'
assert_eq "$(hub_post /v1/events "$TOK" "{\"device\":\"DESK-1\",\"events\":[$WEIRD,$NEW]}")" 200
assert_eq "$(json_get '[(r["uuid"], r["status"]) for r in d["results"]]' < "$T/resp")" \
	"$(python3 -c 'print([("a\"b\\c\x01\u0434\U0001F600\t/", "rejected"), ("0b6e4c1e-7f4e-4a43-9a51-8b1f2d8a6c10", "duplicate")])')"
assert_eq "$(json_get 'd["results"][0]["reason"]' < "$T/resp")" "uuid is not a UUID"
LONGWB=$(python3 -c 'print("Ж" * 200)')
pg_sql "INSERT INTO envelope (waybill, point, state) VALUES ('$LONGWB', 'KP-AST-001', 'accepted')" >/dev/null
CUT='{"uuid":"4b6e4c1e-7f4e-4a43-9a51-8b1f2d8a6c10","device":"DESK-1","seq":903,"type":"lost","waybill":"'$LONGWB'","at_ms":1773999125999}'
assert_eq "$(hub_post /v1/events "$TOK" "{\"device\":\"DESK-1\",\"events\":[$CUT]}")" 200
assert_eq "$(json_get 'd["results"][0]["status"], d["results"][0]["reason"].startswith("waybill ЖЖЖ")' < "$T/resp")" \
	"('rejected', True)"
# a batch missing a required field, or not JSON, is 400 whole
assert_eq "$(hub_post /v1/events "$TOK" '{"events":[{"uuid":"x"}]}')" 400
assert_eq "$(hub_post /v1/events "$TOK" 'not json')" 400
# another point's device: cannot post as DESK-1, cannot touch its envelopes,
# cannot read its registers
assert_eq "$(hub_post /v1/events "$OTHER" "{\"device\":\"DESK-1\",\"events\":[$NEW]}")" 403
STEAL='{"uuid":"3b6e4c1e-7f4e-4a43-9a51-8b1f2d8a6c10","device":"DESK-9","seq":1,"type":"lost","waybill":"RR402118737KZ","at_ms":1773999125999,"payload":{"reason":"x"}}'
assert_eq "$(hub_post /v1/events "$OTHER" "{\"device\":\"DESK-9\",\"events\":[$STEAL]}")" 200
assert_eq "$(json_get 'd["results"][0]["status"]' < "$T/resp")" rejected
assert_eq "$(pg_sql "SELECT state FROM envelope WHERE waybill = 'RR402118737KZ'")" accepted
assert_eq "$(hub_get '/v1/registers?point=KP-ALM-007' "$OTHER")" 403
# no token, a wrong one, a revoked one: 401, and the terminal says so
assert_eq "$(hub_get /v1/feed '')" 401
assert_eq "$(hub_get /v1/feed 0000)" 401
expect_exit 0 amhub device revoke DESK-1
expect_exit 1 amhub device revoke DESK-1
expect_exit 0 term desk note RR402118737KZ --reason "after the revocation"
expect_exit 4 term desk sync                 # a refused token: a set-up error (exit 4), not "offline"
assert_contains "$ERR" "401"
assert_eq "$(term desk --json events --unsent | json_get 'len(d)')" 1
# health and metrics
assert_eq "$(curl -s --cacert "$CERT" "$AMHUB_URL/healthz")" '{"status":"ok"}'
curl -s --cacert "$CERT" "$AMHUB_URL/metrics" > "$T/metrics"
assert_contains "$(cat "$T/metrics")" "amanat_hub_events_total $(pg_sql 'SELECT max(id) FROM event')"
assert_contains "$(cat "$T/metrics")" "amanat_hub_upstream_backlog"
# the token never reaches the hub's log
grep -q "$TOK" "$T"/*.log && fail "a token was logged"; ok
amhub_done
