#!/bin/sh
# F2 (the reserved cell is full) at a postomat whose address takes two
# lines: the free cells must be on the screen, with the envelope and its
# cell, at 20x16 and on a short 40x8 handheld; on main the free cells went
# under the "scan another free cell" line at 20x16, and at 40x8 the body ran
# into the key legend (a rule drawn through "F2 Толы F3 Бұзық").
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
tui_seed
am accept R-2026-000123 RR402118771KZ RR402118745KZ >/dev/null
am handover COURIER-1 RR402118771KZ RR402118745KZ >/dev/null
for run in "20 16 RR402118771KZ A02" "40 8 RR402118745KZ A01"; do
	set -- $run
	tui_start $1 $2 kk
	tui_login COURIER-1 2222
	tui_keys 2
	tui_expect "Постоматты"
	tui_scan PM-ALM-0043                  # "Сәтпаев к. 30, Алматы": two lines at 20
	tui_expect "Конверт"
	tui_scan $3
	tui_expect "ұяшық $4"
	tui_keys F2
	tui_expect "белгісін"                 # scan another free cell's label
	tui_expect "бос: A04"
	tui_expect "$3"
	tui_expect "ұяшық $4"
	tui_screen | grep "F2 " | grep -q "─" && fail "$1x$2: the body ran into the keys:
$(tui_screen)"
	ok
	tui_scan A04
	# the confirmation's own word ("A04" is on the screen already, as the
	# free cell named: a loaded machine read the store before the commit)
	tui_expect "ұяшығына"
	assert_eq "$(am --json status $3 | json_get 'd["state"], d["cell"]')" "('placed', 'A04')"
	am collect $3 >/dev/null		# A04 is free again for the next size
	tui_keys Escape
	tui_keys Escape
	tui_keys Escape
	tui_expect "Бейдж"
	tui_quit
done
done_ok
