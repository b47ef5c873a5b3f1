#!/bin/sh
# Hand to courier on the 20x16 handheld: the courier's list longer than the
# screen says so (↓ in the last column) and scrolls with the arrows, down to
# the envelope just handed over.  On main the list stopped at the screen's
# end without a word: the fourth envelope, the one just scanned, was nowhere
# to be seen, and a postomat's name could stand alone on the last row.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
tui_seed
am accept R-2026-000123 RR402118737KZ RR402118745KZ RR402118754KZ RR402118768KZ >/dev/null
am handover COURIER-1 RR402118737KZ RR402118745KZ RR402118754KZ >/dev/null
listed() { tui_screen | sed -n '3,10p' | grep -v "^✓" | grep -c "^  $1"; }
tui_start 20 16 kk
tui_login CLERK-1 1111
tui_keys 2
tui_expect "▶ Курьер"
tui_scan COURIER-1
tui_expect "Курьер: Дәурен К."
tui_scan RR402118768KZ
tui_expect_shown "✓ RR402118768KZ"
tui_expect "↓"					# more below, said
assert_eq "$(listed RR402118768KZ)" "0"
n=0
while [ $n -lt 6 ] && [ "$(listed RR402118768KZ)" = 0 ]; do tui_keys Down; sleep 0.1; n=$((n + 1)); done
assert_eq "$(listed RR402118768KZ)" "1"		# scrolled to it
tui_expect "↑"
tui_keys Up; tui_keys Up; tui_keys Up; tui_keys Up
tui_expect "RR402118737KZ"			# back at the top
tui_keys Escape
tui_expect "1 Қабылдау"
tui_quit
done_ok
