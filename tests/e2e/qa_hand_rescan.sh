#!/bin/sh
# A courier in a hurry scans an envelope again to be sure it took: after
# placing it, and after taking it out when its storage ended.  The screen
# says it is done ("= ... nothing changed"), with no error block; on main
# it read "not on your route" or a refused life-cycle step with the steps
# now allowed (a loss act...), which sent couriers to call the point.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
tui_seed
AMANAT_NOW="2026-03-26 09:00" am accept R-2026-000123 RR402118737KZ RR402118754KZ >/dev/null
AMANAT_NOW="2026-03-26 09:05" am handover COURIER-1 RR402118737KZ RR402118754KZ >/dev/null
AMANAT_NOW="2026-03-26 09:30" am place RR402118737KZ PM-ALM-0042 A07 >/dev/null
export AMANAT_NOW="2026-03-30 09:00"      # A07's 3 days are over
tui_start 20 16 kk
tui_login COURIER-1 2222
tui_keys 2
tui_expect "Постоматты"
tui_scan PM-ALM-0042
tui_scan RR402118754KZ
tui_expect "ұяшық A08"
tui_scan A08
tui_expect "A08 ұяшығына"
n=$(am --json events --waybill RR402118754KZ | json_get 'len(d)')
tui_scan RR402118754KZ                    # again
tui_expect "ештеңе өзгермеді"
case "$(tui_screen)" in *"✗"*) fail "a repeated scan raised the error block:
$(tui_screen)" ;; esac
ok
assert_eq "$(am --json events --waybill RR402118754KZ | json_get 'len(d)')" "$n"
tui_keys Escape
tui_keys Escape
tui_keys 4
tui_expect "Постоматты"
tui_scan PM-ALM-0042
tui_expect "A07 RR402118737KZ"
tui_scan RR402118737KZ
tui_expect "1 жұмыс күні"
n=$(am --json events --waybill RR402118737KZ | json_get 'len(d)')
tui_scan RR402118737KZ                    # again
tui_expect "алынып қойған"
case "$(tui_screen)" in *"✗"*) fail "a repeated scan raised the error block:
$(tui_screen)" ;; esac
ok
assert_eq "$(am --json events --waybill RR402118737KZ | json_get 'len(d)')" "$n"
assert_eq "$(am --json status RR402118737KZ | json_get 'd["state"]')" expired_removed
tui_keys Escape
tui_keys Escape
tui_expect "Бейдж"
tui_quit
done_ok
