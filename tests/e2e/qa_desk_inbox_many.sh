#!/bin/sh
# A USB stick used as the register inbox gathers a file a day or more: with
# more than 64 register files the Registers screen's F2 list kept the first
# 64 the folder happened to give (readdir's order, not the names'), so a
# newer file could be missing with nothing said; and a list longer than the
# screen did not say so.  Every file is listed, with the list's position.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
tui_seed
mkdir "$T/inbox"
i=100
while [ $i -lt 170 ]; do
	python3 "$AMANAT_TOP/tests/support/genreg.py" "R-2026-000$i" 1 $((90000000 + i)) > "$T/inbox/reg-$i.json"
	i=$((i + 1))
done
TUI_CONF_EXTRA="register.inbox = $T/inbox" tui_start 80 24 kk
tui_login CLERK-1 1111
tui_keys 7
tui_keys F2
tui_expect "> reg-100.json"
tui_expect "/ 70 ▼"			# longer than the screen, and it says so
for k in 1 2 3 4 5 6; do tui_keys NPage; done
tui_expect "reg-169.json"		# the last one is there
for k in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do tui_keys Down; done
tui_expect "> reg-169.json"
tui_keys Enter
tui_expect "R-2026-000169"
assert_eq "$(am --json register show R-2026-000169 | json_get 'd["register"]')" "R-2026-000169"
tui_keys Escape
tui_expect "1 "
tui_quit
done_ok
