#!/bin/sh
# Registers from the clerk's menu (issue 11): a return register loaded by
# scanning its sheet's codes, an inbound one from a file in the inbox
# folder, the return register of the envelopes back at the point formed,
# its sheet printed to a file printer, and handed over in Returns out.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
command -v zbarimg >/dev/null || { echo "zbarimg missing (make deps)"; exit 77; }
tui_seed
# the paper sheet of RET-2026-000007, made on another terminal: its codes
D2="$T/other.db"
"$AMANAT_BIN" --db "$D2" --calendar "$CAL" init --device-id OTHER --point SC-ALM-01 >/dev/null
"$AMANAT_BIN" --db "$D2" --calendar "$CAL" register import "$SAMPLES/register-inbound.json" >/dev/null
"$AMANAT_BIN" --db "$D2" --calendar "$CAL" register import "$SAMPLES/register-return.json" >/dev/null
"$AMANAT_BIN" --db "$D2" --calendar "$CAL" sheet RET-2026-000007 -o "$T/ret.txt" >/dev/null
zbarimg -q --raw --nodbus "$T"/ret.txt-*.png > "$T/codes" 2>/dev/null || fail "the sheet's codes do not decode"
[ -s "$T/codes" ] || fail "no codes on the sheet"
# two envelopes back at the point
AMANAT_NOW="2026-03-26 09:00" am accept R-2026-000123 RR402118737KZ RR402118745KZ >/dev/null
AMANAT_NOW="2026-03-26 09:05" am handover COURIER-1 RR402118737KZ RR402118745KZ >/dev/null
for w in RR402118737KZ RR402118745KZ; do
	AMANAT_NOW="2026-03-26 09:10" am return "$w" >/dev/null || fail "return $w"
done
mkdir "$T/inbox"
python3 "$AMANAT_TOP/tests/support/genreg.py" R-2026-000300 3 > "$T/inbox/R-2026-000300.json"
echo "not a register" > "$T/inbox/notes.txt"
export TUI_CONF_EXTRA="register.inbox = $T/inbox
print.device = $T/printer"
: > "$T/printer"
tui_start 80 24 en
tui_login CLERK-1 1111
tui_keys 7
tui_expect "Scan a sheet code or a register"
tui_expect "R-2026-000123"
n=$(wc -l < "$T/codes")
while IFS= read -r code; do tui_scan "$code"; done < "$T/codes"
tui_expect "register RET-2026-000007 (return) loaded: 1 envelopes"
assert_eq "$(sqlite3 "$DB" "SELECT kind FROM register WHERE id = 'RET-2026-000007'")" return
# the inbox: only register files are listed; Enter loads the chosen one
tui_keys F2
tui_expect "R-2026-000300.json"
tui_screen | grep -q notes.txt && fail "a file that is not a register is listed"
tui_keys Enter
tui_expect "register R-2026-000300 (inbound) loaded: 3 envelopes"
# the return register of what is back and on no open return register
tui_keys F4
tui_expect "F4 again"
tui_keys F4
tui_expect "return register RET-KP-ALM-007-20260326-1000 formed: 1 envelopes"
RET=RET-KP-ALM-007-20260326-1000
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM register_line WHERE register_id = '$RET' AND waybill = 'RR402118745KZ'")" 1
tui_keys F9
tui_expect "$RET sent to the printer"
grep -q "$RET" "$T/printer" || fail "the return register's sheet is not in the print"
ok
tui_keys F9
tui_expect "type the reason for the reprint"
tui_scan "for the State Corp courier"
tui_expect "$RET sent to the printer"
# labels for each envelope of the inbound register loaded from the inbox
: > "$T/printer"
tui_keys Home
i=0; while [ $i -lt 5 ]; do tui_keys Down; i=$((i + 1)); done
tui_scan R-2026-000300
tui_keys F7
tui_expect "3 label(s) of R-2026-000300 sent to the printer"
[ "$(grep -c '\^XA' "$T/printer")" = 3 ] || fail "three ZPL labels expected: $(head -c 300 "$T/printer")"
ok
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM event WHERE type = 'printed' AND payload LIKE '%\"what\":\"label\"%'")" 3
# hand it over in Returns out
tui_keys Escape
tui_expect "4 Returns out"
tui_keys 4
tui_expect "Return register"
tui_scan "$RET"
tui_expect "Scan envelope"
tui_scan RR402118745KZ
tui_expect "RR402118745KZ"
tui_keys F5
tui_expect "SC courier badge"
tui_scan SC-COURIER-3
tui_expect "register finished"
assert_eq "$(sqlite3 "$DB" "SELECT state FROM envelope WHERE waybill = 'RR402118745KZ'")" handed_back
tui_keys Escape
tui_quit
# the sorting clerk (§16): a register's labels and its sheet from the UI
am staff add SORT-1 --name "Болат С." --role sorting --pin 4444 >/dev/null
: > "$T/printer"
tui_start 80 24 en
tui_login SORT-1 4444
tui_keys 2
tui_expect "Scan a sheet code"
tui_scan R-2026-000123
tui_keys F9
tui_expect "R-2026-000123 sent to the printer"
tui_keys F7
tui_expect "label(s) of R-2026-000123 sent to the printer"
[ "$(grep -c '\^XA' "$T/printer")" = 5 ] || fail "five labels expected"
ok
tui_keys Escape
tui_expect "1 Lookup"
tui_keys Escape
tui_quit
done_ok
