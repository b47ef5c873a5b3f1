#!/bin/sh
# A closed shift's report is its record: the next shift's report, written in
# the same minute (the next supervisor presses F9 at once, or runs `amanat
# report shift`), must not replace it.  The file name had only the minute,
# so the closed shift's report was overwritten by shift 2's.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
tui_seed
am accept R-2026-000123 RR402118737KZ >/dev/null
: > "$T/printer"
chmod 600 "$T/printer"
TUI_CONF_EXTRA="print.device = $T/printer" tui_start 80 24 kk
tui_login SUPER-1 3333
tui_keys 1
tui_expect "1-ауысым"
tui_keys F8
tui_expect "F8 тағы бір рет"
tui_keys F8                            # shift 1 closed, its report written
tui_expect "Бейдж"
tui_login SUPER-1 3333
tui_keys 1
tui_expect "2-ауысым"
tui_keys F9                            # shift 2's report so far, the same minute
tui_expect "принтерге жіберілді"
assert_eq "$(ls "$T"/reports/shift-*.txt | wc -l)" 2 "(text reports: $(ls "$T"/reports))"
assert_eq "$(ls "$T"/reports/shift-*.csv | wc -l)" 2 "(CSV reports)"
grep -l "ауысым 1 ·" "$T"/reports/shift-*.txt >/dev/null || fail "shift 1's report was overwritten"
grep -l "ауысым 2 ·" "$T"/reports/shift-*.txt >/dev/null || fail "no report of shift 2"
grep -l "^report,shift,1$" "$T"/reports/shift-*.csv >/dev/null || fail "shift 1's CSV was overwritten"
# the close event names the file that still holds shift 1's report
closed=$(am --json events | json_get '[e["payload"] for e in d if e["type"]=="shift_closed"]')
named=0
for f in "$T"/reports/shift-*.txt; do
	case "$closed" in *"$f"*) named=1; grep -q "ауысым 1 ·" "$f" || fail "the close event names $f, which is not shift 1's" ;; esac
done
assert_eq "$named" 1 "(the close event names its report: $closed)"
# the CLI in the same minute adds a third, again without replacing any
am report shift --dir "$T/reports" >/dev/null || fail "report shift"
assert_eq "$(ls "$T"/reports/shift-*.txt | wc -l)" 3 "(after the CLI's report)"
grep -l "ауысым 1 ·" "$T"/reports/shift-*.txt >/dev/null || fail "shift 1's report was overwritten by the CLI"
tui_keys Escape
tui_expect "1 "
tui_quit
done_ok
