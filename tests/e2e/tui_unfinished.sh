#!/bin/sh
# A register whose import was cut short (killed, the disk full) is hidden
# from the list until its file is loaded again (tests/cli/import_kill.sh):
# the registers screen names it above the list with what to do, in Kazakh
# at 20x16 (after Esc, and after a kill -9 while a CLI writes) and in
# English at 80x24, not while this terminal is loading it, and no more once
# its file has been loaded again.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
tui_seed
mkdir "$T/inbox"
python3 "$AMANAT_TOP/tests/support/genreg.py" R-2026-000901 30 > "$T/inbox/R-2026-000901.json"
am register import "$T/inbox/R-2026-000901.json" >/dev/null || fail "import"
# cut short after its last slice's lines, before it was marked whole
sqlite3 "$DB" "UPDATE register SET imported_at = 0 WHERE id = 'R-2026-000901'"
expect_exit 1 am register show R-2026-000901
export TUI_CONF_EXTRA="register.inbox = $T/inbox"
tui_start 20 16
tui_login CLERK-1 1111
tui_keys 7
tui_expect "R-2026-000901:"
tui_expect "қайта жүктеңіз"
tui_screen | grep -q "(F2)" || fail "the key to press is cut off: $(tui_screen)"
ok
# after Esc and back, and after a kill -9 and a new start, it is still named:
# the note is read from the store, not kept by the screen; meanwhile a CLI
# finishes another register on the same database
tui_keys Escape
tui_expect "1 "
tui_keys 7
tui_expect "қайта жүктеңіз"
PID=$(tmux -L "$TMUX_SOCK" display-message -p -t t '#{pane_pid}')
kill -9 "$PID"
i=0
while kill -0 "$PID" 2>/dev/null && [ $i -lt 100 ]; do i=$((i + 1)); sleep 0.05; done
expect_exit 0 am accept R-2026-000123 RR402118737KZ
tui_start 20 16
tui_login CLERK-1 1111
tui_keys 7
tui_expect "R-2026-000901:"
tui_expect "қайта жүктеңіз"
tui_keys Escape
tui_expect "1 "
tui_quit
tui_start 80 24 en
tui_login CLERK-1 1111
tui_keys 7
tui_expect "! R-2026-000901 was not loaded whole (30 lines): load its file again (F2)"
# loaded again from the inbox: whole, listed, and the note is gone
tui_keys F2
tui_expect "R-2026-000901.json"
tui_keys Enter
tui_expect "register R-2026-000901 (inbound) loaded: 30 envelopes"
tui_keys Escape
tui_keys 7
tui_expect "R-2026-000901"
tui_screen | grep -q "not loaded whole" && fail "the note stays after the register is whole: $(tui_screen)"
ok
[ "$(sqlite3 "$DB" "SELECT imported_at FROM register WHERE id = 'R-2026-000901'")" != 0 ] || fail "not whole"
ok
tui_keys Escape
tui_expect "1 "
tui_quit
done_ok
