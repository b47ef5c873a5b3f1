#!/bin/sh
# A hub's reason for refusing an event is outside text: kept as the dead
# letter's reason with its control characters escaped (a screen shows it:
# an escape sequence must not clear the supervisor's screen), and a long
# Kazakh reason cut at a whole letter with "…", never half of one.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/hub.sh"
WHY=$(printf '\033[2J\007%s' "$(python3 -c 'print("Тізілімде жоқ конверт қабылданбады. " * 12)')")
hub_start --reject "RR402118737KZ:accepted" --reject-reason "$WHY"
printf '[sync]\nurl = %s\ncainfo = %s\ntoken = test-token\n' "$HUB_URL" "$HUB_CA" > "$T/c.conf"
am() { "$AMANAT_BIN" --db "$DB" --calendar "$CAL" --config "$T/c.conf" "$@"; }
expect_exit 0 am init --device-id RS-1 --point KP-ALM-007
expect_exit 0 am register import "$SAMPLES/register-inbound.json"
expect_exit 0 am accept R-2026-000123 RR402118737KZ RR402118745KZ
expect_exit 0 am sync
expect_exit 0 am --json sync --dead
printf '%s' "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert [(e["waybill"], e["type"]) for e in d] == [("RR402118737KZ", "accepted")], d
r = d[0]["reason"]
assert not any(ord(c) < 0x20 or 0x7f <= ord(c) < 0xa0 for c in r), "a control character kept: %r" % r
assert r.startswith("\\x1B[2J\\x07Тізілімде"), r
assert r.endswith("…") and len(r.encode()) < 200, r
' || fail "the reason kept: $OUT"
ok
# the same reason in the text listing: no escape byte reaches the terminal
expect_exit 0 am sync --dead
case "$OUT" in *"$(printf '\033')"*) fail "an escape byte in: $OUT" ;; esac
assert_contains "$OUT" "Тізілімде жоқ"
done_ok
