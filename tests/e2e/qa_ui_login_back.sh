#!/bin/sh
# A wrong badge scanned at log-in (a colleague's, or the wrong name picked
# with the arrows) is left with Esc ("Esc Басқа бейдж"): the badge is asked
# again, and no PIN is typed against the wrong one, which would count
# towards locking its owner out.  On main the PIN step had no way back:
# the next badge scanned went in as a wrong PIN for the first one.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
tui_seed
# the wrong PINs counted against COURIER-1 (five lock the badge)
wrong_pins() {
	python3 -c "import sqlite3,sys; r=sqlite3.connect(sys.argv[1]).execute(\"SELECT coalesce(sum(pin_failures),0) FROM staff_lock WHERE badge='COURIER-1'\").fetchone(); print(r[0])" "$DB"
}
tui_start 20 16 kk
tui_expect "Esc Басқа бейдж"
tui_scan COURIER-1
tui_expect "▶ PIN"
tui_keys Escape
tui_expect "▶ Бейдж"
tmux -L "$TMUX_SOCK" send-keys -t t -l "CLERK"
tui_keys Escape					# at the badge: what was typed goes
i=0; while [ $i -lt 100 ] && tui_screen | grep -q "^CLERK"; do i=$((i + 1)); sleep 0.05; done
tui_screen | grep -q "^CLERK" && fail "the badge typed stayed: $(tui_screen)"
tui_login CLERK-1 1111
tui_expect "1 Қабылдау"
assert_eq "$(wrong_pins)" "0"
tui_quit
tui_start 80 24 kk
tui_expect "Esc Басқа бейдж"
tui_quit
done_ok
