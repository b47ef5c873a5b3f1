#!/bin/sh
# Collections and cancellations from upstream reach the supervisor: the
# point hub's feed (the test hub on loopback, items of device UPSTREAM)
# brings a parent's collection and the authority's cancellation after a
# loss (§24); F6 on the shift screen syncs, the shift screen counts them,
# and the desk's "From upstream" lists them since the shift began, one the
# life cycle refused with its reason.  On a 20x16 handheld in Kazakh the
# shift screen shows the states, the people and the deadlines, scrolled.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
. "$(dirname "$0")/../support/hub.sh"
tui_seed
AMANAT_ACTOR=CLERK-1 AMANAT_NOW="2026-03-26 10:10" am accept R-2026-000123 RR402118737KZ RR402118745KZ >/dev/null
AMANAT_ACTOR=CLERK-1 AMANAT_NOW="2026-03-26 10:15" am handover COURIER-1 RR402118737KZ >/dev/null
AMANAT_ACTOR=COURIER-1 AMANAT_NOW="2026-03-26 10:40" am place RR402118737KZ PM-ALM-0042 A07 >/dev/null
AMANAT_ACTOR=CLERK-1 AMANAT_NOW="2026-03-26 10:50" am lost RR402118745KZ --reason "never arrived" >/dev/null
hub_start
hub_tui_conf "interval_s = 3600"
export AMANAT_NOW="2026-03-26 11:00"
tui_start 80 24 en
tui_login SUPER-1 3333
tui_keys 1
tui_expect "From upstream: 0 collected, 0 cancelled"
# upstream reports them now
at=$(python3 -c 'import calendar,time; print(calendar.timegm(time.strptime("2026-03-26 05:55", "%Y-%m-%d %H:%M")) * 1000)')
hub_feed_add \
	'{"uuid":"9f0e4c1e-7f4e-4a43-9a51-8b1f2d8a6c10","device":"UPSTREAM","type":"collected","waybill":"RR402118737KZ","at_ms":'"$at"',"actor":"KASPI","payload":{"from":"placed","to":"collected"}}' \
	'{"uuid":"9f0e4c1e-7f4e-4a43-9a51-8b1f2d8a6c11","device":"UPSTREAM","type":"cancelled","waybill":"RR402118745KZ","at_ms":'"$at"',"actor":"IAIS","payload":{"from":"lost","to":"cancelled"}}' \
	'{"uuid":"9f0e4c1e-7f4e-4a43-9a51-8b1f2d8a6c12","device":"UPSTREAM","type":"collected","waybill":"RR402118754KZ","at_ms":'"$at"',"actor":"KASPI","payload":{"from":"placed","to":"collected"}}'
tui_keys F6
tui_expect "From upstream: 2 collected, 1 cancelled"
assert_eq "$(sqlite3 "$DB" "SELECT group_concat(state, ' ') FROM (SELECT state FROM envelope WHERE waybill IN ('RR402118737KZ', 'RR402118745KZ', 'RR402118754KZ') ORDER BY waybill)")" \
	"collected cancelled registered"
tui_keys Escape
tui_keys 2
tui_expect "6 From upstream: collected, cancelled"
tui_keys 6
tui_expect "2 collected, 1 cancelled"
tui_expect "RR402118737KZ  collected   PM-ALM-0042"
tui_expect "RR402118745KZ  cancelled"
# the collection of an envelope that is only on a register here: kept, not applied, said why
tui_screen | grep "RR402118754KZ" | grep -q "^!" || fail "the refused item is not marked: $(tui_screen)"
ok
tui_keys Escape
tui_expect "1 Acts"
tui_keys Escape
tui_keys Escape
tui_quit
# the handheld: states, people, upstream's and deadlines as one list, scrolled
# with a visible position; F3 to the deadlines
scroll_to() {  # press Down until TEXT shows (the list is longer than the screen)
	k=0
	until tui_screen | grep -qF -- "$1"; do
		k=$((k + 1)); [ $k -lt 40 ] || fail "'$1' never scrolled into view: $(tui_screen)"
		tui_keys Down
	done
	ok
}
tui_start 20 16 kk
tui_login SUPER-1 3333
tui_keys 1
tui_expect "Күйлер"
tui_expect "   3 тізілімде"
tui_expect "▼"
tui_keys F3
tui_expect "Мерзімдер"
tui_expect "▲"
tui_keys Home
tui_expect "Күйлер"
scroll_to "   1 жойылды"
scroll_to "Адамдар"
scroll_to "Айгүл С."
scroll_to "Дәурен К."
scroll_to "Жоғарыдан"
scroll_to "   2 алынды"
scroll_to "Мерзімдер"
tui_keys Escape
tui_keys Escape
tui_quit
done_ok
