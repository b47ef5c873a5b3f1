#!/bin/sh
# Late delivery (§27) on a 20x16 handheld: an envelope that cannot be late -
# already in its cell, or on another courier's route - is refused at its
# scan, before the courier picks a date and types a reason on the handheld's
# keys; on main the refusal came only after the reason.  One of this
# courier's envelopes still takes its new date.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
tui_seed
am staff add COURIER-2 --name "Мадина Т." --role courier --pin 5555 >/dev/null
am accept R-2026-000123 RR402118737KZ RR402118754KZ RR402118745KZ >/dev/null
am handover COURIER-1 RR402118737KZ RR402118754KZ >/dev/null
am handover COURIER-2 RR402118745KZ >/dev/null
am place RR402118737KZ PM-ALM-0042 A07 >/dev/null
tui_start 20 16 kk
tui_login COURIER-1 2222
tui_keys 3
tui_expect "Конвертті"
tui_scan RR402118737KZ                    # in its cell already
tui_expect "сіздің бағытыңызда"
case "$(tui_screen)" in *"Жаңа күн"*) fail "a placed envelope went on to the new date" ;; esac
ok
tui_keys Enter
tui_scan RR402118745KZ                    # COURIER-2's
tui_expect "сіздің бағытыңызда"
case "$(tui_screen)" in *"Жаңа күн"*) fail "another courier's envelope went on to the new date" ;; esac
ok
tui_keys Enter
tui_scan RR402118754KZ                    # this courier's
tui_expect "Жаңа күн"
tui_keys Up
tui_keys Enter
tui_expect "Себеп"
tui_scan "постомат жұмыс істемейді"
tui_expect "Enter тағы: тіркеу"          # the recipient is told: asked first
assert_eq "$(am --json events --waybill RR402118754KZ | json_get '[e["type"] for e in d][-1]')" out_for_delivery
tui_keys Enter
tui_expect "хабарланады (§27)"
am --json events --waybill RR402118754KZ > "$T/e.json"
assert_contains "$(json_get '[e["type"] for e in d]' < "$T/e.json")" "delayed"
assert_eq "$(am --json events --waybill RR402118737KZ | json_get '[e["type"] for e in d][-1]')" placed
assert_eq "$(am --json events --waybill RR402118745KZ | json_get '[e["type"] for e in d][-1]')" out_for_delivery
tui_keys Escape
tui_keys Escape
tui_expect "Бейдж"
tui_quit
done_ok
