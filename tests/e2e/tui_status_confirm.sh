#!/bin/sh
# Collected / cancelled by hand at 20x16 in Kazakh: the confirmation shows
# the envelope and the state it gets whole (at 20 columns the state has its
# own line) and the reason; nothing is recorded while a CLI writes the same
# database, nor after Esc, nor when the UI is killed (kill -9) at the
# confirmation; F5 records it once.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
W=RR402118737KZ
tui_seed
AMANAT_NOW="2026-03-26 10:00" am accept R-2026-000123 $W >/dev/null
AMANAT_NOW="2026-03-26 10:30" am handover COURIER-1 $W >/dev/null
AMANAT_NOW="2026-03-26 10:40" am place $W PM-ALM-0042 A07 >/dev/null
state() { sqlite3 -cmd '.timeout 5000' "$DB" "SELECT state FROM envelope WHERE waybill = '$W'"; }
confirm_step() {
	tui_start 20 16 kk
	tui_login SUPER-1 3333
	tui_keys 2
	tui_expect "Қолмен"
	tui_keys 4
	tui_expect "сканерлеңіз"
	tui_scan $W
	tui_expect "себебі"
	tui_scan "ата-ана телефон соқты: ұяшық ашылды"
	tui_expect "F5 не конвертті"
}
confirm_step
tui_expect "алынды"			# the state it gets, not cut to "→…"
tui_expect "ұяшық ашылды"
AMANAT_NOW="2026-03-26 11:00" am accept R-2026-000123 RR402118745KZ >/dev/null   # a CLI writes
assert_eq "$(state)" placed
tui_keys Escape
tui_expect "ештеңе"
assert_eq "$(state)" placed
# killed at the confirmation: nothing was confirmed, nothing is recorded
tui_scan $W
tui_expect "себебі"
tui_scan "ата-ана телефон соқты: ұяшық ашылды"
tui_expect "F5 не конвертті"
PID=$(tmux -L "$TMUX_SOCK" display-message -p -t t '#{pane_pid}')
kill -9 "$PID"
i=0
while kill -0 "$PID" 2>/dev/null && [ $i -lt 100 ]; do i=$((i + 1)); sleep 0.05; done
assert_eq "$(state)" placed
# F5 records it, once
confirm_step
tui_keys F5
tui_expect "$W:"
assert_eq "$(state)" collected
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM event WHERE type = 'collected' AND waybill = '$W'")" 1
am verify >/dev/null || fail "verify after the step"
done_ok
