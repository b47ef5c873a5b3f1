#!/bin/sh
# The screen-fit check: every screen of every form, with long realistic
# content and its error and confirmation lines, in Kazakh, Russian and
# English, at 20x16, 40x8 and 80x24.  The UI reports each text it had to cut
# inside a word, each line beyond its area, each key beyond the legend
# (AMANAT_FIT_LOG); the check fails on any.  F1 help scrolls instead.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
tui_seed
am accept R-2026-000123 RR402118737KZ RR402118745KZ RR402118754KZ >/dev/null
am handover COURIER-1 RR402118737KZ RR402118745KZ >/dev/null
export AMANAT_FIT_LOG="$T/fit.log"
: > "$AMANAT_FIT_LOG"
TUI_SIZES="20x16 40x8 80x24"
# fit SIZE...: look at the screen as it is at every size
fit() {
	for s in $TUI_SIZES; do
		tmux -L "$TMUX_SOCK" resize-window -t t -x "${s%x*}" -y "${s#*x}"
		sleep 0.15
		tui_screen > /dev/null
	done
	tmux -L "$TMUX_SOCK" resize-window -t t -x 20 -y 16
	sleep 0.1
}
# help SCREEN: F1 and its scrolling, then close it
help() { tui_keys F1; fit; tui_keys Down; tui_keys Down; fit; tui_keys F1; }
for lang in kk ru en; do
	tui_start 20 16 $lang
	fit; help
	tui_scan A05; fit; tui_keys Enter      # the wrong kind on the badge field
	tui_scan CLERK-1
	tui_wait "PIN" || fail "no PIN prompt"
	tui_keys 1; fit; tui_keys BSpace
	tui_scan 1111
	tui_wait "1 " || fail "no menu"
	fit; help
	tui_scan RR402118737KZ; fit; tui_keys Enter   # a scan on the menu
	tui_keys F8; fit; tui_keys Escape             # the close of the shift, asked
	tui_keys 1; sleep 0.1; fit; help               # accept: the register list
	tui_scan A05; fit; tui_keys Enter
	tui_scan R-2026-000123; fit
	tui_scan RR402118737KZ; fit; tui_keys Enter   # scanned before
	tui_scan RR777000125KZ; fit; tui_keys Enter   # not on the register
	tui_scan RR123456784KZ; fit; tui_keys Enter   # a wrong check digit
	tui_scan 'ӘІҢҒ'; fit; tui_keys Enter          # not a code
	tui_keys F2; fit; tui_scan RR402118768KZ; fit  # damaged
	tui_keys F7; fit; tui_keys F7
	tui_keys F5; fit; tui_keys Escape
	tui_keys 2; sleep 0.1; fit; help               # hand to courier
	tui_scan CLERK-1; fit; tui_keys Enter
	tui_scan COURIER-1; fit; tui_scan RR402118754KZ; fit; tui_keys Escape
	tui_keys 3; sleep 0.1; fit; tui_scan RR402118771KZ; fit; tui_keys Enter; tui_keys Escape
	tui_keys 4; sleep 0.1; fit; help; tui_keys Escape
	tui_keys 5; sleep 0.1; fit; help                # the loss act
	tui_scan RR402118771KZ; fit
	tmux -L "$TMUX_SOCK" send-keys -t t -l "$(python3 -c "print(('Конверт жолда жоғалды, курьер іздеді бірақ таппады ' * 5)[:200])")"
	tui_keys Enter; fit; tui_keys Escape; fit; tui_keys Escape
	tui_keys 6; sleep 0.1; fit; tui_scan RR402118737KZ; fit; tui_keys Escape
	tui_keys Escape
	tui_login COURIER-1 2222
	fit
	tui_keys 1; sleep 0.1; fit; help; tui_keys Escape
	tui_keys 2; sleep 0.1; fit; help
	tui_scan PM-ALM-0042; fit; tui_scan RR402118737KZ; fit
	tui_scan A09; fit; tui_keys Enter                  # the wrong cell
	tui_keys F2; fit; tui_scan A03; fit                 # another cell, placed
	tui_scan PM-ALM-0043; fit; tui_keys Escape; tui_keys Escape; tui_keys Escape
	tui_keys 3; sleep 0.1; fit; help
	tui_scan RR402118745KZ; fit; tui_scan 2026-03-28; fit
	tmux -L "$TMUX_SOCK" send-keys -t t -l "Постомат жұмыс істемейді, жөндеуде"
	tui_keys Enter; fit; tui_keys Escape
	tui_keys 4; sleep 0.1; fit; help; tui_scan PM-ALM-0042; fit; tui_keys Escape
	tui_keys Escape
	tui_login SUPER-1 3333
	fit
	tui_keys 1; sleep 0.1; fit; help; tui_keys Escape
	tui_keys Escape
	tui_quit
done
if [ -s "$AMANAT_FIT_LOG" ]; then
	sort "$AMANAT_FIT_LOG" | uniq -c | sort -rn | head -60 >&2
	fail "$(sort -u "$AMANAT_FIT_LOG" | wc -l) texts do not fit"
fi
ok
done_ok
