#!/bin/sh
# F7 on the acceptance screen: the waybills not scanned yet, as the act
# would list them (register order), a page at a time, with where the page
# is whenever they do not all fit.  It showed the first lines that fitted
# with no sign of the rest (a clerk at 20x16 took 2 for all of 25), and
# read every line's envelope at every draw.  In Kazakh at 20x16, with a CLI
# accepting beside the UI on the same database; then at 80x24.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
tui_seed
python3 "$AMANAT_TOP/tests/support/genreg.py" R-MISS 25 41000000 > "$T/reg.json"
am register import "$T/reg.json" >/dev/null
wb() { python3 -c "import json,sys; print(json.load(open('$T/reg.json'))['items'][$1]['waybill'])"; }
# what the CLI says is still registered on it, in the register's order
missing_json() { am register show R-MISS --json | python3 -c "import json,sys; print(' '.join(i['waybill'] for i in json.load(sys.stdin)['items'] if i['state'] == 'registered'))"; }
# the waybills the screen lists, in order
listed() { tui_screen | sed -n 's/^  \(RR[0-9]*KZ\) *$/\1/p' | tr '\n' ' ' | sed 's/ $//'; }

tui_start 20 16
tui_login CLERK-1 1111
tui_keys 1
tui_expect "R-MISS"
tui_scan R-MISS
tui_expect "қалды 25"
tui_keys F7
tui_expect "Қалды 1–2 / 25 ▼"
assert_eq "$(listed)" "$(wb 0) $(wb 1)"
# to the end: the page stops at the last line
i=0; while [ $i -lt 30 ]; do tui_keys Down; i=$((i + 1)); done
tui_expect "Қалды ▲ 24–25 / 25"
assert_eq "$(listed)" "$(wb 23) $(wb 24)"
i=0; while [ $i -lt 30 ]; do tui_keys PPage; i=$((i + 1)); done
tui_expect "Қалды 1–2 / 25 ▼"
# a scan here is a scan, never navigation: it is accepted and leaves the list
tui_scan "$(wb 0)"
tui_expect "қалды 24"
tui_expect "Қалды 1–2 / 24 ▼"
assert_eq "$(listed)" "$(wb 1) $(wb 2)"
# a second clerk's CLI accepts all but the last two beside the UI: the list
# is the store's, redrawn, and the same as the CLI's
codes=""; i=1; while [ $i -lt 23 ]; do codes="$codes $(wb $i)"; i=$((i + 1)); done
# shellcheck disable=SC2086
am accept R-MISS $codes >/dev/null
tui_keys F7; tui_keys F7	# any redraw; the data is read at each
tui_expect "қалды 2"
tui_expect "Әлі сканерленбеген:"
assert_eq "$(listed)" "$(wb 23) $(wb 24)"
assert_eq "$(listed)" "$(missing_json)"
tui_scan "$(wb 23)"
tui_expect "қалды 1"
assert_eq "$(listed)" "$(wb 24)"
tui_scan "$(wb 24)"
tui_expect "сканерленді"
assert_eq "$(missing_json)" ""
tui_keys Escape
tui_expect "2 "
tui_quit

# 80x24 in English: the page's place beside the heading
python3 "$AMANAT_TOP/tests/support/genreg.py" R-MISS2 40 42000000 > "$T/reg2.json"
am register import "$T/reg2.json" >/dev/null
tui_start 80 24 en
tui_login CLERK-1 1111
tui_keys 1
tui_expect "R-MISS2"
tui_scan R-MISS2
tui_keys F7
tui_expect "Not scanned yet:"
tui_wait "/ 40 ▼" || fail "no page position at 80x24: $(tui_screen)"
ok
[ "$(listed | wc -w)" -ge 10 ] || fail "a page of 80x24 lists at least 10: $(tui_screen)"
ok
tui_keys F7
tui_expect "Last scans"
tui_keys Escape
tui_expect "2 "
tui_quit
done_ok
