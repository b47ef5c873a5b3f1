#!/bin/sh
# Collected / cancelled by hand (supervisor's desk, 4), 20x16: F5 "Жазу"
# before the envelope and its reason are in says what is missing; on main
# it did nothing at all, an F-key that neither acted nor said why.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
tui_seed
tui_start 20 16 kk
tui_login SUPER-1 3333
tui_keys 2
tui_expect "4 Қолмен"
tui_keys 4
tui_expect "▶ Конвертті"
tui_keys F5
tui_expect "алдымен ▶ сұрағанын"
tui_keys Escape
tui_expect "1 Актілер"
tui_keys Escape
tui_expect "1 Ауысым"
tui_quit
done_ok
