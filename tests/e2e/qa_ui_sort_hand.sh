#!/bin/sh
# Form a register on a 20x16 handheld: the list's loading, the F5 question
# and the register formed each say all they have to in their three lines,
# and the register's id (wider than 20 columns) shows its end under
# "Жасалды:" ("…C-ALM-01-20260326-1").  On main "… жүктелді: 6 өтінім," lost the new ones, the F5
# question lost its verb, the formed register read "R-SC-ALM-01-2026032" /
# "6-1 тізілімі" cut mid-id and "Жасалды:…" showed no id at all.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
am init --device-id SORT-DESK --point SC-ALM-01 >/dev/null
am staff add SORT-1 --name "Болат С." --role sorting --pin 4444 >/dev/null
mkdir "$T/inbox"
cp "$SAMPLES/applications.csv" "$T/inbox/applications.csv"
export TUI_CONF_EXTRA="register.inbox = $T/inbox"
export AMANAT_FIT_LOG="$T/fit.log"
: > "$AMANAT_FIT_LOG"
first=$(sed -n 2p "$SAMPLES/applications.csv" | cut -d, -f2)
tui_start 20 16 kk
tui_login SORT-1 4444
tui_keys 3
tui_expect "F2: өтінімдер"
tui_keys F2
tui_expect "> applications.csv"
tui_keys Enter
tui_expect "өтінім, жаңасы"
tui_scan "$first"
tui_expect_shown "✓ $first"
tui_keys F5
tui_expect "тізілім"
tui_expect "жасау"
tui_keys F5
tui_expect "Жасалды:"
tui_expect "-ALM-01-20260326-1"
tui_expect "F9"
tui_expect "парақ"
assert_eq "$(am --json register list | json_get '[r["register"] for r in d]')" "['R-SC-ALM-01-20260326-1']"
if grep -E "confirmation|word wider" "$AMANAT_FIT_LOG"; then fail "cut at 20x16"; fi
ok
tui_keys Escape
tui_expect "3 Тізілім"
tui_quit
done_ok
