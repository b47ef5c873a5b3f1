#!/bin/sh
# A courier collects expired envelopes on a 20x16 handheld: the postomat
# first, then the list of cells whose storage has ended; an envelope whose
# 3 days are not over is refused (the recipient may still come).
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
tui_seed
AMANAT_NOW="2026-03-26 10:00" am accept R-2026-000123 RR402118737KZ RR402118754KZ >/dev/null
AMANAT_NOW="2026-03-26 10:05" am handover COURIER-1 RR402118737KZ RR402118754KZ >/dev/null
AMANAT_NOW="2026-03-26 11:00" am place RR402118737KZ PM-ALM-0042 A07 >/dev/null
AMANAT_NOW="2026-03-29 11:00" am place RR402118754KZ PM-ALM-0042 A08 >/dev/null
export AMANAT_NOW="2026-03-30 09:00"      # A07's storage ended at 00:00; A08's has not
tui_start 20 16 kk
tui_login COURIER-1 2222
tui_keys 4
tui_expect "Постоматты"
tui_scan PM-ALM-0042
tui_expect "A07 RR402118737KZ"
case "$(tui_screen)" in *"A08 RR402118754KZ"*) fail "A08 listed as expired" ;; esac
tui_scan RR402118754KZ
tui_expect "ұяшықта қалдырыңыз"
tui_keys Enter
tui_scan RR402118737KZ
tui_expect "алынды: 1 жұмыс күні"
assert_eq "$(am --json status RR402118737KZ | json_get 'd["state"]')" expired_removed
assert_eq "$(am --json status RR402118754KZ | json_get 'd["state"]')" placed
# the return clock (1 working day) runs now
assert_contains "$(am --json status RR402118737KZ | json_get '[c["clock"] for c in d["deadlines"]]')" "return"
tui_keys Escape
tui_keys Escape
tui_expect "Бейдж"
tui_quit
done_ok
