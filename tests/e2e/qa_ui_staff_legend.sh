#!/bin/sh
# Staff on a 20x16 handheld in Russian: every key keeps its label in the
# legend's four rows ("F4 PIN", "F5 Разблок."); on main F5 stood there
# alone ("F4 Новый PIN F5").  tui_fit.sh found it once its flow reached the
# supervisor's screens (a stray "8" in the badge field had kept it out).
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
tui_seed
export AMANAT_FIT_LOG="$T/fit.log"
: > "$AMANAT_FIT_LOG"
tui_start 20 16 ru
tui_login SUPER-1 3333
tui_keys 2
tui_expect "3 Сотрудники"
tui_keys 3
tui_expect "SUPER-1"
tui_expect "F5 Разблок."
tui_expect "F4 PIN"
if grep "without its label" "$AMANAT_FIT_LOG"; then fail "a key without its label"; fi
ok
tui_keys Escape
tui_keys Escape
tui_quit
done_ok
