#!/bin/sh
# A courier's progress (issue 11): "envelope 2 of 3" at a postomat and the
# route's count; the route at 20x16 shows each postomat's address, wrapped,
# and scrolls by an envelope with a marker, never past the last one.
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
# Down scrolls by an envelope with a marker, and never past the last one
tui_expect "RR402118737KZ"
tui_keys Down
tui_expect "↑"
tui_screen | grep -q RR402118737KZ && fail "Down did not scroll: $(tui_screen)"
for i in 1 2 3 4 5 6; do tui_keys Down; done
tui_expect "RR402118745KZ"		# the last envelope stays in view
tui_screen | grep -q "No envelopes" && fail "scrolled past the route: $(tui_screen)"
for i in 1 2 3 4 5 6 7 8; do tui_keys Up; done
tui_expect "RR402118737KZ"
tui_screen | grep -q "↑" && fail "the top still says there is more above"
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
