#!/bin/sh
# The point's deadlines on the hub are the terminal's own: the hub keeps what
# each clock counts from (core's clock_step_of, the table the terminal's store
# follows) and reckons the due times by the same calendar and force majeure
# rules when the summary is read.  A desk works days in the past (AMANAT_NOW):
# each open deadline the hub's summary lists has the due time the desk's own
# `amanat deadlines` shows, before and after a force majeure moves them; a
# breached one is counted breached; `amanat point` shows them.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/pg.sh"
. "$(dirname "$0")/../support/amhub.sh"
amhub_setup
expect_exit 0 amhub register import "$SAMPLES/register-inbound.json"
DESK=$(amhub_device DESK-1 KP-ALM-007) && SUP=$(amhub_device SUP-1 KP-ALM-007) || fail "device add"
amhub_start A
term_conf desk "$DESK" "point = KP-ALM-007"
term_conf sup "$SUP"
expect_exit 0 term desk init --device-id DESK-1 --point KP-ALM-007
expect_exit 0 term sup init --device-id SUP-1 --point KP-ALM-007
# the register's delivery clocks run on the hub from its formed_at
assert_eq "$(hub_get /v1/point/summary "$SUP")" 200
assert_eq "$(json_get 'sorted(i["clock"] for i in d["deadlines"]["items"])' < "$T/resp")" "['courier-delivery', 'to-point']"
expect_exit 0 term desk sync
AMANAT_NOW="2026-03-26 10:00" expect_exit 0 term desk accept R-2026-000123 RR402118737KZ RR402118745KZ RR402118754KZ
AMANAT_NOW="2026-03-26 11:00" expect_exit 0 term desk handover COURIER-1 RR402118737KZ RR402118745KZ
AMANAT_NOW="2026-03-26 12:00" expect_exit 0 term desk place RR402118737KZ PM-ALM-0042 A07
AMANAT_NOW="2026-03-26 12:30" expect_exit 0 term desk delay RR402118745KZ --until 2026-03-30 --reason "postomat down"
expect_exit 0 term desk sync
# compare: the hub's open deadlines against the desk's own, due for due
same() {
	expect_exit 0 term desk --json deadlines
	echo "$OUT" > "$T/desk.json"
	assert_eq "$(hub_get /v1/point/summary "$SUP")" 200
	python3 - "$T/resp" "$T/desk.json" <<'PY' || fail "the hub's deadlines differ from the desk's"
import datetime, json, sys
hub = json.load(open(sys.argv[1]))["deadlines"]
desk = json.load(open(sys.argv[2]))
tz = datetime.timezone(datetime.timedelta(hours=5))
iso = lambda ms: datetime.datetime.fromtimestamp(ms // 1000, tz).isoformat()	# the desk prints whole seconds
h = sorted((i["clock"], i["waybill"] or i["register"], iso(i["due_ms"])) for i in hub["items"])
d = sorted((i["clock"], i["waybill"] or i["register"], datetime.datetime.fromisoformat(i["due"]).isoformat())
           for i in desk if i["open"])
if h != d or hub["open"] != len(d):
    print("hub: ", h, "\ndesk:", d); sys.exit(1)
PY
	ok
}
same
assert_eq "$(json_get 'sorted(i["clock"] for i in d["deadlines"]["items"])' < "$T/resp")" "['late-delivery', 'storage', 'wait-at-point']"
# all three were due in March: breached now
assert_eq "$(json_get 'd["deadlines"]["breached"], d["deadlines"]["open"]' < "$T/resp")" "(3, 3)"
# a force majeure recorded at the desk moves the deadlines on both sides alike
AMANAT_NOW="2026-03-26 13:00" expect_exit 0 term desk force-majeure start --from "2026-03-26 12:45" --to "2026-03-31 18:00" --reason "flood"
expect_exit 0 term desk sync
same
assert_eq "$(json_get 'len(d["deadlines"]["items"])' < "$T/resp")" 4      # and its §38 notice clock
# collected: the storage clock closes; the deadline is gone from the hub too
AMANAT_NOW="2026-03-27 09:00" expect_exit 0 term desk collect RR402118737KZ
expect_exit 0 term desk sync
same
# §26: a loss opens the duplicate's clock on both sides; the duplicate coming
# in a register (the lost one's application, a new waybill) stops it on both
AMANAT_NOW="2026-03-27 10:00" expect_exit 0 term desk lost RR402118754KZ --reason "not on the shelf"
expect_exit 0 term desk sync
same
assert_contains "$(cat "$T/resp")" '"clock":"duplicate"'
python3 - "$SAMPLES/register-inbound.json" > "$T/dup.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
W = [8, 6, 4, 2, 3, 5, 9, 7]
s = "40211999"; c = 11 - sum(int(x) * k for x, k in zip(s, W)) % 11
line = dict(next(i for i in d["items"] if i["application"] == "KZ-APP-2026-001002"))
line["waybill"] = "RR%s%dKZ" % (s, 0 if c == 10 else 5 if c == 11 else c)
d.update(register="R-2026-000124", formed_at="2026-03-27T09:00:00+05:00", items=[line])
print(json.dumps(d, ensure_ascii=False))
PY
expect_exit 0 amhub register import "$T/dup.json"
assert_eq "$(pg_sql "SELECT count(*) FROM clock WHERE clock = 'duplicate' AND closed_ms = 0")" 0
expect_exit 0 term desk sync
same
# the supervisor's terminal prints them, breached first
expect_exit 0 term sup point
assert_contains "$OUT" "deadlines: 4 open, 4 breached"	# the new register's two, §38, §27
assert_contains "$OUT" "✗ RR402118745KZ"
expect_exit 0 term sup --json point
assert_eq "$(echo "$OUT" | json_get 'd["summary"]["deadlines"]["open"]')" 4
# a calendar named but missing stops the hub before it serves
expect_exit 3 amhub serve --listen 127.0.0.1:0 --calendar "$T/nonexistent"
assert_contains "$ERR" "nonexistent"
amhub_done
