#!/bin/sh
# A force majeure's start on a 20x16 handheld in Kazakh: it moves every
# open deadline at once and cannot be taken back, so the reason's Enter
# asks first ("Enter тағы: тіркеу. Esc: болдырмау.", whole in its lines),
# Esc records nothing, Enter on the emptied field records it, and the
# confirmation is whole too (AMANAT_FIT_LOG stays empty).  Another key
# (F5, Down) leaves the question standing.  Before, the
# reason's Enter recorded it at once and the confirmation was cut.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
tui_seed
export AMANAT_NOW="2026-03-26 12:00"
export AMANAT_FIT_LOG="$T/fit.log"
: > "$AMANAT_FIT_LOG"
count() { sqlite3 "$DB" "SELECT count(*) FROM force_majeure"; }
tui_start 20 16 kk
tui_login SUPER-1 3333
tui_keys 9
tui_expect "Басталуы"
tui_scan "26.03.2026 10:00"
tui_expect "Себеп"
tui_scan "су тасқыны"
tui_expect "Esc: болдырмау."
assert_eq "$(count)" 0 "(recorded before it was asked)"
tui_keys Escape
tui_expect "бас тартылды"
assert_eq "$(count)" 0 "(recorded after Esc)"
tui_scan "су тасқыны"
tui_expect "Enter тағы: тіркеу."
# an F-key the screen lacks and an arrow leave the question standing, and
# Enter still records what it says (it did nothing under the same words)
tui_keys F5
tui_keys Down
sleep 0.3
tui_expect "Enter тағы: тіркеу."
assert_eq "$(count)" 0 "(recorded by F5 or Down)"
tui_keys Enter
tui_expect "F2 аяқтайды"
assert_eq "$(count)" 1 "(recorded by the second Enter)"
[ -s "$AMANAT_FIT_LOG" ] && fail "texts do not fit at 20x16: $(sort -u "$AMANAT_FIT_LOG")"
ok
done_ok
