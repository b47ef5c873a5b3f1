#!/bin/sh
# A clerk finds an act and reads it, on a handheld (20x16) and at the desk,
# in Kazakh.  The list ran the act's id into its kind with no space
# ("ACT-DEMO-DESK-1-0001сәйкессіздік": one word, which 20 columns showed as
# a lone "…"); reading it listed the act's stored JSON key by key in English
# ("circumstances", "side: kaspi", "kind: inbound") and cut it at the
# bottom, so a long act's last envelopes could not be read.  Now the list
# keeps its columns apart (the act's number where the id cannot fit) and
# the act reads as its paper copy does, scrolled with the arrows.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
am init --device-id DEMO-DESK-1 --point KP-ALM-007 >/dev/null
am staff add CLERK-1 --name "Айгүл С." --role clerk --pin 1111 >/dev/null
am register import "$SAMPLES/register-inbound.json" >/dev/null
python3 "$AMANAT_TOP/tests/support/genreg.py" R-2026-000500 40 70000000 > "$T/r500.json"
am register import "$T/r500.json" >/dev/null
am accept R-2026-000123 RR402118737KZ RR402118745KZ RR777000125KZ >/dev/null
AMANAT_NOW="2026-03-26 09:00" am accept R-2026-000123 --finish >/dev/null    # ACT-DEMO-DESK-1-0001
AMANAT_NOW="2026-03-26 09:01" am lost RR402118745KZ --reason "сөмке ұрланды" --liable "Дәурен К." >/dev/null   # -0002
AMANAT_NOW="2026-03-26 09:02" am accept R-2026-000500 --finish >/dev/null    # -0003: 40 missing
last=$(python3 -c "import json; print(json.load(open('$T/r500.json'))['items'][-1]['waybill'])")
# ---- a handheld --------------------------------------------------------
tui_start 20 16 kk
tui_login CLERK-1 1111
tui_keys 8
tui_expect "0003 сәйкессіздік"
tui_expect "0002 жоғалу"
tui_expect "0001 сәйкессіздік"
case "$(tui_screen)" in *"сәйкессіздік"*"ACT"*|*"-0001сәйк"*) fail "an id ran into its kind:
$(tui_screen)" ;; esac
tui_keys Down				# newest first: -0003, -0002, -0001
tui_keys Enter                         # the loss act
tui_expect "ЖОҒАЛУ АКТІСІ"
tui_expect "ACT-DEMO-DESK-1-0002"
tui_expect "RR402118745KZ"
screen=$(tui_screen)
tui_keys NPage
tui_expect "Дәурен К."
screen="$screen
$(tui_screen)"
for raw in circumstances kaspi side: state_before paragraph liable; do
	case "$screen" in *"$raw"*) fail "the act shows its raw field '$raw':
$screen" ;; esac
done
ok
tui_keys Escape
tui_keys Up
tui_keys Enter                         # the act of 40 missing envelopes
tui_expect "ACT-DEMO-DESK-1-0003"
tui_expect "▼"                         # more below, and it says so
case "$(tui_screen)" in *"$last"*) fail "40 waybills cannot fit 20x16" ;; esac
for i in 1 2 3 4 5 6 7 8 9 10; do tui_keys NPage; done
tui_expect "$last"                     # the last envelope can be read
tui_expect "▲"
tui_keys Escape
tui_expect "0001 сәйкессіздік"         # back on the list
# ---- the desk ----------------------------------------------------------
tmux -L "$TMUX_SOCK" resize-window -t t -x 80 -y 24
tui_expect "ACT-DEMO-DESK-1-0001 сәйкессіздік"
tui_expect "ACT-DEMO-DESK-1-0002 жоғалу"
tui_keys Down
tui_keys Enter
tui_expect "Себеп: сөмке ұрланды"
tui_expect "Жоғалған тарап: Kaspi (22-т.)"
tui_keys Escape
tui_keys Down
tui_keys Enter
tui_expect "Күтілгені: 5, сәйкес: 2"
tui_expect "Тізілімде жоқ: RR777000125KZ"
tui_keys Escape
tui_keys Escape
tui_expect "1 "
tui_quit
done_ok
