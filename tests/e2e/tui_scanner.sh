#!/bin/sh
# The whole path a clerk uses: a serial scanner on a pty feeds the TUI in
# tmux; scans land in the database; garbage, a double trigger and an unplug
# are shown and change nothing; after replug, scanning goes on.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
. "$(dirname "$0")/../support/scanpty.sh"
tui_seed
pty_up
TUI_CONF_EXTRA="scanner.port = $T/scan
scanner.reconnect_ms = 100"
tui_start 80 24 kk
tui_expect "Кіру"
pty_write 'CLERK-1\r'                     # the badge, scanned
tui_expect "PIN"
tui_scan 1111
tui_keys 1
tui_expect "Тізілім:"
pty_write ']C1R-2026-000123\r'
tui_expect "Сәйкес 0 / 5"
pty_write ']C1RR402118737KZ\r' '+300' ']C1RR402118745KZ\r' '+50' ']C1RR402118745KZ\r'
tui_expect "Сәйкес 2 / 5"
tui_expect "қос басу"
pty_write '\x01\x02\xff\r'
tui_expect "сканерден оқылмайтын"
tui_keys Enter
pty_down
tui_expect "⚠"
tui_keys Enter
pty_up
tui_wait "⚠" && i=0
while [ $i -lt 60 ] && tui_screen | grep -q "⚠"; do i=$((i + 1)); sleep 0.05; done
pty_write ']C1RR402118754KZ\r'
tui_expect "Сәйкес 3 / 5"
am --json register show R-2026-000123 > "$T/show.json"
assert_eq "$(json_get 'd["tally"]["matched"], d["tally"]["unexpected"]' < "$T/show.json")" "(3, 0)"
am --json events > "$T/ev.json"
assert_eq "$(json_get 'len([e for e in d if e["type"]=="accepted"])' < "$T/ev.json")" 3
tui_keys Escape
tui_keys Escape
tui_expect "Бейдж"
tui_quit
done_ok
