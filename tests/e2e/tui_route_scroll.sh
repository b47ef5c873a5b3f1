#!/bin/sh
# The courier's route (menu 1) longer than the screen: every envelope on the
# courier is reached by scrolling and the arrows say when some are above or
# below.  At 40x8 a postomat's name took the last row alone and hid its
# envelope with no "↓" (and Down did nothing).  A route that fits:
# tui_route.sh.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
tui_seed
ALL="RR402118737KZ RR402118745KZ RR402118754KZ RR402118768KZ RR402118771KZ"
# shellcheck disable=SC2086
am accept R-2026-000123 $ALL >/dev/null
# shellcheck disable=SC2086
am handover COURIER-1 $ALL >/dev/null
seen() { tui_screen | grep -o 'RR[0-9]*KZ' | sort -u; }

# a handheld of 40x8: scroll down to the end, gathering what shows
tui_start 40 8
tui_login COURIER-1 2222
tui_keys 1
tui_expect "PM-ALM-0042"
tui_expect "↓"
: > "$T/seen"
i=0
while [ $i -lt 12 ]; do
	seen >> "$T/seen"
	# no postomat name on the list's last row without an envelope under it
	tui_screen | sed -n 6p | grep -q "^PM-" && fail "a postomat alone on the last row: $(tui_screen)"
	tui_keys Down
	sleep 0.1
	i=$((i + 1))
done
assert_eq "$(sort -u "$T/seen" | tr '\n' ' ')" "$(printf '%s\n' $ALL | sort | tr '\n' ' ')"
tui_expect "↑"
tui_screen | grep -q "↓" && fail "at the end of the list, still ↓: $(tui_screen)"
ok
tui_keys Escape
tui_expect "2 "
tui_quit

done_ok
