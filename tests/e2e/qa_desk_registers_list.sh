#!/bin/sh
# The clerk's Registers screen at the desk (80x24): the register of accepted
# documents (-ACC, §18) said "acceptance" in English inside the Kazakh list
# and ran it into the next column ("acceptanceKP-ALM-007 → SC-ALM-01"); a
# finished register's time was cut to "✓…" at 80 columns.  Its printed sheet
# said "(acceptance)" / "(inbound)" in a Kazakh sheet.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
tui_seed
am accept R-2026-000123 RR402118737KZ RR402118745KZ >/dev/null
am accept R-2026-000123 --finish >/dev/null            # R-2026-000123-ACC
: > "$T/printer"
chmod 600 "$T/printer"
TUI_CONF_EXTRA="print.device = $T/printer" tui_start 80 24 kk
tui_login CLERK-1 1111
tui_keys 7
tui_expect "R-2026-000123-ACC"
acc=$(tui_screen | grep "R-2026-000123-ACC")
case "$acc" in *acceptance*) fail "the kind is in English: $acc" ;; esac
assert_contains "$acc" "R-2026-000123-ACC   қабылдау  KP-ALM-007 → SC-ALM-01"
assert_contains "$acc" "✓ 26.03 10:00"
fin=$(tui_screen | grep "R-2026-000123 ")
assert_contains "$fin" "✓ 26.03 10:00"
case "$(tui_screen)" in *"✓…"*) fail "a finished time cut to ✓…:
$(tui_screen)" ;; esac
ok
# the -ACC register's sheet, printed here, names its kind in Kazakh
# the list is newest import first; both were imported in the same minute:
# choose the -ACC register whichever of the two rows it is
tui_keys Home
tui_expect "> R-2026-"
tui_screen | grep -q "^> R-2026-000123-ACC" || tui_keys Down
tui_expect "> R-2026-000123-ACC"
tui_keys F9
tui_expect "R-2026-000123-ACC принтерге жіберілді"
grep -q "R-2026-000123-ACC (қабылдау)" "$T/printer" || fail "the sheet's kind: $(grep -a 'R-2026-000123-ACC' "$T/printer" | head -2)"
ok
# English: the columns stay apart
tui_keys Escape
tui_expect "1 "
tui_quit
tui_start 80 24 en
tui_login CLERK-1 1111
tui_keys 7
tui_expect "R-2026-000123-ACC"
assert_contains "$(tui_screen | grep 'R-2026-000123-ACC')" "R-2026-000123-ACC   acceptance KP-ALM-007 → SC-ALM-01"
tui_keys Escape
tui_expect "1 "
tui_quit
done_ok
