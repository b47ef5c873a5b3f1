#!/bin/sh
# Force majeure's end (F2) and its §38 notice (F3) cannot be taken back:
# each is asked first ("F2 тағы: форс-мажорды аяқтау. Esc: болдырмау.",
# whole in the three lines of a 20x16 handheld) and recorded by the second
# press; Esc after the first records nothing.  On main one press ended the
# force majeure (the suspended deadlines ran again) with no question, as
# every other irreversible key of the UI asks (F8, F4, F5, F3 of staff);
# and its confirmation began with the id, wider than 20 columns, cut
# mid-code ("FM-TUI-1-17745084000" / "03 аяқталды:"), its end lost.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
tui_seed
export AMANAT_NOW="2026-03-26 12:00"
am force-majeure start --from "2026-03-26 10:00" --reason "су тасқыны" >/dev/null || fail "start"
ongoing() { am --json force-majeure list | json_get '[(f["to"] is None, f["notified"] is None) for f in d]'; }
export AMANAT_FIT_LOG="$T/fit.log"
: > "$AMANAT_FIT_LOG"
tui_start 20 16 kk
tui_login SUPER-1 3333
tui_keys 9
tui_expect "су"
tui_keys F2
tui_expect "форс-мажорды аяқтау."
tui_expect "Esc: болдырмау."
assert_eq "$(ongoing)" "[(True, True)]"		# asked, nothing recorded
tui_keys Escape
tui_expect "ештеңе"
tui_expect "жазылмады"
tui_expect "▶ Басталуы"				# still on the screen
assert_eq "$(ongoing)" "[(True, True)]"
tui_keys F3
tui_expect "F3 тағы: хабарланды"
tui_keys F3
tui_expect "хабарлама тіркелді"
assert_eq "$(ongoing)" "[(True, False)]"
tui_keys F2
tui_expect "форс-мажорды аяқтау."
tui_keys F2
tui_expect "қайта жүреді"			# whole: no id cut mid-code before it
tui_screen | grep -q "^FM-" && fail "the id on the handheld: $(tui_screen)"
ok
assert_eq "$(ongoing)" "[(False, False)]"
grep "confirmation" "$AMANAT_FIT_LOG" && fail "a question cut at 20x16"
ok
tui_keys Escape
tui_expect "1 Ауысым"
tui_quit
done_ok
