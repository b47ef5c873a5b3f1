#!/bin/sh
# Registers on a 20x16 handheld, F4 twice: the return register's question
# and its confirmation are whole in their three lines ("F4 тағы: қайтару
# тізілімін жасау", "… жасалды: 1 конверт; F9 — парағы").  On main the
# question lost what F4 does ("… барлық конверттің" and no more) and the
# confirmation began with an id of 28 characters, cut mid-code.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
tui_seed
W=RR402118737KZ
AMANAT_NOW="2026-03-20 10:00" am accept R-2026-000123 $W >/dev/null
AMANAT_NOW="2026-03-20 10:05" am handover COURIER-1 $W >/dev/null
AMANAT_NOW="2026-03-20 11:00" am place $W PM-ALM-0042 A07 >/dev/null || fail "place"
AMANAT_NOW="2026-03-20 12:00" am expire $W --reason "ата-ана пунктке келді" >/dev/null 2>&1 || fail "expire"
AMANAT_NOW="2026-03-20 13:00" am return $W >/dev/null || fail "return"
export AMANAT_FIT_LOG="$T/fit.log"
: > "$AMANAT_FIT_LOG"
tui_start 20 16 kk
tui_login CLERK-1 1111
tui_keys 7
tui_expect "R-2026-000123"
tui_keys F4
tui_expect "F4 тағы: қайтару"
tui_expect "тізілімін жасау"
tui_keys F4
tui_expect "1 конверт;"
tui_expect "F9 — парағы"
assert_eq "$(am --json register list | json_get 'len([r for r in d if r["kind"] == "return"])')" "1"
if grep -E "confirmation|word wider" "$AMANAT_FIT_LOG"; then fail "cut at 20x16"; fi
ok
tui_keys Escape
tui_expect "1 Қабылдау"
tui_quit
done_ok
