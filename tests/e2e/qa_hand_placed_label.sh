#!/bin/sh
# The courier's "placed here this shift" lines at a postomat say what became
# of each envelope since: one taken out of its cell when its storage ended
# must not read "collected" (the recipient never came), which is what the
# list said for everything no longer in its cell.  Kazakh, 20x16.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
tui_seed
AMANAT_NOW="2026-03-26 09:00" am accept R-2026-000123 RR402118737KZ RR402118754KZ >/dev/null
AMANAT_NOW="2026-03-26 09:05" am handover COURIER-1 RR402118737KZ RR402118754KZ >/dev/null
# the courier places both from the handheld on the 26th
export AMANAT_NOW="2026-03-26 10:00"
tui_start 20 16 kk
tui_login COURIER-1 2222
tui_keys 2
tui_expect "Постоматты"
tui_scan PM-ALM-0042
tui_expect "Абай д. 150"
tui_scan RR402118737KZ
tui_expect "ұяшық A07"
tui_scan A07
tui_expect "A07 ұяшығына"
tui_scan RR402118754KZ
tui_expect "ұяшық A08"
tui_scan A08
tui_expect "A08 ұяшығына"
tui_keys Escape
tui_keys Escape
tui_quit
# the recipient of A08 collects; A07's storage ends and the same courier,
# on the same shift, takes it out on the 30th
AMANAT_NOW="2026-03-27 12:00" am collect RR402118754KZ >/dev/null || fail "collect refused"
export AMANAT_NOW="2026-03-30 09:00"
tui_start 20 16 kk
tui_login COURIER-1 2222
tui_keys 4
tui_expect "Постоматты"
tui_scan PM-ALM-0042
tui_expect "A07 RR402118737KZ"
tui_scan RR402118737KZ
tui_expect "1 жұмыс күні"
assert_eq "$(am --json status RR402118737KZ | json_get 'd["state"]')" expired_removed
tui_keys Escape
tui_keys 2
tui_scan PM-ALM-0042
tui_expect "…8754KZ"
line=$(tui_screen | grep "…8754KZ")
case "$line" in			# collected by the recipient: so it is
*" алынды") ok ;;
*) fail "the collected envelope's line: $line" ;;
esac
tui_expect "…8737KZ"
line=$(tui_screen | grep "…8737KZ")
case "$line" in
*" алынды") fail "an envelope removed from its cell reads as collected: $line" ;;
*" шығарылды") ok ;;
*) fail "the removed envelope's line says something else: $line" ;;
esac
tui_keys Escape
tui_keys Escape
tui_keys Escape
tui_expect "Бейдж"
tui_quit
done_ok
