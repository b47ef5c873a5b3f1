#!/bin/sh
# F7 (what is left to scan) on the 20x16 handheld while a three-line
# confirmation stands ("RR… зақымдалған деп белгіленді"): the list shows its
# waybills, not a heading over nothing.  F7 puts the last confirmation away
# to give the list its rows; a list squeezed to one row (the damaged mode's
# "scan the damaged envelope" under it) shows its first waybill with ↓.
# On main F7 showed "Әлі сканерленбеген:" and no waybill at all, and
# "алдымен тізілімді сканерлеңіз" (F7 before the register) stayed on under
# the register once it was chosen.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
tui_seed
tui_start 20 16 kk
tui_login CLERK-1 1111
tui_keys 1
tui_expect "▶ Тізілім"
tui_keys F7					# before the register: said so
tui_expect "алдымен тізілімді"
tui_scan R-2026-000123
tui_expect "қалды 5"
sleep 0.2					# and once it is chosen, no more
tui_screen | grep -q "алдымен тізілімді" && fail "'scan the register first' stayed: $(tui_screen)"
ok
tui_keys F2
tui_expect "зақымдалған"
tui_scan RR402118737KZ
tui_expect "белгіленді"				# three lines of confirmation
tui_keys F7
tui_expect "RR402118745KZ"			# the first one left, shown
tui_expect "RR402118754KZ"
tui_keys F2					# the damaged mode's line: one row left
tui_expect "сканерлеңіз"
i=0; while [ $i -lt 100 ] && ! tui_screen | grep -q "^  RR402118745KZ *↓"; do i=$((i + 1)); sleep 0.05; done
tui_screen | grep -q "^  RR402118745KZ *↓" || fail "no waybill with ↓ in one row: $(tui_screen)"
ok
tui_keys Down					# the one row scrolls
tui_expect "RR402118754KZ"
tui_screen | grep -q "^  RR402118754KZ *↕" || fail "no ↕ on the one row: $(tui_screen)"
ok
tui_keys Escape
tui_expect "1 Қабылдау"
tui_quit
done_ok
