#!/bin/sh
# Sentences on a 20x16 handheld in Kazakh are shown whole, wrapped between
# words, where there is room below them: a hint ("scan the register id, type
# or choose"), an empty list's message, a menu item (its short form), the
# postomat's address.  Each of these was cut to one line ending in "…" while
# the rows under it stood empty (tui_fit.sh flags only a cut inside a word).
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
tui_seed
tui_start 20 16 kk
# whole: no line of the content ends in "…"
no_cut() {
	tui_screen | sed -n '3,12p' | grep -q '…' && fail "a sentence cut at 20x16 ($1):
$(tui_screen)"
	ok
}
tui_login SUPER-1 3333
tui_keys 2
tui_expect "Жоғарыдан"
no_cut "the desk's menu"
tui_keys 5
tui_expect "тіркелмеген"
tui_expect "форс-мажор"
no_cut "no force majeure"
tui_keys Escape		# back where it came from: the desk, not the main menu
tui_expect "6 Жоғарыдан"
sleep 0.3		# Esc then a digit within ESCDELAY reads as Alt+digit
tui_keys 2
tui_expect "хат жоқ"
tui_expect "тартпады"
no_cut "no dead letters"
tui_keys Escape
tui_keys Escape
tui_keys F10
tui_start 20 16 kk
tui_login CLERK-1 1111
tui_keys 1
tui_expect "таңдаңыз:"
no_cut "the accept screen's hint"
tui_keys Escape
tui_expect "Курьерге"
sleep 0.3
tui_keys 2
tui_expect "бейджін"
no_cut "the hand-over's hint"
tui_keys Escape
tui_keys F10
# the courier at a postomat: a long address in two lines, not one cut
sed 's/"Абай д. 150, Алматы"/"Абай даңғылы 150, Алмалы ауданы, Алматы"/' "$SAMPLES/postomats.json" > "$T/pm.json"
am postomat import "$T/pm.json" >/dev/null
am accept R-2026-000123 RR402118737KZ >/dev/null
am handover COURIER-1 RR402118737KZ >/dev/null
tui_start 20 16 kk
tui_login COURIER-1 2222
tui_keys 2
tui_expect "постоматты"
no_cut "the place screen's hint"
tui_scan PM-ALM-0042
tui_expect "Абай даңғылы 150,"
tui_expect "Алмалы ауданы,"
tui_expect "Алматы"
tui_expect "Конверт 0/1"
tui_keys Escape
tui_keys F10
# lookup at 20x16 names the courier whole (two lines), its history in short forms
tui_start 20 16 kk
tui_login CLERK-1 1111
tui_keys 6
tui_expect "сканерлеңіз"
tui_scan RR402118737KZ
tui_expect "(COURIER-1)"
tui_expect "Дәурен К."
no_cut "lookup"
tui_keys Escape
tui_keys F10
# the registers list at 80x24 in Russian keeps its last column (it was "4/5…")
tui_start 80 24 ru
tui_login CLERK-1 1111
tui_keys 7
tui_expect "R-2026-000123"
tui_expect "открыт"
done_ok
