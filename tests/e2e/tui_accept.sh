#!/bin/sh
# A clerk accepts a hand-over in the real UI (desk 80x24, Kazakh): matched
# scans, a duplicate, an unexpected envelope, a damaged one, a missing one;
# finishing asks the State Corp courier's badge and draws the act.  The
# database is checked afterwards through the CLI.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
tui_seed
tui_start 80 24 kk
tui_golden login-80x24
tui_login CLERK-1 1111
tui_expect "Айгүл С."
tui_keys 1
tui_expect "Тізілім:"
tui_expect "> R-2026-000123"
tui_keys Enter                          # chosen from the list of open registers
tui_expect "Сәйкес 0 / 5"
tui_scan RR402118737KZ
tui_expect "Сәйкес 1 / 5"
tui_scan RR402118737KZ                  # again: counted once, an error block
tui_expect "бір рет саналды"
tui_keys Enter
tui_scan RR777000125KZ                  # not on the register
tui_expect "бөлек қойыңыз"
tui_keys Enter
tui_scan КК402118745ЛЯ                  # a wedge scanner under the Kazakh layout
tui_expect "Сәйкес 2 / 5"
for ch in R R 4 0 2 1 1 8 7 5 4 K Z; do tui_keys "$ch"; sleep 0.05; done   # typed by hand
tui_keys Enter
tui_expect "Сәйкес 3 / 5"
tui_scan RR402118768KZ
tui_expect "Сәйкес 4 / 5"
tui_keys F2                             # the next scan is damaged
tui_scan RR402118768KZ
tui_expect "зақымдалған"
tui_scan RR123456784KZ                  # a bad check digit
tui_expect "бақылау цифры"
tui_keys Enter
tui_keys F5
tui_expect "МК курьер бейджі"
tui_scan SC-COURIER-9
tui_expect "актісі"
tui_keys Escape
tui_expect "1 "
# the database: 3 matched, 1 damaged, 1 missing, 1 unexpected, an act
am --json register show R-2026-000123 > "$T/show.json" || fail "register show"
assert_eq "$(json_get 'd["tally"]["matched"], d["tally"]["missing"], d["tally"]["unexpected"], d["tally"]["damaged"], d["finished"]' < "$T/show.json")" "(3, 1, 1, 1, True)"
ACT=$(json_get 'd["act"]' < "$T/show.json")
assert_contains "$ACT" "ACT-TUI-1-"
am --json acts "$ACT" > "$T/act.json"
assert_eq "$(json_get 'd["body"]["missing"], d["body"]["unexpected"]' < "$T/act.json")" "(['RR402118771KZ'], ['RR777000125KZ'])"
# drawn by a terminal speaking Kazakh, its reason is stored as amanat's own
# words untranslated: each copy of its sheet reads them in its language (the
# Russian copies said it in Kazakh)
assert_eq "$(json_get 'd["reason"]' < "$T/act.json")" "acceptance does not match the register"
am sheet "$ACT" -o "$T/act.txt" >/dev/null || fail "sheet $ACT"
assert_eq "$(grep -c '^Причина: приёмка не совпадает с реестром$' "$T/act.txt")" 2 "(the Russian copies)"
assert_eq "$(grep -c '^Себеп: қабылдау тізілімге сәйкес емес$' "$T/act.txt")" 2 "(the Kazakh copies)"
am --json events > "$T/ev.json"
assert_contains "$(cat "$T/ev.json")" "SC-COURIER-9"
assert_eq "$(am --json status RR402118745KZ | json_get 'd["state"]')" accepted
# the hand-typed code is recorded as typed; scanned ones are not
assert_eq "$(am --json events --waybill RR402118754KZ | json_get '[e["payload"].get("input") for e in d if e["type"]=="accepted"]')" "['typed']"
assert_eq "$(am --json events --waybill RR402118737KZ | json_get '[e["payload"].get("input") for e in d if e["type"]=="accepted"]')" "[None]"
am verify >/dev/null || fail "chain"
tui_keys Escape
tui_expect "▶"
tui_quit
done_ok
