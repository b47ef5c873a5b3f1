#!/bin/sh
# What the feed brings besides envelopes, applied on the terminals by the
# same rules as their own and kept apart from their hash-chained logs:
#  - a force majeure one desk records (start, document, notice) reaches the
#    other desk: its list shows it and its deadlines move exactly as the
#    first desk's;
#  - a working-day calendar the operator sends (amanat-hub calendar import)
#    reaches every point, also one added later, and deadlines opened after it
#    count its days off;
#  - a postomat's cells and reservations reach the courier's handheld, beyond
#    the reserved cells of its own envelopes.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/pg.sh"
. "$(dirname "$0")/../support/amhub.sh"
amhub_setup
expect_exit 0 amhub register import "$SAMPLES/register-inbound.json"
D1=$(amhub_device DESK-1 KP-ALM-007) && D2=$(amhub_device DESK-2 KP-ALM-007) \
	&& HH=$(amhub_device HH-1 KP-ALM-007 COURIER-1) || fail "device add"
amhub_start A
for t in d1:"$D1":DESK-1 d2:"$D2":DESK-2 hh:"$HH":HH-1; do
	n=${t%%:*}; rest=${t#*:}; tok=${rest%%:*}; id=${rest#*:}
	term_conf "$n" "$tok" "point = KP-ALM-007"
	expect_exit 0 term "$n" init --device-id "$id" --point KP-ALM-007
done
chain() { term "$1" verify >/dev/null 2>&1 || fail "$1: the hash chain does not verify"; ok; }
# ---- calendar: 27 March becomes a day off ------------------------------------
{ sed 's/^covers .*/covers 2026-01-01 2027-12-31/' "$CAL"; echo "2026-03-27 off  test: a day off by decree"; } > "$T/kz-2026b.txt"
printf 'not a calendar\n' > "$T/bad.txt"
expect_exit 1 amhub calendar import "$T/bad.txt"
expect_exit 0 amhub calendar import "$T/kz-2026b.txt"
expect_exit 0 term d1 sync
expect_exit 0 term d2 sync
OUT=$(term d2 doctor 2>&1)	# (the temp folder's modes are not a terminal's)
assert_contains "$OUT" "calendar   kz-2026b.txt (from the point hub) covers today"
# accepted on the 26th: 3 working days are now 30, 31 March and 1 April
AMANAT_NOW="2026-03-26 10:00" expect_exit 0 term d2 accept R-2026-000123 RR402118754KZ
assert_eq "$(term d2 --json deadlines | json_get '[i["due"] for i in d if i["waybill"] == "RR402118754KZ"]')" "['2026-04-02T00:00:00+05:00']"
# a point added later gets it with its first device
D3=$(amhub_device DESK-3 KP-ALM-009) || fail "device add"
assert_eq "$(hub_get /v1/feed "$D3")" 200
assert_eq "$(json_get '[(i["type"], i["device"], i["payload"]["name"]) for i in d["items"]]' < "$T/resp")" "[('calendar', 'HUB', 'kz-2026b.txt')]"
# ---- force majeure: desk 1 records, desk 2 learns ---------------------------
AMANAT_NOW="2026-03-26 10:00" expect_exit 0 term d1 accept R-2026-000123 RR402118737KZ RR402118745KZ
AMANAT_NOW="2026-03-26 13:00" expect_exit 0 term d1 --json force-majeure start --from "2026-03-26 12:45" --to "2026-03-31 18:00" --reason "flood"
FM=$(echo "$OUT" | json_get 'd["id"]')
AMANAT_NOW="2026-03-26 14:00" expect_exit 0 term d1 force-majeure document "$FM" --body "ТЖМ" --number "17-2" --date 2026-03-26
expect_exit 0 term d2 sync		# its acceptance of RR402118754KZ up, then both read all
expect_exit 0 term d1 sync
expect_exit 0 term d2 sync
expect_exit 0 term d2 --json force-majeure list
assert_eq "$(echo "$OUT" | json_get '[(f["id"], f["reason"], f["document"]["number"], f["notified"]) for f in d]')" "[('$FM', 'flood', '17-2', None)]"
# the same open deadlines, due for due (the envelopes and the notice clock)
dues() { term "$1" --json deadlines | json_get 'sorted((i["clock"], i["waybill"] or i["register"], i["due"]) for i in d if i["open"])'; }
assert_eq "$(dues d2)" "$(dues d1)"
assert_contains "$(dues d2)" "force-majeure-notice"
AMANAT_NOW="2026-03-27 09:00" expect_exit 0 term d1 force-majeure notify "$FM" --to "ДТД"
expect_exit 0 term d1 sync
expect_exit 0 term d2 sync
assert_eq "$(term d2 --json force-majeure list | json_get '[f["notified_to"] for f in d]')" "['ДТД']"
assert_eq "$(dues d2)" "$(dues d1)"
case "$(dues d2)" in *force-majeure-notice*) fail "the notice clock is still open on desk 2" ;; esac
ok
# nothing of it entered desk 2's own log: its events are its own
assert_eq "$(term d2 --json events | json_get 'len([e for e in d if e["type"].startswith("force_majeure")])')" 0
chain d2
# ---- postomats: the handheld learns every cell of its postomats --------------
AMANAT_NOW="2026-03-26 11:00" expect_exit 0 term d1 handover COURIER-1 RR402118737KZ
expect_exit 0 term d1 sync
expect_exit 0 amhub postomat import "$SAMPLES/postomats.json"
expect_exit 0 term hh sync
assert_eq "$(sqlite3 "$T/hh.db" "SELECT group_concat(id || ':' || status || ':' || waybill, ' ') FROM (SELECT * FROM cell WHERE postomat = 'PM-ALM-0042' ORDER BY id)")" \
	"A03:free: A05:free: A07:reserved:RR402118737KZ A08:reserved:RR402118754KZ A09:free: B01:broken:"
# A07 is full: the courier puts it in a free cell the hub told of
AMANAT_NOW="2026-03-26 12:00" expect_exit 0 term hh place RR402118737KZ PM-ALM-0042 A09 --reason cell-full
chain hh
# the desk got the calendar too and kept every item apart from its log
expect_exit 0 term d1 sync
assert_eq "$(sqlite3 "$T/d1.db" "SELECT group_concat(type || ':' || n || ':' || a, ' ') FROM (SELECT type, count(*) n, sum(applied) a
	FROM feed_item WHERE type IN ('calendar', 'postomat') GROUP BY type ORDER BY type)")" "calendar:1:1 postomat:3:3"
chain d1
amhub_done
