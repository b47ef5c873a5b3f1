#!/bin/sh
# A confirming document's issuing body of 100 Kazakh letters (200 bytes) and
# a number of 40 letters, typed in the force majeure screen, are stored whole
# (the screen kept them in 128- and 64-byte buffers: cut inside a letter).
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
tui_seed
export AMANAT_NOW="2026-03-26 12:00"
BODY=$(python3 -c 'print(("Төтенше жағдайлар департаменті " * 4)[:100])')
NUMBER=$(python3 -c 'print("ӘҚ-" + "Ө" * 37)')
tui_start 80 24 kk
tui_login SUPER-1 3333
tui_keys 9
tui_expect "Басталуы"		# the screen's first field (the menu also says 'Форс-мажор')
tui_scan "26.03.2026 10:00"
tui_expect "Себеп"
tui_scan "су тасқыны"
tui_expect "Enter тағы"			# asked first (tui_force_majeure.sh)
tui_keys Enter
tui_expect "форс-мажор тіркелді"
tui_scan "$BODY"
tui_scan "$NUMBER"
tui_scan "2026-03-26"
tui_expect "растайтын құжат тіркелді"
assert_eq "$(am --json force-majeure list | json_get 'd[0]["document"]["body"]')" "$BODY"
assert_eq "$(am --json force-majeure list | json_get 'd[0]["document"]["number"]')" "$NUMBER"
tui_keys Escape
tui_expect "1 "
tui_quit
done_ok
