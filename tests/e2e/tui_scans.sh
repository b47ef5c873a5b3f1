#!/bin/sh
# Scans by kind, before any screen sees them (20x16, Kazakh): a scanner's
# burst on a menu never opens an item; a code of the wrong kind says what it
# was and what is expected; the scan after an error is taken as itself; at a
# postomat a postomat's code moves the courier there; every error shows the
# code as it was read.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
tui_seed
am accept R-2026-000123 RR402118737KZ RR402118745KZ >/dev/null
am handover COURIER-1 RR402118737KZ RR402118745KZ >/dev/null
tui_start 20 16 kk
tui_login CLERK-1 1111
# a wedge burst on the menu: item 5 is the loss act; the scan opens nothing
tui_scan RR503112013KZ
tui_expect "конверті"
tui_expect "мәзірден"
tui_keys Enter
tui_expect "5 "
case "$(tui_screen)" in *"Себеп"*|*"Жоғалу актісі "*"▶"*) fail "the scan opened a menu item: $(tui_screen)" ;; esac
tui_scan RR503112013KZ                  # and a second one plus Enter: still nothing
tui_expect "мәзірден"
tui_keys Enter
tui_expect "Мәзір"
tui_expect "5 "
assert_eq "$(am --json events | json_get 'len([e for e in d if e["type"] not in ("registered","accepted","out_for_delivery","shift_opened","deadline_missed","deadline_closed_late")])')" 0
assert_eq "$(am --json status RR402118745KZ | json_get 'd["state"]')" out_for_delivery
# a scanner whose Enter comes late (a slow suffix, a loaded terminal): the
# code is still a scan, never the menu's items 5 and 0
tmux -L "$TMUX_SOCK" send-keys -t t -l "A05"; sleep 0.5; tui_keys Enter
tui_expect "A05 ұяшығының"
tui_keys Enter
tui_expect "Мәзір"
# and one with no Enter at all is dropped with a word, never taken as keys
tmux -L "$TMUX_SOCK" send-keys -t t -l "RR503112013KZ"
tui_expect "Enter-сіз"
tui_keys Enter
tui_expect "Мәзір"
case "$(tui_screen | head -1)" in "Мәзір"*) ;; *) fail "a code without Enter left the menu: $(tui_screen)" ;; esac
assert_eq "$(am --json events | json_get 'len([e for e in d if e["type"] not in ("registered","accepted","out_for_delivery","shift_opened","deadline_missed","deadline_closed_late")])')" 0
# a person's digit still chooses
tui_keys 1
tui_expect "Тізілім"
# the wrong kind where a register is asked for, then where an envelope is
tui_scan A05
tui_expect "A05 ұяшығының"
tui_expect "тізілімді"
tui_keys Enter
tui_scan R-2026-000123
tui_expect "✓2/5"
tui_scan A05
tui_expect "A05 ұяшығының"
tui_expect "конвертті"
# the next scan after an error is processed as itself
tui_scan RR402118754KZ
tui_expect "✓3/5"
case "$(tui_screen)" in *"ұяшығының"*) fail "the error stayed" ;; esac
# under the Kazakh layout the digits 1, 6, 7 arrive as " , . and the others
# as Kazakh letters: RR402118768KZ
tui_scan 'ККңқә""ү.,үЛЯ'
tui_expect "✓4/5"
assert_eq "$(am --json status RR402118768KZ | json_get 'd["state"]')" accepted
# a badge where an envelope is asked for
tui_scan CLERK-1
tui_expect "CLERK-1 бейджі"
tui_keys Enter
# the error shows the code as read: a wrong check digit, and a code typed
# under the Kazakh layout that maps back to nonsense
tui_scan RR123456784KZ
tui_expect "RR123456784KZ"
tui_expect "бақылау цифры"
tui_keys Enter
tui_scan "ӘІҢҒ"
tui_expect "ӘІҢҒ"
tui_keys Enter
tui_keys Escape
tui_expect "1 "
tui_keys Escape
# the courier at a postomat: another postomat's code moves him there
tui_login COURIER-1 2222
tui_keys 2
tui_expect "Постоматты"
tui_scan PM-ALM-0042
tui_expect "Абай"
tui_scan PM-ALM-0043                    # the envelope field: a postomat moves him
tui_expect "Сәтпаев"
tui_expect "PM-ALM-0043"
tui_scan RR402118745KZ
tui_expect "A01"
tui_scan A05                            # the wrong cell: named, with what is reserved
tui_expect "ҚАТЕ ҰЯШЫҚ"
tui_expect "A05"
tui_keys Enter
tui_scan A01
tui_expect "салынды"		# placed (A01 was on the screen before: not a sign)
assert_eq "$(am --json status RR402118745KZ | json_get 'd["state"], d["cell"]')" "('placed', 'A01')"
tui_keys Escape
tui_keys Escape
tui_expect "1 "
tui_quit
done_ok
