#!/bin/sh
# A damaged mark is a fact in the store the moment its line shows: a clerk at
# a 20x16 handheld marks envelopes damaged (one while an error block is
# still up: F2 acknowledges it and still does its job), leaves with Esc and
# comes back, and then the UI is killed with kill -9 in the middle of the
# acceptance.  After each step the database says what the screen said, the
# screen rebuilt from the store says the same, and the finished register's
# act lists the damaged envelopes as damaged, not missing.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
tally() { am --json register show R-2026-000123 | json_get "$1"; }
tui_seed
tui_start 20 16 kk
tui_login CLERK-1 1111
tui_keys 1
tui_expect "> R-2026-000123"
tui_keys Enter
tui_expect "✓0/5"
tui_scan RR402118737KZ
tui_expect "✓1/5"
tui_keys F2                             # damaged, not scanned before
tui_scan RR402118745KZ
tui_expect "!0 зақ"
tui_expect_shown "RR402118745KZ"
# the store has it now, before anything else happens
assert_eq "$(tally 'd["tally"]["damaged"], d["tally"]["matched"]')" "(1, 1)"
tui_scan RR402118737KZ                  # a duplicate: an error block
tui_expect "бір рет саналды"
tui_keys F2                             # over the error: acknowledges it AND arms the mark
tui_scan RR402118754KZ
tui_expect_shown "RR402118754KZ"
assert_eq "$(tally 'd["tally"]["damaged"], d["tally"]["matched"]')" "(2, 1)"
case "$(tui_screen)" in *"бір рет"*) fail "the error block stayed after F2" ;; esac
# Esc and back: the tally is read from the store again
tui_keys Escape
tui_expect "1 "
tui_keys 1
tui_expect "> R-2026-000123"
tui_keys Enter
tui_expect "✓1/5"
tui_expect "2"
tui_screen > "$T/before.txt"
grep -q "RR402118754KZ" "$T/before.txt" || fail "the damaged line is gone after Esc: $(cat "$T/before.txt")"
grep -q "RR402118745KZ" "$T/before.txt" || fail "the damaged line is gone after Esc"
# kill -9 in the middle of the acceptance, right after a damaged mark
tui_keys F2
tui_scan RR402118768KZ
tui_expect_shown "RR402118768KZ"
PID=$(tmux -L "$TMUX_SOCK" display-message -p -t t '#{pane_pid}')
kill -9 "$PID"
i=0
while kill -0 "$PID" 2>/dev/null && [ $i -lt 100 ]; do i=$((i + 1)); sleep 0.05; done
assert_eq "$(tally 'd["tally"]["damaged"], d["tally"]["matched"], d["tally"]["missing"], d["finished"]')" "(3, 1, 1, False)"
am verify >/dev/null || fail "the chain after kill -9"
ok
# a new start: the same tally and lines on the screen
tui_start 20 16 kk
tui_login CLERK-1 1111
tui_keys 1
tui_expect "> R-2026-000123"
tui_keys Enter
tui_expect "✓1/5"
tui_screen > "$T/after.txt"
for w in RR402118768KZ RR402118754KZ RR402118745KZ; do   # the newest lines that fit
	grep -q "$w" "$T/after.txt" || fail "$w is not on the screen after kill -9: $(cat "$T/after.txt")"
	ok
done
grep -q "!0 зақ 3" "$T/after.txt" || fail "the damaged count after kill -9: $(cat "$T/after.txt")"
ok
# an already marked envelope is refused, and shown as read
tui_keys F2
tui_scan RR402118745KZ
tui_expect "RR402118745KZ"
tui_keys Enter
# finish: the act lists three damaged, one missing
tui_keys F5
tui_scan SC-COURIER-9
tui_expect "акт"
ACT=$(tally 'd["act"]')
am --json acts "$ACT" > "$T/act.json"
assert_eq "$(json_get 'sorted(d["body"]["damaged"]), d["body"]["missing"]' < "$T/act.json")" \
	"(['RR402118745KZ', 'RR402118754KZ', 'RR402118768KZ'], ['RR402118771KZ'])"
# the finished tally reads the same after Esc and back
tui_keys Escape
tui_expect "1 "
am verify >/dev/null || fail "chain"
tui_quit
done_ok
