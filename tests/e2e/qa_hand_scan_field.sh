#!/bin/sh
# A courier's serial scanner fires where a field is typed, not scanned: the
# badge again at the PIN prompt, the next envelope while the late delivery
# asks for its date or its reason.  Nothing is taken, and the block says to
# type here; on main it said "choose a task first: a scan never chooses
# from a menu" on screens that have no menu.  20x16, Kazakh.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
. "$(dirname "$0")/../support/scanpty.sh"
tui_seed
am accept R-2026-000123 RR402118737KZ RR402118754KZ >/dev/null
am handover COURIER-1 RR402118737KZ RR402118754KZ >/dev/null
pty_up
TUI_CONF_EXTRA="scanner.port = $T/scan
scanner.reconnect_ms = 100"
tui_start 20 16 kk
pty_write 'COURIER-1\r\n'
tui_expect "PIN"
pty_write '+900' 'COURIER-1\r\n'          # the badge again, past the double-trigger window
tui_expect "жазбайды"
case "$(tui_screen)" in *"мәзір"*) fail "a menu named where there is none:
$(tui_screen)" ;; esac
ok
tui_keys Enter
tui_scan 2222
tui_expect "1 "
tui_keys 3
tui_expect "Конвертті"
pty_write ']C1RR402118754KZ\r\n'
tui_expect "Жаңа күн"
pty_write ']C1RR402118737KZ\r\n'          # the next envelope, by habit
tui_expect "жазбайды"
case "$(tui_screen)" in *"мәзір"*) fail "a menu named where there is none:
$(tui_screen)" ;; esac
ok
tui_keys Enter
tui_expect "Жаңа күн"                     # still asking for the date
tui_keys Up
tui_keys Enter
tui_expect "Себеп"
pty_write '+900' ']C1RR402118737KZ\r\n'
tui_expect "жазбайды"
tui_keys Enter
tui_scan "постомат жұмыс істемейді"
tui_expect "Enter тағы"
tui_keys Enter
tui_expect "✓ RR402118754KZ"
am --json events --waybill RR402118737KZ > "$T/e.json"
assert_eq "$(json_get '[e["type"] for e in d][-1]' < "$T/e.json")" out_for_delivery
assert_eq "$(am --json events --waybill RR402118754KZ | json_get '[e["type"] for e in d][-1]')" delayed
tui_keys Escape
tui_keys Escape
tui_expect "Бейдж"
tui_quit
done_ok
