#!/bin/sh
# A courier's progress (issue 11): "envelope 2 of 3" at a postomat and the
# route's count; the route at 20x16 shows each postomat's address, wrapped,
# and stays put when it fits.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
tui_seed
AMANAT_NOW="2026-03-26 09:00" am accept R-2026-000123 RR402118737KZ RR402118745KZ RR402118754KZ >/dev/null
AMANAT_NOW="2026-03-26 09:05" am handover COURIER-1 RR402118737KZ RR402118745KZ RR402118754KZ >/dev/null
export AMANAT_NOW="2026-03-26 10:00"
tui_start 20 16 en
tui_login COURIER-1 2222
tui_keys 1
tui_expect "Route: 0 of 3"
tui_expect "PM-ALM-0042"
tui_expect "Абай д. 150,"		# the address, wrapped under its postomat
# all three fit: Down leaves the list where it is (it scrolled the first
# postomat out of sight); scrolling a longer list: tui_route_scroll.sh
tui_expect "RR402118745KZ"
before=$(tui_screen)
tui_keys Down; tui_keys Down
sleep 0.2
assert_eq "$(tui_screen)" "$before"
case "$before" in *↓*|*↑*) fail "arrows on a list that fits: $before" ;; esac
ok
tui_keys Escape
tui_expect "2 "
tui_keys 2
tui_expect "Scan postomat"
tui_scan PM-ALM-0042
tui_expect "Envelope 0 of 2"
tui_scan RR402118737KZ
tui_expect "Envelope 1 of 2"
tui_scan A07
tui_expect "A07"
tui_scan RR402118754KZ
tui_expect "Envelope 2 of 2"
tui_expect "Envelope 2 of 2"
tui_keys Escape Escape Escape
tui_expect "1 "
tui_keys 1
tui_expect "Route: 1 of 3 placed"
tui_keys Escape Escape
tui_quit
done_ok
