#!/bin/sh
# A courier on a 20x16 handheld places envelopes: location first; a wrong
# cell is refused with the inverted block (nothing written), the right cell
# is placed; a full reserved cell takes another free cell through F2 (logged).
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
tui_seed
am accept R-2026-000123 RR402118737KZ RR402118745KZ RR402118754KZ >/dev/null
am handover COURIER-1 RR402118737KZ RR402118754KZ >/dev/null
tui_start 20 16 kk
tui_golden login-20x16
tui_login COURIER-1 2222
tui_keys 2
tui_expect "Постоматты"
tui_scan PM-ALM-0043                     # the wrong postomat for this envelope
tui_scan RR402118737KZ
tui_expect "қате постомат"
tui_keys Enter
tui_keys Escape                           # back to the postomat prompt
tui_scan PM-ALM-0042
tui_expect "Абай д. 150"
tui_scan RR402118737KZ
tui_expect "ұяшық A07"
tui_scan A09
tui_expect "ҚАТЕ ҰЯШЫҚ"
tui_golden wrong-cell-20x16
assert_eq "$(am --json status RR402118737KZ | json_get 'd["state"]')" out_for_delivery
tui_keys Enter
tui_scan A07
tui_expect "A07 ұяшығына"
assert_eq "$(am --json status RR402118737KZ | json_get 'd["state"], d["cell"]')" "('placed', 'A07')"
# the reserved cell A08 is full: F2, then another free cell
tui_scan RR402118754KZ
tui_expect "ұяшық A08"
tui_keys F2
tui_expect "бос: A03"
tui_scan A05
tui_expect "A05 ұяшығына"
am --json status RR402118754KZ > "$T/s.json"
assert_eq "$(json_get 'd["state"], d["cell"]' < "$T/s.json")" "('placed', 'A05')"
assert_contains "$(json_get '[h["type"] for h in d["history"]]' < "$T/s.json")" "cell_changed"
# nothing was written for the refused scans
am --json events --waybill RR402118737KZ > "$T/e.json"
assert_eq "$(json_get '[e["type"] for e in d]' < "$T/e.json")" "['registered', 'accepted', 'out_for_delivery', 'placed']"
tui_keys Escape
tui_keys Escape
tui_keys Escape
tui_keys Escape
tui_expect "Бейдж"
tui_quit
done_ok
