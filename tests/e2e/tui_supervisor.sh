#!/bin/sh
# The supervisor's shift screen shows a breached deadline (the clock is
# fixed with AMANAT_NOW, days after the envelopes were placed), at 80x24
# and 20x16; closing the shift writes the report (text and CSV).
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
tui_seed
AMANAT_NOW="2026-03-26 10:00" am accept R-2026-000123 RR402118737KZ RR402118745KZ >/dev/null
AMANAT_NOW="2026-03-26 10:05" am handover COURIER-1 RR402118737KZ >/dev/null
AMANAT_NOW="2026-03-26 11:00" am place RR402118737KZ PM-ALM-0042 A07 >/dev/null
# storage ends 30 March 00:00: on 31 March the storage clock is breached,
# and RR402118745KZ's 3 working days at the point end within 24 hours
export AMANAT_NOW="2026-03-31 09:00"
tui_start 80 24 kk
tui_login SUPER-1 3333
tui_keys 1
tui_expect "Мерзімдер (ең жақыны бірінші)"
tui_expect "✗ RR402118737KZ  ұяшықта сақтау"
tui_expect "! RR402118745KZ  пунктте күту"
tui_expect "Жүктелмеген"
tui_keys F8
tui_expect "F8 тағы бір рет"
tui_keys F8
tui_expect "ауысым жабылды"
ls "$T"/reports/shift-*.txt >/dev/null 2>&1 || fail "no text report"
grep -q "breached" "$T"/reports/shift-*.csv || fail "the CSV report lacks the breached deadline"
grep -q "✗ RR402118737KZ  ұяшықта сақтау" "$T"/reports/shift-*.txt || fail "the text report lacks the breached deadline"
ok
tui_start 20 16 kk
tui_login SUPER-1 3333
tui_keys 1
tui_expect "Күйлер"		# the states first, then people, upstream's, deadlines
tui_keys F3
tui_expect "✗…8737KZ"
done_ok
