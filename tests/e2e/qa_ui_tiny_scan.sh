#!/bin/sh
# A scan at a terminal shrunk to 10x5 (too small for any screen) says what
# it came to there and then: "✓ …18737KZ" above "Терминал тым кіші", an
# error inverted; a keyboard-wedge scan is taken for the hidden scan field
# as a serial one is.  Grown back to 20x16, the screen has everything, the
# last confirmation too.  On main the confirmation came only after the
# terminal grew, and a wedge scan was refused as going into no field.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
. "$(dirname "$0")/../support/scanpty.sh"
tui_seed
pty_up
TUI_CONF_EXTRA="scanner.port = $T/scan
scanner.reconnect_ms = 100"
resize() { tmux -L "$TMUX_SOCK" resize-window -t t -x "$1" -y "$2"; }
row0() { tui_screen | sed -n 1p | sed 's/ *$//'; }
accepted() { am --json events | json_get 'sorted(e["waybill"] for e in d if e["type"] == "accepted")'; }
tui_start 20 16 kk
tui_login CLERK-1 1111
tui_keys 1
tui_expect "Тізілім"
tui_scan R-2026-000123
tui_expect "қалды 5"
resize 10 5
tui_expect "Терминал"
assert_eq "$(row0)" "Терминал"		# nothing to say yet
pty_write ']C1RR402118737KZ\r'			# the serial scanner
tui_expect "✓ …18737KZ"
assert_eq "$(row0)" "✓ …18737KZ"
tui_expect "Терминал"
assert_eq "$(accepted)" "['RR402118737KZ']"
tui_scan RR402118745KZ				# a keyboard-wedge scanner
tui_expect "✓ …18745KZ"
assert_eq "$(accepted)" "['RR402118737KZ', 'RR402118745KZ']"
tui_scan RR402118745KZ				# again: refused, said as refused
tui_expect "✗ …18745KZ"
assert_eq "$(accepted)" "['RR402118737KZ', 'RR402118745KZ']"
tui_keys Enter					# acknowledged, as on any screen
i=0; while [ $i -lt 100 ] && tui_screen | grep -q "✗"; do i=$((i + 1)); sleep 0.05; done
assert_eq "$(row0)" "Терминал"
pty_write ']C1RR402118754KZ\r'
tui_expect "✓ …18754KZ"
# grown back: the screen, its counts, and the last confirmation whole
resize 20 16
tui_expect "▶ Конвертті"
tui_expect "✓3/5"
tui_expect_shown "✓ RR402118754KZ"
assert_eq "$(accepted)" "['RR402118737KZ', 'RR402118745KZ', 'RR402118754KZ']"
tui_keys Escape
tui_expect "1 Қабылдау"
tui_quit
done_ok
