#!/bin/sh
# An F-key a screen does not have says so instead of doing nothing: F5 on
# the menu, F2 on Lookup, F5 on Returns in (all at 20x16, in Kazakh, and
# the typed text in a field stays).  On main these keys did nothing at all,
# so a person could not tell a key that does not exist from one that
# failed.  A question still standing (F8 on the menu: "F8, Enter or your
# badge: close. Esc: keep it open.") is not replaced: a bell answers the
# key, the question stays, and Esc still keeps the shift open.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
tui_seed
tui_start 20 16 kk
tui_login CLERK-1 1111
tui_keys F5
tui_expect "F5 мұнда істемейді"
tui_keys 6
tui_expect "▶ Конвертті"
tmux -L "$TMUX_SOCK" send-keys -t t -l RR4021
tui_keys F2
tui_expect "F2 мұнда істемейді"
tui_expect "RR4021"				# what was typed stays
tui_keys Escape
tui_expect "1 Қабылдау"
tui_keys 3
tui_expect "▶ Конвертті"
tui_keys F5
tui_expect "F5 мұнда істемейді"
tui_keys Escape
tui_expect "1 Қабылдау"
tui_keys F8
tui_expect "Esc: ашық қалдыру"
tui_keys F3
sleep 0.3
tui_expect "Esc: ашық қалдыру"
tui_screen | grep -q "F3 мұнда" && fail "the question was replaced: $(tui_screen)"
tui_keys Escape
tui_expect "ауысым ашық қалды"
tui_quit
done_ok
