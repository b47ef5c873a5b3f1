#!/bin/sh
# At a postomat (20x16): F2 (the cell is full) asks for another free cell;
# Esc puts the envelope down, and the line "басқа бос ұяшықтың белгісін
# сканерлеңіз" goes with it.  On main it stayed under "▶ Конвертті
# сканерлеңіз", asking for a cell while the screen waited for an envelope.
# F2 before any postomat is scanned asks for the postomat, not the envelope
# (it said "алдымен конвертті сканерлеңіз" while the field was the postomat's).
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
tui_seed
am accept R-2026-000123 RR402118737KZ >/dev/null
am handover COURIER-1 RR402118737KZ >/dev/null
tui_start 20 16 kk
tui_login COURIER-1 2222
tui_keys 2
tui_expect "▶ Постоматты"
tui_keys F2
tui_expect "алдымен постоматты"
tui_screen | grep -q "алдымен конвертті" && fail "F2 asked for the envelope first: $(tui_screen)"
tui_scan PM-ALM-0042
tui_expect "PM-ALM-0042  "
tui_scan RR402118737KZ
tui_expect "▶ Ұяшықты"
tui_keys F2
tui_expect "белгісін сканерлеңіз"
tui_keys Escape
tui_expect "▶ Конвертті"
sleep 0.2
tui_screen | grep -q "белгісін" && fail "the cell's line stayed: $(tui_screen)"
ok
assert_eq "$(am --json status RR402118737KZ | json_get 'd["state"]')" "out_for_delivery"
tui_keys Escape
tui_keys Escape
tui_expect "1 Менің"
tui_quit
done_ok
