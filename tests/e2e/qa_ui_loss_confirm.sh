#!/bin/sh
# The loss act on the 20x16 handheld: F5 before the envelope and the reason
# are in says what is missing (on main it did nothing), and the
# confirmation of the act drawn up is whole in its three lines, its act id
# and "F9 prints its 2 copies" (on main "… F9 оның 2" and the rest lost:
# four lines where three are shown).  What is not chosen yet reads "—".
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
tui_seed
am accept R-2026-000123 RR402118737KZ >/dev/null
export AMANAT_FIT_LOG="$T/fit.log"
: > "$AMANAT_FIT_LOG"
tui_start 20 16 kk
tui_login CLERK-1 1111
tui_keys 5
tui_expect "▶ Конвертті"
tui_keys F5
tui_expect "алдымен ▶ сұрағанын"
tui_scan RR402118737KZ
tui_expect "▶ Себеп"
tui_keys F5
tui_expect "алдымен ▶ сұрағанын"
tui_scan "көлікте жоғалды"
tui_expect "▶ Тарап"
tui_expect "Тарап: —."				# not "Тарап: ." before it is chosen
tui_scan 1
tui_expect "▶ Жауапты"
tui_keys F5					# the liable worker is not known
tui_expect "Esc:"
tui_keys F5					# recorded
tui_expect "ACT-TUI-1-0001"
tui_expect "данасын басады"
assert_eq "$(am --json status RR402118737KZ | json_get 'd["state"]')" "lost"
grep "confirmation" "$AMANAT_FIT_LOG" && fail "a confirmation cut"
ok
tui_keys Escape
tui_expect "1 Қабылдау"
tui_quit
done_ok
