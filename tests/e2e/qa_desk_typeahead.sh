#!/bin/sh
# Keys typed ahead: a person who knows the desk presses "1" and F9 (or Esc)
# faster than a busy terminal draws, and both arrive in one read.  The menu
# holds a digit 40 ms (a scanner's burst must not choose from it), and the
# F-key was handled by the menu in the meantime: F9 was lost (the menu has
# none), Esc logged the supervisor out and the 1 then landed on the log-in.
# The held digit goes first: the F-key acts on the screen it opens.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
tui_seed
: > "$T/printer"
chmod 600 "$T/printer"
TUI_CONF_EXTRA="print.device = $T/printer" tui_start 80 24 kk
tui_login SUPER-1 3333
tui_expect "1 Ауысым экраны"
tmux -L "$TMUX_SOCK" send-keys -t t 1 F9	# one write: read in one go
tui_expect "принтерге жіберілді"		# the shift screen's F9: the report
ls "$T"/reports/shift-*.txt >/dev/null 2>&1 || fail "no report written"
ok
tui_keys Escape
tui_expect "1 Ауысым экраны"
tmux -L "$TMUX_SOCK" send-keys -t t 2 Escape	# the desk, and back
sleep 0.5
tui_expect "1 Ауысым экраны"
case "$(tui_screen)" in *"Бейдж"*) fail "Esc logged out instead of leaving the desk:
$(tui_screen)" ;; esac
ok
tui_quit
done_ok
