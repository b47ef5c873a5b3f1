#!/bin/sh
# The supervisor's desk (issue 11): acts listed, read and printed to a file
# printer (a reprint asks the reason and logs it), dead letters listed with
# the upstream's reason and re-sent, staff added from the UI (who can then
# log in) and switched off (who then cannot); each action an event.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
tui_seed
AMANAT_NOW="2026-03-26 10:00" am accept R-2026-000123 RR402118737KZ RR777000125KZ >/dev/null
AMANAT_NOW="2026-03-26 10:10" am accept R-2026-000123 --finish >/dev/null
# an event the upstream refused for good
sqlite3 "$DB" "UPDATE event SET sync = 2, sync_reason = 'unknown point KP-ALM-007' WHERE seq = 3"
export TUI_CONF_EXTRA="print.device = $T/printer"
: > "$T/printer"
tui_start 80 24 en
tui_login SUPER-1 3333
tui_keys 2
tui_expect "1 Acts"
tui_keys 1
tui_expect "ACT-TUI-1-0001"
tui_expect "discrepancy"
tui_keys Enter
tui_expect "Reason: acceptance does not match the register"
tui_keys Escape
tui_keys F9
tui_expect "ACT-TUI-1-0001 sent to the printer"
[ -s "$T/printer" ] || fail "nothing reached the printer"
grep -q "ACT-TUI-1-0001" "$T/printer" || fail "the act's text is not in the print"
ok
tui_keys F9
tui_expect "type the reason for the reprint"
tui_scan "the first copy was torn"
tui_expect "ACT-TUI-1-0001 sent to the printer"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM event WHERE type = 'printed' AND payload LIKE '%\"id\":\"ACT-TUI-1-0001\"%'")" = 2 ] || fail "two prints, two events"
ok
sqlite3 "$DB" "SELECT payload FROM event WHERE type = 'printed'" | grep -q '"reason":"the first copy was torn","reprint":true' || fail "the reprint's reason is not logged"
ok
tui_keys Escape
tui_expect "2 Dead letters"
tui_keys 2
tui_expect "unknown point KP-ALM-007"
tui_keys F4
tui_expect "1 event(s) back in the outbox"
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM event WHERE sync = 2")" 0
tui_expect "no dead letters"
tui_keys Escape
tui_expect "3 Staff"
tui_keys 3
tui_expect "CLERK-1"
tui_keys F2
tui_expect "Badge"
tui_scan CLERK-2
tui_expect "Name"
tui_scan "Сәуле Н."
tui_expect "Role"
tui_scan 1
tui_expect "PIN"
tui_scan 5555
tui_expect "CLERK-2: added"
tui_expect "Сәуле Н."
assert_eq "$(sqlite3 "$DB" "SELECT role || active FROM staff WHERE badge = 'CLERK-2'")" "clerk1"
# choose CLERK-1 (the first row) and switch it off: F3 twice
tui_keys Home F3
tui_expect "F3 again switches"
tui_keys F3
tui_expect "switched off"
assert_eq "$(sqlite3 "$DB" "SELECT active FROM staff WHERE badge = 'CLERK-1'")" 0
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM event WHERE type = 'note' AND payload LIKE '%\"desk\":\"staff\"%'")" 2
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM event WHERE type = 'outbox_resent' AND actor = 'SUPER-1'")" 1
# a collection and a cancellation upstream did not send, by hand with a reason
AMANAT_NOW="2026-03-26 10:30" am handover COURIER-1 RR402118737KZ >/dev/null
AMANAT_NOW="2026-03-26 10:40" am place RR402118737KZ PM-ALM-0042 A07 >/dev/null
AMANAT_NOW="2026-03-26 10:50" am lost RR402118745KZ --reason "never arrived" --side state-corp >/dev/null
tui_keys Escape
tui_expect "4 Collected / cancelled by hand"
tui_keys 4
tui_expect "Scan envelope"
tui_scan RR402118754KZ
tui_expect "only a placed envelope is collected"
tui_keys Enter
tui_scan RR402118737KZ
tui_expect "collected"
tui_expect "Reason, and who said so"
tui_scan "parent phoned: cell opened, app showed no status"
# final either way: what will be recorded is shown, nothing is recorded yet
tui_expect "F5 or the envelope again"
tui_expect "parent phoned"
assert_eq "$(sqlite3 "$DB" "SELECT state FROM envelope WHERE waybill = 'RR402118737KZ'")" placed
tui_scan RR402118745KZ			# another envelope does not confirm it
tui_expect "is not the envelope shown"
assert_eq "$(sqlite3 "$DB" "SELECT state FROM envelope WHERE waybill = 'RR402118737KZ'")" placed
tui_scan RR402118737KZ			# the same one again records it
tui_expect "RR402118737KZ: collected"
tui_scan RR402118745KZ
tui_expect "Reason"
tui_scan "authority letter 12/03"
tui_expect "F5 or the envelope again"
tui_keys Escape				# Esc: nothing recorded
tui_expect "nothing was recorded"
assert_eq "$(sqlite3 "$DB" "SELECT state FROM envelope WHERE waybill = 'RR402118745KZ'")" lost
tui_scan RR402118745KZ
tui_expect "Reason"
tui_scan "authority letter 12/03"
tui_expect "F5 or the envelope again"
tui_keys F5
tui_expect "RR402118745KZ: cancelled"
assert_eq "$(sqlite3 "$DB" "SELECT state FROM envelope WHERE waybill = 'RR402118737KZ'")" collected
assert_eq "$(sqlite3 "$DB" "SELECT state FROM envelope WHERE waybill = 'RR402118745KZ'")" cancelled
sqlite3 "$DB" "SELECT payload FROM event WHERE type = 'cancelled'" | grep -q "authority letter 12/03" || fail "the reason is not in the event"
ok
tui_keys Escape
tui_expect "5 Force majeure"
# the new clerk logs in; the switched-off one cannot
tui_keys Escape Escape
tui_expect "Badge"
tui_login CLERK-2 5555
tui_expect "Accept hand-over"
tui_keys Escape
tui_expect "Badge"
tui_scan CLERK-1; tui_wait "PIN"; tui_scan 1111
tui_expect "wrong badge or PIN"
tui_keys Enter
tui_quit
done_ok
