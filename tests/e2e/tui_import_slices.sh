#!/bin/sh
# A big register loaded in the UI (issue 14) goes in slices from the poll
# loop: the last line says how far it is, keys are answered while it loads
# (F1's help comes and goes), the register is hidden from every reader
# until it is whole, then every line is there once and verify passes.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
tui_seed
N=40000
mkdir "$T/inbox"
python3 "$AMANAT_TOP/tests/support/genreg.py" R-2026-000900 $N > "$T/inbox/R-2026-000900.json"
export TUI_CONF_EXTRA="register.inbox = $T/inbox"
tui_start 80 24 en
tui_login CLERK-1 1111
tui_keys 7
tui_expect "Scan a sheet code or a register"
tui_keys F2
tui_expect "R-2026-000900.json"
tui_keys Enter
tui_expect "loading register R-2026-000900 (inbound):"
# a key while it loads: the help shows, and the register is still loading
tui_keys F1
tui_wait "Esc" || fail "no help while loading: $(tui_screen)"
tui_screen > "$T/during"
grep -q "loading register R-2026-000900 (inbound): [0-9]* of $N lines" "$T/during" \
	|| fail "the load was over before a key was answered: $(cat "$T/during")"
n=$(sed -n "s/.*loading register R-2026-000900 (inbound): \([0-9]*\) of $N lines.*/\1/p" "$T/during")
[ "$n" -lt $N ] || fail "loading $n of $N"
ok
assert_eq "$(sqlite3 "$DB" "SELECT imported_at FROM register WHERE id = 'R-2026-000900'")" 0
expect_exit 1 am --json register show R-2026-000900
tui_keys F1
# hidden while it loads, but not named as cut short: this terminal loads it
tui_expect "Scan a sheet code or a register"
tui_screen | grep -q "not loaded whole" && fail "its own load named as cut short: $(tui_screen)"
ok
# then it finishes by itself: the last line says so, every line is there
i=0; while [ $i -lt 600 ] && ! tui_screen | grep -q "register R-2026-000900 (inbound) loaded: $N envelopes"; do
	i=$((i + 1)); sleep 0.1
done
tui_expect "register R-2026-000900 (inbound) loaded: $N envelopes"
assert_eq "$(sqlite3 "$DB" "SELECT count(*), count(DISTINCT waybill) FROM envelope WHERE register_id = 'R-2026-000900'")" "$N|$N"
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM event WHERE type = 'registered' AND register_id = 'R-2026-000900'")" $N
[ "$(sqlite3 "$DB" "SELECT imported_at FROM register WHERE id = 'R-2026-000900'")" != 0 ] || fail "not shown when whole"
expect_exit 0 am --json register show R-2026-000900
expect_exit 0 am --json verify
assert_eq "$(echo "$OUT" | json_get 'd["ok"]')" True
tui_keys Escape
tui_expect "7 Registers"
tui_quit
# on a Kazakh handheld the count is what shows, whole, while it loads and
# when it is done (the long sentence put it beyond the message's rows)
N2=20000
python3 "$AMANAT_TOP/tests/support/genreg.py" R-2026-000901 $N2 20000000 > "$T/inbox/R-2026-000901.json"
tui_start 20 16 kk
tui_login CLERK-1 1111
tui_keys 7
tui_expect "Парақ не тізілім"
tui_keys F2
tui_expect "R-2026-000901.json"
# the inbox's path does not fit 20 columns: its last folder, never a bare "…"
tui_expect "Кіріс: …/inbox"
tui_keys Down				# the second file: the first is loaded already
tui_keys Enter
tui_wait "/$N2 жол" || fail "no count while loading at 20x16: $(tui_screen)"
ok
i=0; while [ $i -lt 600 ] && ! tui_screen | grep -q "жүктелді: $N2"; do
	i=$((i + 1)); sleep 0.1
done
tui_expect "жүктелді: $N2"
tui_expect "конверт"
tui_keys Escape
tui_expect "7 Тізілімдер"
tui_quit
done_ok
