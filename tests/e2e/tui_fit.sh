#!/bin/sh
# The screen-fit check: every screen of every form, with long realistic
# content and its error and confirmation lines, in Kazakh, Russian and
# English, at 20x16, 40x8 and 80x24.  Two checks, both must be clean:
# - the UI reports each text it had to cut inside a word, each line beyond
#   its area, each key beyond the legend (AMANAT_FIT_LOG);
# - every screen is captured and read from outside (tests/support/fitcheck.py):
#   a word that ends at the right edge or before "…" and is only the start
#   of a word of the catalogues is a word cut mid-word, whoever cut it (the
#   ncurses menu cuts its items without telling).
# F1 help scrolls instead.  A terminal shrunk to 10x5 says it is too small.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
tui_seed
am accept R-2026-000123 RR402118737KZ RR402118745KZ RR402118754KZ >/dev/null
am handover COURIER-1 RR402118737KZ RR402118745KZ >/dev/null
export AMANAT_FIT_LOG="$T/fit.log"
: > "$AMANAT_FIT_LOG"
TUI_SIZES="20x16 40x8 80x24"
mkdir -p "$T/shots"
shot=0
# the words of the data the screens show besides the catalogues'
export FIT_WORDS="Айгүл С. Дәурен К. Ерлан Б. Конверт жолда жоғалды, курьер іздеді бірақ таппады
Постомат жұмыс істемейді, жөндеуде"
# fit: look at the screen as it is at every size, and keep what it showed
# drawn_at COLS: wait (up to 5 s) until the UI has redrawn at that width: its
# status line then ends in the last column with its ⇡ count (a fixed sleep
# captured the old drawing on a loaded machine and read it as text cut at
# the new width; a drawing tmux cut from a wider one has lost its ⇡)
drawn_at() {
	i=0
	while [ $i -lt 100 ]; do
		top=$(tui_screen | head -1)
		case "$top" in *⇡*) [ "$(printf '%s' "$top" | wc -m)" = "$1" ] && return 0 ;; esac
		sleep 0.05
		i=$((i + 1))
	done
	fail "never redrawn at $1 columns: $(tui_screen)"
}
fit() {
	for s in $TUI_SIZES; do
		tmux -L "$TMUX_SOCK" resize-window -t t -x "${s%x*}" -y "${s#*x}"
		drawn_at "${s%x*}"
		shot=$((shot + 1))
		tui_screen > "$T/shots/$s.$lang.$shot.txt"
	done
	tmux -L "$TMUX_SOCK" resize-window -t t -x 20 -y 16
	drawn_at 20
}
# tiny: shrunk to 10x5 the UI says it is too small, and lives on
tiny() {
	tmux -L "$TMUX_SOCK" resize-window -t t -x 10 -y 5
	tui_wait "$1" || fail "at 10x5 no '$1': $(tui_screen)"
	ok
	[ "$(tmux -L "$TMUX_SOCK" display-message -p -t t '#{pane_dead}')" = 0 ] || fail "the UI died at 10x5"
	tmux -L "$TMUX_SOCK" resize-window -t t -x 20 -y 16
	sleep 0.15
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
	tui_keys 7; sleep 0.1; fit; help                # registers
	tui_scan R-2026-000123; fit; tui_keys Escape   # (a second Esc logged out: the acts, the courier and the supervisor were never reached)
	tui_keys 8; sleep 0.1; fit; help; tui_keys Escape   # acts
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
	tui_keys 1; sleep 0.1; fit; help                 # the shift screen
	tui_keys F8; fit; tui_keys Escape; fit; tui_keys Escape
	tui_keys 2; sleep 0.1; fit; help                 # the supervisor's desk
	for i in 1 2 3 4 5; do                         # acts, dead letters, staff, by hand, force majeure
		tui_keys $i; sleep 0.1; fit; help; tui_keys Escape; sleep 0.1
	done
	tui_keys Escape
	tui_keys 8; sleep 0.1; fit; tui_keys Escape     # registers
	tui_keys 9; sleep 0.1; fit; help                 # force majeure
	tmux -L "$TMUX_SOCK" send-keys -t t -l "26.03.2026 09:00"; tui_keys Enter; fit
	tui_keys Escape; tui_keys Escape
	case $lang in kk) small="кіші" ;; ru) small="мал" ;; *) small="small" ;; esac
	tiny "$small"
	tui_keys Escape
	tui_quit
done
for s in $TUI_SIZES; do
	python3 "$AMANAT_TOP/tests/support/fitcheck.py" "${s%x*}" "$T"/shots/$s.*.txt > "$T/cuts.$s" \
		|| { head -40 "$T/cuts.$s" >&2; fail "words cut mid-word at $s: $(wc -l < "$T/cuts.$s")"; }
	ok
done
if [ -s "$AMANAT_FIT_LOG" ]; then
	sort "$AMANAT_FIT_LOG" | uniq -c | sort -rn | head -60 >&2
	fail "$(sort -u "$AMANAT_FIT_LOG" | wc -l) texts do not fit"
fi
ok
done_ok
