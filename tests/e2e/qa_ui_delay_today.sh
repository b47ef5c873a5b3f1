#!/bin/sh
# The new delivery date on a 20x16 handheld in Kazakh never goes before
# today, the point's local date (02:00 in Almaty is still the day before in
# UTC): Down and PgDn stop at today, and a date typed later and moved back
# past today lands on today, not on a day the store would refuse.  On main
# Down moved the date into the past, to be refused only after Enter.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
tui_seed
AMANAT_NOW="2026-03-26 09:00" am accept R-2026-000123 RR402118737KZ RR402118745KZ >/dev/null
AMANAT_NOW="2026-03-26 09:05" am handover COURIER-1 RR402118737KZ RR402118745KZ >/dev/null
export AMANAT_NOW="2026-03-27 02:00"	# local: 26.03 21:00 UTC
# the date field's line: the row under the prompt "▶ Жаңа күн"
date_shown() { tui_screen | sed -n '/^▶ Жаңа күн/{n;p;}' | sed 's/ *$//'; }
# expect_date D: the field shows D (and no other date)
expect_date() {
	tui_expect "$1"
	assert_eq "$(date_shown)" "$1"
}
tui_start 20 16 kk
tui_login COURIER-1 2222
tui_keys 3
tui_expect "Конвертті"
tui_scan RR402118737KZ
expect_date "27.03.2026"		# today here, though UTC is still on the 26th
tui_keys Down
sleep 0.2
expect_date "27.03.2026"		# not yesterday
tui_keys NPage
sleep 0.2
expect_date "27.03.2026"		# nor a month ago
tui_keys Up
expect_date "28.03.2026"
tui_keys Down
tui_keys Down
tui_keys Down
sleep 0.2
expect_date "27.03.2026"
tui_keys PPage
expect_date "27.04.2026"
tui_keys NPage
tui_keys NPage
sleep 0.2
expect_date "27.03.2026"
case "$(tui_screen)" in *"өтіп кеткен"*) fail "a step was refused as past: $(tui_screen)" ;; esac
ok
tui_keys Enter
tui_expect "Себеп"
tui_scan "көлік бұзылды"
tui_expect "Enter тағы"
tui_keys Enter
tui_expect "(§27)"
assert_eq "$(sqlite3 "$DB" "SELECT delayed_until FROM envelope WHERE waybill = 'RR402118737KZ'")" 2026-03-27
# a date typed later, moved back a month past today: today, nothing refused
tui_scan RR402118745KZ
expect_date "27.03.2026"
tui_keys 1 0 . 0 4 . 2 0 2 6
expect_date "10.04.2026"
tui_keys NPage
expect_date "27.03.2026"
tui_keys Up
expect_date "28.03.2026"
tui_keys Enter
tui_expect "Себеп"
tui_scan "жол жабық"
tui_expect "Enter тағы"
tui_keys Enter
tui_expect "(§27)"
assert_eq "$(sqlite3 "$DB" "SELECT delayed_until FROM envelope WHERE waybill = 'RR402118745KZ'")" 2026-03-28
tui_keys Escape
tui_expect "Менің бағытым"
tui_quit
done_ok
