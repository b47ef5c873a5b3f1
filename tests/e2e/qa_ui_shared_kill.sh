#!/bin/sh
# Two processes on one database, and a kill -9, on the screens changed on
# 2026-11-27, at 20x16 in Kazakh.  The tally's last scans (read newest first
# since schema 29) show a scan a CLI made meanwhile in another process, newest
# first, the same after Esc and after the UI is killed and started again.  A
# late delivery asked ("Enter тағы") and then killed records nothing; started
# again, the screen asks from the beginning.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
tui_seed
# the list's lines under the counts (the confirmation below them names the
# last scan again)
last_lines() { tui_screen | grep -o "RR4021187[0-9]*KZ" | head -n 3 | tr '\n' ' '; }
kill_ui() {
	PID=$(tmux -L "$TMUX_SOCK" display-message -p -t t '#{pane_pid}')
	kill -9 "$PID"
	i=0
	while kill -0 "$PID" 2>/dev/null && [ $i -lt 100 ]; do i=$((i + 1)); sleep 0.05; done
}
tui_start 20 16 kk
tui_login CLERK-1 1111
tui_keys 1
tui_expect "> R-2026-000123"
tui_keys Enter
tui_expect "✓0/5"
tui_scan RR402118737KZ
tui_expect "✓1/5"
# another process (a second desk's CLI) accepts one more of the same register
am accept R-2026-000123 RR402118745KZ >/dev/null
tui_scan RR402118754KZ
tui_expect "✓3/5"
assert_eq "$(last_lines)" "RR402118754KZ RR402118745KZ RR402118737KZ "
# Esc to the menu and back: rebuilt from the store, the same
tui_keys Escape
tui_expect "1 Қабылдау"
tui_keys 1
tui_expect "> R-2026-000123"
tui_keys Enter
tui_expect "✓3/5"
assert_eq "$(last_lines)" "RR402118754KZ RR402118745KZ RR402118737KZ "
# kill -9, a new start: the same
kill_ui
tui_start 20 16 kk
tui_login CLERK-1 1111
tui_keys 1
tui_expect "> R-2026-000123"
tui_keys Enter
tui_expect "✓3/5"
assert_eq "$(last_lines)" "RR402118754KZ RR402118745KZ RR402118737KZ "
tui_keys Escape
tui_keys Escape
tui_keys Escape
# a courier's late delivery, asked and killed before the second Enter
am handover COURIER-1 RR402118737KZ >/dev/null
tui_start 20 16 kk
tui_login COURIER-1 2222
tui_keys 3
tui_expect "Конвертті"
tui_scan RR402118737KZ
tui_expect "Жаңа күн"
tui_keys Up
tui_keys Enter
tui_expect "Себеп"
tui_scan "көлік бұзылды"
tui_expect "Enter тағы"
kill_ui
assert_eq "$(sqlite3 "$DB" "SELECT delayed_until FROM envelope WHERE waybill = 'RR402118737KZ'")" ""
assert_eq "$(am --json events --waybill RR402118737KZ | json_get '[e["type"] for e in d][-1]')" out_for_delivery
am verify >/dev/null || fail "the chain after kill -9"
tui_start 20 16 kk
tui_login COURIER-1 2222
tui_keys 3
tui_expect "Конвертті"
case "$(tui_screen)" in *"Enter тағы"*|*"Себеп"*) fail "the question outlived the process: $(tui_screen)" ;; esac
ok
tui_keys Escape
tui_expect "1 Менің"
tui_quit
done_ok
