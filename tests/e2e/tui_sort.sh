#!/bin/sh
# The sorting clerk (State Corp sorting sector, §13-16) forms a register from
# the envelopes scanned against the applications list, prints a label for
# each envelope and the register's sheet to a file printer; a reception
# clerk on another terminal loads it from the printed sheet's codes (decoded
# by zbarimg) and accepts it: the chain with amanat at both ends.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
command -v zbarimg >/dev/null || { echo "zbarimg missing (make deps)"; exit 77; }
SORTDB="$T/sorting.db"
POINTDB="$DB"
DB="$SORTDB"
am init --device-id SORT-DESK --point SC-ALM-01 >/dev/null
am staff add SORT-1 --name "Болат С." --role sorting --pin 4444 >/dev/null
mkdir "$T/inbox"
cp "$SAMPLES/applications.csv" "$T/inbox/applications-2026-03-26.csv"
printf 'application,waybill\nKZ-APP-1,RR000000000KZ\n' > "$T/inbox/broken.csv"
export TUI_CONF_EXTRA="register.inbox = $T/inbox
print.device = $T/printer"
: > "$T/printer"
tui_start 80 24 en
tui_login SORT-1 4444
tui_expect "3 Form a register"
tui_keys 3
tui_expect "F2: load the applications list"
# a list without the columns a register needs is refused whole
tui_keys F2
tui_expect "broken.csv"
tui_keys Down
tui_keys Enter
tui_expect "broken.csv refused, nothing loaded"
tui_keys Enter
tui_keys Up
tui_keys Enter
tui_expect "applications list applications-2026-03-26.csv loaded: 6 applications, 6 new"
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM sort_order")" 6
# by application number or by waybill; a second scan counts once
tui_scan KZ-APP-2026-004000
tui_expect "✓ RR603112002KZ PM-ALM-0042 → KP-ALM-007"
tui_scan RR603112016KZ
tui_expect "✓ RR603112016KZ"
tui_scan RR603112016KZ
tui_expect "scanned already: counted once"
# another reception point, an envelope not on the list: refused, nothing kept
tui_scan RR603113008KZ
tui_expect "goes to KP-AST-002"
tui_scan RR402118737KZ
tui_expect "not on the applications list"
tui_keys Enter
tui_scan KZ-APP-2026-004002
tui_expect "✓ RR603112020KZ"
# F3 then a scan takes one off; scanned again it is back
tui_keys F3
tui_expect "scan the envelope to take off"
tui_scan RR603112020KZ
tui_expect "RR603112020KZ taken off"
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM sort_draft")" 2
tui_scan RR603112020KZ
tui_expect "Scanned 3"
# the lines are in the store before they show: a restart shows them again
tui_keys Escape
tui_expect "3 Form a register"
tui_keys 3
tui_expect "RR603112020KZ"
tui_expect "KZ-APP-2026-004002"
# F5 twice forms it
tui_keys F5
tui_expect "F5 again forms the register of the 3 envelopes scanned"
tui_keys F5
REG=R-SC-ALM-01-20260326-1
tui_expect "register $REG formed: 3 envelopes to KP-ALM-007"
assert_eq "$(sqlite3 "$DB" "SELECT kind || ' ' || sender || ' ' || receiver FROM register WHERE id = '$REG'")" "inbound SC-ALM-01 KP-ALM-007"
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM event WHERE type = 'registered' AND register_id = '$REG'")" 3
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM sort_draft")" 0
assert_eq "$(sqlite3 "$DB" "SELECT group_concat(waybill, ' ') FROM (SELECT waybill FROM register_line WHERE register_id = '$REG' ORDER BY line)")" \
	"RR603112002KZ RR603112016KZ RR603112020KZ"
# a waybill on a register is not scanned onto the next one
tui_scan RR603112002KZ
tui_expect "put it with that register"
tui_keys Enter
# its labels (§16) and its sheet, to the file printer
tui_keys F7
tui_expect "3 label(s) of $REG sent to the printer"
[ "$(grep -c '\^XA' "$T/printer")" = 3 ] || fail "three ZPL labels expected"
ok
grep -q RR603112016KZ "$T/printer" || fail "a label lacks its waybill"
ok
: > "$T/printer"
tui_keys F9
tui_expect "$REG sent to the printer"
tui_keys F9
tui_expect "type the reason for the reprint"
tui_keys Escape
tui_keys Escape
tui_expect "3 Form a register"
tui_keys F10
# the printed sheet's 2D codes, cut out of the printer's stream and decoded
python3 - "$T/printer" "$T/sheet" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
n, i = 0, data.find(b"\x89PNG")
while i >= 0:
    end = data.find(b"IEND", i) + 8
    n += 1
    open("%s-%d.png" % (sys.argv[2], n), "wb").write(data[i:end])
    i = data.find(b"\x89PNG", end)
PY
ls "$T"/sheet-*.png >/dev/null 2>&1 || fail "no 2D code in the printed sheet"
zbarimg -q --raw --nodbus "$T"/sheet-*.png > "$T/codes" 2>/dev/null || fail "the printed sheet's codes do not decode"
grep -q "^AMR1:$REG:" "$T/codes" || fail "the codes are not the register's: $(head -c 200 "$T/codes")"
ok
# the reception point: another terminal, another database
DB="$POINTDB"
tui_seed
export TUI_CONF_EXTRA=""
tui_start 80 24 en
tui_login CLERK-1 1111
# not loaded yet: the UI says where it is loaded, not a shell command
tui_keys 1
tui_expect "▶ Register"
tui_scan "$REG"
tui_expect "load it first in Registers"
tui_screen | grep -q "amanat register import" && fail "the UI points the clerk at the command line"
ok
tui_keys Enter
tui_keys Escape
tui_expect "7 Registers"
tui_keys 7
tui_expect "Scan a sheet code or a register"
while IFS= read -r code; do tui_scan "$code"; done < "$T/codes"
tui_expect "register $REG (inbound) loaded: 3 envelopes"
assert_eq "$(sqlite3 "$DB" "SELECT sender || ' ' || receiver FROM register WHERE id = '$REG'")" "SC-ALM-01 KP-ALM-007"
assert_eq "$(sqlite3 "$DB" "SELECT application || ' ' || postomat FROM envelope WHERE waybill = 'RR603112016KZ'")" \
	"KZ-APP-2026-004001 PM-ALM-0043"
tui_keys Escape
tui_keys 1
tui_expect "Register"
tui_scan "$REG"
tui_expect "Scan envelope"
for w in RR603112002KZ RR603112016KZ RR603112020KZ; do tui_scan "$w"; tui_expect "$w"; done
tui_keys F5
tui_expect "SC courier badge"
tui_scan SC-COURIER-3
tui_expect "register finished"
assert_eq "$(sqlite3 "$DB" "SELECT group_concat(state) FROM (SELECT DISTINCT state FROM envelope WHERE register_id = '$REG')")" accepted
tui_keys Escape
tui_quit
# the sorting desk in Kazakh on a handheld's 20x16: the next register begins
DB="$SORTDB"
tui_start 20 16 kk
tui_login SORT-1 4444
tui_keys 3
tui_expect "Тізілім жасау"
tui_expect "F5 Жасау"
tui_scan KZ-APP-2026-004003
tui_expect "✓ RR603112033KZ"
tui_expect "Сканерленді: 1"
tui_scan RR603112016KZ
tui_expect "тізілімінде бар"
tui_keys Enter
tui_keys Escape
tui_expect "3 Тізілім жасау"
tui_quit
done_ok
