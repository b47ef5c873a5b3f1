#!/bin/sh
# Downloads: registers for this point (resumable by cursor) and postomats with
# their cells and reservations.  A bad register is refused whole and
# reported; the good ones are imported; the next sync resumes after them.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/hub.sh"
python3 - "$SAMPLES/register-inbound.json" > "$T/regs.json" <<'PY'
import json, sys
good = json.load(open(sys.argv[1]))
bad = json.loads(json.dumps(good)); bad["register"] = "R-BAD"
bad["items"] = [dict(i, waybill=i["waybill"][:10] + "0KZ") for i in bad["items"]]   # check digits broken
bad["items"][0]["waybill"] = "RR503112035KZ"
json.dump([good, bad], sys.stdout, ensure_ascii=False)
PY
hub_start --registers "$T/regs.json" --postomats "$SAMPLES/postomats.json"
printf '[sync]\nurl = %s\ncainfo = %s\ntoken = test-token\npoint = KP-ALM-007\ncity = Алматы\n' "$HUB_URL" "$HUB_CA" > "$T/c.conf"
am() { "$AMANAT_BIN" --db "$DB" --calendar "$CAL" --config "$T/c.conf" "$@"; }
expect_exit 0 am init --device-id DL-1 --point KP-ALM-007
expect_exit 0 am sync
expect_exit 0 am --json register list
assert_eq "$(echo "$OUT" | json_get '[r["register"] for r in d]')" "['R-2026-000123']"
expect_exit 0 am --json sync --status
assert_contains "$(echo "$OUT" | json_get 'd["last_error"]')" "refused"
expect_exit 0 am --json postomat list
assert_eq "$(echo "$OUT" | json_get 'len(d)')" 3
expect_exit 0 am --json status RR402118737KZ
assert_eq "$(echo "$OUT" | json_get 'd["reserved_cell"], d["postomat"]')" "('A07', 'PM-ALM-0042')"
# resumable: the hub is asked since the cursor; nothing is imported twice
expect_exit 0 am sync
expect_exit 0 am --json register list
assert_eq "$(echo "$OUT" | json_get 'len(d)')" 1
# a hub that lies (acknowledges events it was not sent, answers "maybe" for the
# ones it was) acknowledges nothing: the events stay in the outbox
expect_exit 0 am accept R-2026-000123 RR402118745KZ
hub_faults lie lie lie lie lie lie
printf '[sync]\nurl = %s\ncainfo = %s\ntoken = test-token\nattempts = 2\nbackoff_base_ms = 10\nbackoff_max_ms = 20\n' "$HUB_URL" "$HUB_CA" > "$T/c.conf"
expect_exit 3 am sync
assert_contains "$ERR" "acknowledged none"
[ "$(am --json events --unsent | json_get 'len(d)')" -ge 1 ] || fail "a lie was taken for an acknowledgement"
# a wrong token is said clearly, and nothing is lost
printf '[sync]\nurl = %s\ncainfo = %s\ntoken = wrong\nattempts = 1\n' "$HUB_URL" "$HUB_CA" > "$T/c.conf"
expect_exit 0 am accept R-2026-000123 RR402118737KZ
expect_exit 4 am sync                   # a refused token is a set-up error, not "offline"
assert_contains "$ERR" "token"
[ "$(am --json events --unsent | json_get 'len(d)')" -ge 1 ] || fail "events lost"
ok
# downloads are text from outside too: a control character in a register or
# in a postomat's address is refused like in a file, naming the field
hub_stop
python3 - "$SAMPLES/register-inbound.json" "$SAMPLES/postomats.json" "$T" <<'PY'
import json, sys
reg = json.load(open(sys.argv[1])); reg["register"] = "R-CTL"; reg["items"][0]["city"] = "Алма\u001b[2Jты"
json.dump([reg], open(sys.argv[3] + "/regs2.json", "w"), ensure_ascii=False)
pm = json.load(open(sys.argv[2])); pm["postomats"][0]["address"] = "Абай \u0007 150"
json.dump(pm, open(sys.argv[3] + "/pm2.json", "w"), ensure_ascii=False)
PY
hub_start --registers "$T/regs2.json" --postomats "$T/pm2.json"
printf '[sync]\nurl = %s\ncainfo = %s\ntoken = test-token\npoint = KP-ALM-007\ncity = Алматы\n' "$HUB_URL" "$HUB_CA" > "$T/c.conf"
am sync >/dev/null 2>&1
expect_exit 0 am --json register list
assert_eq "$(echo "$OUT" | json_get '[r["register"] for r in d]')" "['R-2026-000123']"
expect_exit 0 am --json sync --status
assert_contains "$(echo "$OUT" | json_get 'd["last_error"]')" "control character"
expect_exit 0 am --json postomat list
case "$OUT" in *"$(printf '\007')"*) fail "a control character came in with a postomat" ;; esac
ok
done_ok
