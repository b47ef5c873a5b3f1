#!/bin/sh
# Every screen at 20x16 in Kazakh (the longest texts), at 80x24 and 40x8: it
# opens, shows its prompt and legend, and goes back; a resize keeps what was
# typed; a terminal shrunk to 10x5 says it is too small instead of drawing.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
tui_seed
am accept R-2026-000123 RR402118737KZ >/dev/null
am handover COURIER-1 RR402118737KZ >/dev/null
for size in "20 16" "80 24"; do
	set -- $size
	tui_start "$1" "$2" kk
	tui_login CLERK-1 1111
	for item in "1:▶ Тізілім" "2:Курьер бейджі" "3:Конвертті" "4:Қайтару тізілімі" "5:Конвертті" "6:Конвертті"; do
		tui_keys "${item%%:*}"
		tui_expect "${item#*:}"
		tui_expect "Esc"
		tui_keys Escape
		tui_expect "1 "
	done
	tui_keys Escape
	tui_login COURIER-1 2222
	for item in "1:RR402118737KZ" "2:Постоматты" "3:Конвертті" "4:Постоматты" "5:Конвертті"; do
		tui_keys "${item%%:*}"
		tui_expect "${item#*:}"
		tui_keys Escape
		tui_expect "1 "
	done
	tui_keys Escape
	tui_login SUPER-1 3333
	tui_keys 1
	tui_expect "F8"
	tui_keys Escape
done
# 8x40, the short handhelds: the courier's placement still fits
tui_start 40 8 kk
tui_expect "▶ Бейдж:"
tui_scan COURIER-1
tui_expect "PIN"
tui_scan 2222
tui_expect "1 "
tui_keys 2
tui_expect "Постоматты"
tui_scan PM-ALM-0042
tui_expect "Абай"
tui_scan RR402118737KZ
tui_expect "ұяшық A07"
tui_scan A09
tui_expect "ҚАТЕ ҰЯШЫҚ"
tui_expect "Esc Артқа"
tui_keys Enter
tui_scan A07
tui_expect "A07 ұяшығына"
assert_eq "$(am --json status RR402118737KZ | json_get 'd["state"]')" placed
# a badge picked from the list with the arrows instead of scanned; F1 help
tui_start 80 24 kk
tui_keys F1
tui_expect "Мәзір рөліңізге байланысты"
tui_keys Escape
tui_expect "> Айгүл С."
tui_keys Down
tui_expect "> Дәурен К."
tui_keys Enter
tui_expect "PIN"
tui_scan 2222
tui_expect "Менің бағытым"
# Russian and English are complete too
tui_start 80 24 ru
tui_expect "Сканируйте свой бейдж"
tui_keys F3
tui_expect "Scan your badge"
# a resize keeps the typed text; too small says so
tui_start 80 24 kk
tui_keys -l "CLERK-"
tmux -L "$TMUX_SOCK" resize-window -t t -x 20 -y 16
tui_expect "Бейдж"
tui_keys -l "1"
tui_keys Enter
tui_expect "PIN"
tmux -L "$TMUX_SOCK" resize-window -t t -x 10 -y 5
tui_expect "Терминал"
case "$(tui_screen)" in *"▶"*) fail "drew the form in 10x5" ;; esac
tmux -L "$TMUX_SOCK" resize-window -t t -x 80 -y 24
tui_expect "▶ PIN:"
tui_scan 1111
tui_expect "Тапсыруды қабылдау"
tui_keys Escape
tui_expect "Бейдж"
tui_quit
done_ok
