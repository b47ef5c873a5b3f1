#!/bin/sh
# A waybill typed by hand survives the terminal shrunk below 20x16 and back
# (design.md: "a resize redraws without losing what was typed"), and so do
# the keys typed while it is too small: they go where the hidden field
# would have put them (the last row says "▶ …" and their end), Backspace
# takes one back, Enter looks the envelope up.  On main the keys typed at
# 10x5 were dropped one by one as menu keys: the field came back without them.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
tui_seed
am accept R-2026-000123 RR402118737KZ >/dev/null
resize() { tmux -L "$TMUX_SOCK" resize-window -t t -x "$1" -y "$2"; }
typed_row() { tui_screen | grep -A1 "^сканерлеңіз" | tail -1 | sed 's/ *$//'; }
tui_start 20 16 kk
tui_login CLERK-1 1111
tui_keys 6
tui_expect "▶ Конвертті"
tmux -L "$TMUX_SOCK" send-keys -t t -l RR4021
tui_expect "RR4021"
resize 10 5
tui_expect "Терминал"
tui_expect "▶ RR4021"				# said at any size
for c in 1 8 7 3 X; do tui_keys "$c"; done
tui_keys BSpace					# the X goes
tui_expect "▶ …0211873"
resize 20 16
tui_expect "▶ Конвертті"
i=0; while [ $i -lt 100 ] && [ "$(typed_row)" != "RR40211873" ]; do i=$((i + 1)); sleep 0.05; done
assert_eq "$(typed_row)" "RR40211873"
resize 10 5
tui_expect "Терминал"
for c in 7 K Z; do tui_keys "$c"; done
tui_keys Enter
tui_expect "✓ …18737KZ"				# looked up there and then
resize 20 16
tui_expect_shown "сәйкес"			# the lookup, whole
assert_eq "$(typed_row)" ""			# taken: the field is empty
tui_keys Escape
tui_expect "1 Қабылдау"
tui_quit
done_ok
