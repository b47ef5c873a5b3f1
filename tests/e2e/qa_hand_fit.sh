#!/bin/sh
# The courier's lines fit a 20x16 handheld whole, in Kazakh, Russian and
# English, read from outside (no line of the screen ends in "…") and as the
# UI reports its own cuts (AMANAT_FIT_LOG): the route's count at a postomat
# where none of the courier's envelopes go ("Маршрут: 2 ішінен 0…" lost its
# verb), the late delivery's question and its confirmation (4 lines: "(§27)"
# cut off).
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
tui_seed
am accept R-2026-000123 RR402118737KZ RR402118745KZ RR402118754KZ RR402118768KZ >/dev/null
am handover COURIER-1 RR402118737KZ RR402118745KZ RR402118754KZ >/dev/null
export AMANAT_FIT_LOG="$T/fit.log"
: > "$AMANAT_FIT_LOG"
# whole: no line of the screen cut with "…" (the "✓ …8737KZ" of a placed
# line is a shortened waybill, not a cut)
whole() {
	tui_screen | grep -v "^✓ …" | grep -q "…" && fail "$1: a line is cut:
$(tui_screen)"
	ok
}
for lang in kk ru en; do
	tui_start 20 16 $lang
	tui_login COURIER-1 2222
	tui_keys 2
	tui_expect "▶"
	tui_scan PM-ALM-0051                  # none of this courier's envelopes left here
	case $lang in en) route=Route ;; *) route=Маршрут ;; esac
	tui_expect "$route"
	whole "$lang: the route's count at a postomat"
	tui_keys Escape
	tui_keys Escape
	tui_keys 3
	tui_expect "▶"
	tui_scan RR402118754KZ
	tui_expect "26.03.2026"
	tui_keys Up
	tui_keys Enter
	tui_expect "27.03.2026"
	tui_scan "постомат жұмыс істемейді"
	tui_expect "Enter"			# asked first: Enter again records it
	whole "$lang: the late delivery's question"
	tui_keys Enter
	tui_expect "✓ RR402118754KZ"
	tui_expect "§27)"
	whole "$lang: the late delivery's confirmation"
	tui_keys Escape
	tui_keys Escape
	tui_quit
done
if [ -s "$AMANAT_FIT_LOG" ]; then
	sort "$AMANAT_FIT_LOG" | uniq -c >&2
	fail "texts cut on the courier's screens"
fi
done_ok
