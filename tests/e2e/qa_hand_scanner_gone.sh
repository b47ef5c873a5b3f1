#!/bin/sh
# The courier's serial scanner is unplugged at a postomat: the 20x16
# handheld says so in whole words under the status line, which keeps the
# postomat ("⚠ сканер ажыратылды", "⚠ сканер отключён"); once it read
# "⚠ сканер…" (the long form cut at a word, what is wrong with it lost).
# Replugged, the postomat is back on the line and scanning goes on.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
. "$(dirname "$0")/../support/scanpty.sh"
tui_seed
am accept R-2026-000123 RR402118737KZ >/dev/null
am handover COURIER-1 RR402118737KZ >/dev/null
TUI_CONF_EXTRA="scanner.port = $T/scan
scanner.reconnect_ms = 100"
for run in "kk сканер_ажыратылды Постоматты" "ru сканер_отключён постомат"; do
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
	top=$(tui_screen | sed -n 2p)	# the rule under the status line (qa_ui_scanner_where.sh)
	case "$top" in
	*…*) fail "$1: the warning is cut: $top" ;;
	"⚠ $want"*) ok ;;
	*) fail "$1: the warning says: $top" ;;
	esac
	tui_keys Enter
	pty_up
	tui_wait "PM-ALM-0042  " || fail "$1: not back after replug: $(tui_screen)"
	pty_write ']C1RR402118737KZ\r\n'
	tui_expect "A07"
	tui_keys Escape
	tui_keys Escape
	tui_keys Escape
	tui_quit
	pty_down
done
done_ok
