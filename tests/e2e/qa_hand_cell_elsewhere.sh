#!/bin/sh
# A courier whose reserved cell is full (F2) scans a label that is not one
# of this postomat's cells - another postomat's cell C01, a stray A99: it is
# refused with the inverted block and nothing is written; on main it was
# placed, and the recipient would have been sent to a cell that is not there.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
tui_seed
am accept R-2026-000123 RR402118737KZ >/dev/null
am handover COURIER-1 RR402118737KZ >/dev/null
tui_start 20 16 kk
tui_login COURIER-1 2222
tui_keys 2
tui_expect "Постоматты"
tui_scan PM-ALM-0042
tui_expect "Абай д. 150"
tui_scan RR402118737KZ
tui_expect "ұяшық A07"
tui_keys F2
tui_expect "бос: A03"
tui_scan C01                              # PM-ALM-0051's cell, not this postomat's
tui_expect "C01 ұяшығы"
tui_expect "постоматында жоқ"
assert_eq "$(am --json status RR402118737KZ | json_get 'd["state"]')" out_for_delivery
tui_keys Enter
tui_scan A99
tui_expect "A99 ұяшығы"
assert_eq "$(am --json status RR402118737KZ | json_get 'd["state"]')" out_for_delivery
am --json events --waybill RR402118737KZ > "$T/e.json"
assert_eq "$(json_get '[e["type"] for e in d]' < "$T/e.json")" "['registered', 'accepted', 'out_for_delivery']"
# the screen still holds the envelope: a free cell of this postomat places it
tui_keys Enter
tui_scan A03
tui_expect "A03 ұяшығына"
assert_eq "$(am --json status RR402118737KZ | json_get 'd["state"], d["cell"]')" "('placed', 'A03')"
tui_keys Escape
tui_keys Escape
tui_keys Escape
tui_expect "Бейдж"
tui_quit
done_ok
