#!/bin/sh
# The courier's serial scanner is unplugged at a postomat, on the 20x16
# handheld: the status line keeps the postomat's code whole (where the
# courier is never moves, never cut) and the rule under it says what is
# wrong in whole words, in reverse video ("⚠ сканер ажыратылды"; English
# has only the room for its short form, "⚠ no scanner").  On main the
# warning replaced the code: "⚠ сканер жоқ  ⇡16 0м", the postomat gone.
# A short handheld (40x8, no rule under the line) has both on its line.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
. "$(dirname "$0")/../support/scanpty.sh"
tui_seed
am accept R-2026-000123 RR402118737KZ >/dev/null
am handover COURIER-1 RR402118737KZ >/dev/null
TUI_CONF_EXTRA="scanner.port = $T/scan
scanner.reconnect_ms = 100"
row() { tui_screen | sed -n "${1}p" | sed 's/ *$//'; }
for run in "kk сканер_ажыратылды Постоматты" "en no_scanner postomat"; do
	set -- $run
	want=$(echo "$2" | tr _ ' ')
	pty_up
	tui_start 20 16 $1
	tui_login COURIER-1 2222
	tui_keys 2
	tui_expect "$3"
	pty_write ']C1PM-ALM-0042\r\n'
	tui_expect "PM-ALM-0042  "
	pty_down
	tui_expect "⚠"
	tui_keys Enter					# the error block read
	i=0; while [ $i -lt 100 ] && ! row 2 | grep -q "^⚠"; do i=$((i + 1)); sleep 0.05; done
	case "$(row 1)" in
	"PM-ALM-0042  "*"⇡"*) ok ;;
	*) fail "$1: the status line lost the postomat: $(tui_screen)" ;;
	esac
	case "$(row 2)" in
	"⚠ $want"*"─"*|"⚠ $want") ok ;;
	*) fail "$1: the warning is not under it whole: $(tui_screen)" ;;
	esac
	if [ "$1" = kk ]; then			# a short handheld, 40x8: beside the code
		tmux -L "$TMUX_SOCK" resize-window -t t -x 40 -y 8
		i=0; while [ $i -lt 100 ] && ! row 1 | grep -q "^PM-ALM-0042 ⚠"; do i=$((i + 1)); sleep 0.05; done
		case "$(row 1)" in
		"PM-ALM-0042 ⚠ сканер ажыратылды "*"⇡"*) ok ;;
		*) fail "40x8: $(tui_screen)" ;;
		esac
		tmux -L "$TMUX_SOCK" resize-window -t t -x 20 -y 16
		i=0; while [ $i -lt 100 ] && ! row 2 | grep -q "^⚠"; do i=$((i + 1)); sleep 0.05; done
	fi
	pty_up
	i=0; while [ $i -lt 100 ] && tui_screen | grep -q "⚠"; do i=$((i + 1)); sleep 0.05; done
	assert_eq "$(row 2)" "────────────────────"	# replugged: the rule again
	pty_write ']C1RR402118737KZ\r\n'
	tui_expect "A07"
	tui_keys Escape
	tui_keys Escape
	tui_keys Escape
	tui_quit
	pty_down
done
done_ok
