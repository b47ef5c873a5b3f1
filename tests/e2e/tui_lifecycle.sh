#!/bin/sh
# The pilot's whole life cycle from the UI alone (issue 11), on a fresh
# database: after `init`, the staff and the postomat reference data, no CLI
# call changes anything.  Clerk: a register from the inbox folder, the
# acceptance with an act, the hand-over to a courier; courier: the cell, the
# removal after 3 days; clerk: the return, the return register formed,
# printed and handed back, a loss; prints of the act, the -ACC register, the
# return register, labels and the shift report to a file printer; a force
# majeure with its confirming document (typed 30.03.2026) and its end;
# supervisor: the shift closed and handed to the next supervisor.  Then the
# envelope's events are the same as in the README's CLI walk-through.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
. "$(dirname "$0")/../support/hub.sh"
am init --device-id TUI-1 --point KP-ALM-007 >/dev/null
am staff add CLERK-1 --name "Айгүл С." --role clerk --pin 1111 >/dev/null
am staff add COURIER-1 --name "Дәурен К." --role courier --pin 2222 >/dev/null
am staff add SUPER-1 --name "Ерлан Б." --role supervisor --pin 3333 >/dev/null
am staff add SUPER-2 --name "Мадина Т." --role supervisor --pin 4444 >/dev/null
# the register and the postomats (with their cell reservations) come by sync
python3 -c "import json; print(json.dumps([json.load(open('$SAMPLES/register-inbound.json'))]))" > "$T/regs.json"
hub_start --registers "$T/regs.json" --postomats "$SAMPLES/postomats.json"
mkdir "$T/inbox"
export TUI_CONF_EXTRA="register.inbox = $T/inbox
print.device = $T/printer
[sync]
url = $HUB_URL
cainfo = $HUB_CA
token = test-token
city = Алматы
interval_s = 3600"
: > "$T/printer"
events_before=$(sqlite3 "$DB" "SELECT count(*) FROM event")
W=RR402118737KZ

# ---- clerk, 26.03 10:00: the register, the acceptance, the courier -------
export AMANAT_NOW="2026-03-26 10:00"
tui_start 80 24 en
tui_login CLERK-1 1111
tui_keys 7
tui_expect "Scan a sheet code"
tui_keys F6
tui_expect "> R-2026-000123"
i=0; until [ "$(sqlite3 "$DB" "SELECT count(*) FROM cell WHERE waybill = '$W'")" = 1 ]; do
	i=$((i + 1)); [ $i -lt 100 ] || fail "the postomats did not come by sync"; sleep 0.05
done
ok
tui_keys Escape
tui_expect "1 Accept hand-over"
tui_keys 1
tui_expect "Register"
tui_scan R-2026-000123
tui_expect "Scan envelope"
for w in $W RR402118745KZ RR402118754KZ RR402118768KZ; do tui_scan $w; tui_expect "✓ $w"; done
tui_scan RR777000125KZ
tui_expect "not on this register"
tui_keys Enter
tui_keys F5
tui_expect "SC courier badge"
tui_scan SC-COURIER-1
tui_expect "act"
tui_keys Escape
tui_expect "2 Hand to courier"
tui_keys 2
tui_expect "Courier badge"
tui_scan COURIER-1
for w in $W RR402118745KZ; do tui_scan $w; tui_expect "$w"; done
tui_keys F5
tui_expect "1 Accept hand-over"
# the prints: the act (two copies), the register of accepted documents, labels
tui_keys 8
tui_expect "discrepancy"
tui_keys F9
tui_expect "sent to the printer"
tui_keys Escape
tui_keys 7
tui_expect "Scan a sheet code"
tui_scan R-2026-000123-ACC
tui_keys F9
tui_expect "R-2026-000123-ACC sent to the printer"
tui_scan R-2026-000123
tui_keys F7
tui_expect "label(s) of R-2026-000123 sent to the printer"
tui_keys Escape
tui_expect "1 Accept hand-over"
tui_keys Escape
tui_expect "Badge"

# ---- courier, 26.03 11:00: into the reserved cell --------------------------
export AMANAT_NOW="2026-03-26 11:00"
tui_start 20 16 en
tui_login COURIER-1 2222
tui_keys 2
tui_expect "Scan postomat"
tui_scan PM-ALM-0042
tui_expect "PM-ALM-0042"
tui_scan $W
tui_expect "A07"
tui_scan A07
tui_expect "placed in A07"
assert_eq "$(sqlite3 "$DB" "SELECT state FROM envelope WHERE waybill = '$W'")" placed
tui_keys Escape Escape Escape
tui_expect "Badge"

# ---- courier, 30.03 09:00: storage over, taken out -------------------------
export AMANAT_NOW="2026-03-30 09:00"
tui_start 20 16 en
tui_login COURIER-1 2222
tui_keys 4
tui_expect "Scan postomat"
tui_scan PM-ALM-0042
tui_expect "A07 $W"
tui_scan $W
tui_expect "removed: bring it to"
assert_eq "$(sqlite3 "$DB" "SELECT state FROM envelope WHERE waybill = '$W'")" expired_removed
tui_keys Escape Escape
tui_expect "Badge"

# ---- clerk, 30.03 12:00: back, the return register, hand-back, a loss ------
export AMANAT_NOW="2026-03-30 12:00"
tui_start 80 24 en
tui_login CLERK-1 1111
tui_keys 3
tui_expect "Scan envelope"
tui_scan $W
tui_expect "$W"
tui_keys Escape
tui_expect "7 Registers"
tui_keys 7
tui_expect "Scan a sheet code"
tui_keys F4
tui_keys F4
RET=RET-KP-ALM-007-20260330-1200
tui_expect "return register $RET formed: 1 envelopes"
tui_keys F9
tui_expect "$RET sent to the printer"
tui_keys Escape
tui_keys 4
tui_expect "Return register"
tui_scan $RET
tui_expect "Scan envelope"
tui_scan $W
tui_expect "✓ $W"
tui_keys F5
tui_expect "SC courier badge"
tui_scan SC-COURIER-1
tui_expect "register finished"
assert_eq "$(sqlite3 "$DB" "SELECT state FROM envelope WHERE waybill = '$W'")" handed_back
tui_keys Escape
tui_keys 5
tui_expect "Scan envelope"
tui_scan RR402118745KZ
tui_expect "Reason"
tui_scan "not in the courier's bag at the postomat"
tui_expect "Side: 1 Kaspi, 2 State Corp"  # §22 or §23, then the worker liable
tui_scan 3
tui_expect "the side is 1 Kaspi (§22) or 2 State Corp (§23)"
tui_keys Enter
tui_scan 1
tui_expect "Liable worker"
tui_scan "Дәурен К."
tui_expect "Side: Kaspi (§22). Liable: Дәурен К."
tui_expect "F5 or the envelope again"    # irreversible: shown first, then confirmed
tui_keys F5
tui_expect "drawn up: F9 prints its 2 copies"
assert_eq "$(sqlite3 "$DB" "SELECT state FROM envelope WHERE waybill = 'RR402118745KZ'")" lost
assert_eq "$(sqlite3 "$DB" "SELECT json_extract(body, '\$.side') || ' ' || json_extract(body, '\$.liable') || ' ' || json_extract(body, '\$.paragraph') FROM act WHERE kind = 'loss'")" \
	"kaspi Дәурен К. 22"
printed=$(wc -c < "$T/printer")
tui_keys F9                              # its two copies (§24), from the loss screen
tui_expect "2 copies (§24)"
[ "$(tail -c +$((printed + 1)) "$T/printer" | grep -ac "RR402118745KZ")" -ge 2 ] || fail "the act's two copies are not in the print"
ok
tui_keys Escape
tui_keys 8
tui_expect "loss"
tui_keys F9                              # printed from the loss screen: again, with the reason
tui_expect "type the reason for the reprint"
tui_scan "a copy for the authority (§24)"
tui_expect "sent to the printer"
tui_keys Escape Escape
tui_expect "Badge"

# ---- supervisors, 30.03 18:00: the report, the shift handed over ------------
export AMANAT_NOW="2026-03-30 18:00"
tui_start 80 24 en
tui_login SUPER-1 3333
# a force majeure (§37-38): its start, reason and confirming document, then its end
tui_keys 9
tui_expect "Start"
tui_scan "2026-03-30 14:00"
tui_expect "Reason"
tui_scan "flood on Abay avenue"
tui_expect "Enter again"		# asked first (tui_force_majeure.sh)
tui_keys Enter
tui_expect "Document issued by"
tui_scan "Emergencies department"
tui_scan "12-345"
tui_scan "30.03.2026"
tui_expect "confirming document recorded"
tui_keys F2
tui_expect "F2 again"				# asked first (qa_ui_fm_confirm.sh)
tui_keys F2
tui_expect "ended"
assert_eq "$(sqlite3 "$DB" "SELECT doc_date FROM force_majeure")" 2026-03-30
tui_keys Escape
tui_expect "1 Shift screen"
tui_keys 1
tui_expect "Shift 1"
tui_expect "Айгүл С. (clerk)"
tui_expect "Дәурен К. (courier)"
tui_keys F9
tui_expect "sent to the printer"
tui_keys F8
tui_keys F8
tui_expect "shift 1 closed"
tui_login SUPER-2 4444
tui_keys 1
tui_expect "Shift 2"
tui_expect "handed over by Ерлан Б."
tui_keys Escape Escape
tui_quit

# ---- what the database holds ------------------------------------------------
for what in act register label report; do
	[ "$(sqlite3 "$DB" "SELECT count(*) FROM event WHERE type = 'printed' AND payload LIKE '%\"what\":\"$what\"%'")" -ge 1 ] \
		|| fail "no print of a $what"
	ok
done
grep -q "R-2026-000123-ACC" "$T/printer" || fail "the -ACC register is not in the print"
grep -q "$RET" "$T/printer" || fail "the return register is not in the print"
ok
# the README's CLI walk-through on another database: the same envelope events
D2="$T/cli.db"
c() { AMANAT_NOW="$1" "$AMANAT_BIN" --db "$D2" --calendar "$CAL" "$@"; }
c2() { t=$1; shift; AMANAT_NOW="$t" "$AMANAT_BIN" --db "$D2" --calendar "$CAL" "$@" >/dev/null 2>&1; }
c2 "2026-03-26 10:00" init --device-id DESK-1 --point KP-ALM-007
c2 "2026-03-26 10:00" register import "$SAMPLES/register-inbound.json"
c2 "2026-03-26 10:00" accept R-2026-000123 $W RR402118745KZ
c2 "2026-03-26 10:00" accept R-2026-000123 $W RR777000125KZ
c2 "2026-03-26 10:00" accept R-2026-000123 --finish
c2 "2026-03-26 10:05" handover COURIER-7 $W
c2 "2026-03-26 10:05" reserve $W PM-ALM-0042 A07
c2 "2026-03-26 11:00" place $W PM-ALM-0042 A07
c2 "2026-03-30 09:00" expire $W
c2 "2026-03-30 12:00" return $W
c2 "2026-03-30 12:00" register import "$SAMPLES/register-return.json"
c2 "2026-03-30 12:00" handback RET-2026-000007 $W
c2 "2026-03-30 12:00" handback RET-2026-000007 --finish
types() { sqlite3 "$1" "SELECT type FROM event WHERE waybill = '$W' AND type NOT IN ('printed', 'note') ORDER BY seq" | tr '\n' ' '; }
steps() { sqlite3 "$1" "SELECT type FROM event WHERE waybill = '$W' AND type NOT IN ('printed', 'note') AND type NOT LIKE 'deadline%' ORDER BY seq" | tr '\n' ' '; }
assert_eq "$(types "$DB")" "$(types "$D2")"
assert_eq "$(steps "$DB")" "registered accepted out_for_delivery placed expired_removed returned_to_point handed_back "
for t in register_finished act_drawn shift_closed force_majeure; do
	[ "$(sqlite3 "$DB" "SELECT count(*) FROM event WHERE type = '$t'")" -ge 1 ] || fail "no $t event"
	ok
done
"$AMANAT_BIN" --db "$DB" --calendar "$CAL" verify >/dev/null || fail "the event chain does not hold"
ok
done_ok
