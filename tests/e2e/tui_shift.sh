#!/bin/sh
# The point's shift (issue 11): a supervisor logging in at 16:00 sees the
# clerk's 11:00 and the courier's 15:00 work by name; every state is listed;
# a deadline breached in the shift stays marked after it was closed; the
# deadline list scrolls with a visible position; a wide screen shows more
# columns; F8 twice closes the shift with its localised report, and the next
# supervisor takes over a new shift that names who handed it over.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
tui_seed
am staff add SUPER-2 --name "Мадина Т." --role supervisor --pin 4444 >/dev/null
python3 "$AMANAT_TOP/tests/support/genreg.py" R-2026-000200 30 > "$T/big.json"
am register import "$T/big.json" >/dev/null
codes=$(python3 -c "import json; print(' '.join(i['waybill'] for i in json.load(open('$T/big.json'))['items']))")
# work before the supervisor logs in, as the clerk and the courier
AMANAT_ACTOR=CLERK-1 AMANAT_NOW="2026-03-26 11:00" am accept R-2026-000123 RR402118737KZ RR402118745KZ >/dev/null
AMANAT_ACTOR=CLERK-1 AMANAT_NOW="2026-03-26 11:05" am handover COURIER-1 RR402118737KZ >/dev/null
AMANAT_ACTOR=CLERK-1 AMANAT_NOW="2026-03-26 11:10" am accept R-2026-000200 $codes >/dev/null
AMANAT_ACTOR=COURIER-1 AMANAT_NOW="2026-03-26 15:00" am place RR402118737KZ PM-ALM-0042 A07 >/dev/null

export AMANAT_NOW="2026-03-31 16:00"
export TUI_CONF_EXTRA="print.device = $T/printer"
: > "$T/printer"
tui_start 80 24 kk
tui_login SUPER-1 3333
tui_keys 1
tui_expect "1-ауысым"
tui_expect "Айгүл С. (қабылдаушы)"
tui_expect "Дәурен К. (курьер)"
# every state, the ones the first release left out too, labels not cut
for s in "тізілімде" "пунктте, қабылданбаған" "ұяшықтан алынды" "жойылды" "зақымдалған, пунктте"; do
	tui_expect "  $s "
done
# the register's §10/§17 clocks were closed late on 26.03: still breaches here
tui_expect "✗ R-2026-000123"
tui_expect "+143:00"
# a breach still open counts how late it is so far, signed like a closed one
tui_screen | grep -qE -- "-[0-9]+:[0-9][0-9]" && fail "a breached deadline shows a negative time: $(tui_screen)"
ok
# 36 deadlines do not fit: the position shows, and the keys move it
tui_expect "1–"
tui_expect "/ 36 ▼"
tui_keys F3
tui_expect "▲ "
tui_keys Home
i=0; while tui_screen | grep -q "▲" && [ $i -lt 100 ]; do i=$((i + 1)); sleep 0.05; done
tui_screen | grep -q "▲" && fail "Home did not go back to the top"
ok
# no number runs into its label
tui_screen | grep -E "[^ ]  *[0-9]+$" >/dev/null || fail "counts are not apart from labels"
ok
# F9 prints the report so far to the (file) printer; again asks why
tui_keys F9
tui_expect "принтерге жіберілді"
grep -q "Айгүл С." "$T/printer" || fail "the printed report lacks the clerk"
ok
tui_keys F9
tui_expect "қайта басу себебін"
tui_scan "a copy for the courier"
tui_expect "принтерге жіберілді"
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM event WHERE type = 'printed' AND payload LIKE '%shift-1%'")" 2
tui_keys F8
tui_expect "F8 тағы бір рет"
tui_keys F8
tui_expect "1-ауысым жабылды"
ls "$T"/reports/shift-*.txt >/dev/null 2>&1 || fail "no text report"
txt=$(cat "$T"/reports/shift-*.txt) csv=$(cat "$T"/reports/shift-*.csv)
assert_contains "$txt" "Айгүл С."
assert_contains "$txt" "пунктте, қабылданбаған"
assert_contains "$txt" "✗ RR402118737KZ  ұяшықта сақтау"
assert_contains "$txt" "кеш жабылды"
echo "$txt" | grep -qE -- "-[0-9]+:[0-9][0-9]" && fail "the report shows a negative time for a breach"
ok
assert_contains "$csv" 'person,"CLERK-1","Айгүл С.",clerk,33,32,1,0,0'
assert_contains "$csv" "deadline,courier-delivery,,R-2026-000123,20.03.2026 12:00,breached-closed,17"
assert_contains "$csv" "deadline,storage,RR402118737KZ,,30.03.2026 00:00,breached,21,placed"
[ "$(am events --json | python3 -c "import json,sys; print(sum(1 for e in json.load(sys.stdin) if e['type']=='shift_closed' and e.get('payload',{}).get('shift')==1))")" = 1 ] \
	|| fail "no shift_closed event for shift 1"
ok
# the next supervisor, at a wide desk: a new shift, handed over, nobody's work yet
tui_start 130 40 kk
tui_login SUPER-2 4444
tui_keys 1
tui_expect "2-ауысым"
tui_expect "тапсырған: Ерлан Б."
tui_expect "бұл ауысымда әлі ешкім жұмыс істемеді"
tui_expect "жақыны"		# the soonest-deadline column of the wide layout
tui_expect "30.03 00:00"	# due dates beside the time left
tui_screen | grep -q "+143:00" && fail "a breach closed in the last shift is still shown"
ok
tui_quit_from_screen() { tui_keys Escape; tui_expect "1 "; tui_quit; }
tui_quit_from_screen
done_ok
