#!/bin/sh
# A late delivery's new date as people write it (issue 11): 21.03.2026 or
# 21.03, or today's date shown and moved with the arrows (never before
# today); a past date typed or a day the month does not have is refused at
# the date step, before the reason is typed; the store keeps the ISO date.
# The lookup names the courier holding the envelope.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
tui_seed
AMANAT_NOW="2026-03-26 09:00" am accept R-2026-000123 RR402118737KZ >/dev/null
AMANAT_NOW="2026-03-26 09:05" am accept R-2026-000123 RR402118745KZ >/dev/null
AMANAT_NOW="2026-03-26 09:05" am handover COURIER-1 RR402118737KZ RR402118745KZ >/dev/null
export AMANAT_NOW="2026-03-26 10:00"
tui_start 20 16 en
tui_login COURIER-1 2222
tui_keys 3
tui_expect "Scan envelope"
tui_scan RR402118737KZ
tui_expect "New date"
tui_scan "25.03.2026"
tui_expect "in the past"
tui_keys Enter
tui_expect "New date"		# still the date step: nothing to type again
tui_scan "31.02.2026"
tui_expect "21.03.2026"		# how a date is written
tui_keys Enter
tui_scan "27.03"
tui_expect "Reason"
tui_expect "27.03.2026"			# the date chosen, as people write it
case "$(tui_screen)" in *2026-03-27*) fail "the date shown in ISO: $(tui_screen)" ;; esac
tui_scan "the car broke down"
# the recipient is told and the deadline moves: asked first, Esc records
# nothing, and the reason typed again is asked again
tui_expect "Enter again: record"
tui_keys Escape
tui_expect "cancelled: nothing"
assert_eq "$(sqlite3 "$DB" "SELECT delayed_until FROM envelope WHERE waybill = 'RR402118737KZ'")" ""
assert_eq "$(am --json events --waybill RR402118737KZ | json_get '[e["type"] for e in d][-1]')" out_for_delivery
tui_expect "Reason"
tui_scan "the car broke down"
tui_expect "Enter again: record"
tui_keys F5				# not on this screen: the question stands
tui_keys Down
sleep 0.3
tui_expect "Enter again: record"
assert_eq "$(sqlite3 "$DB" "SELECT delayed_until FROM envelope WHERE waybill = 'RR402118737KZ'")" ""
tui_keys Enter
tui_expect "new date 27.03.2026"
case "$(tui_screen)" in *2026-03-27*) fail "the recent line shows the date in ISO: $(tui_screen)" ;; esac
assert_eq "$(sqlite3 "$DB" "SELECT delayed_until FROM envelope WHERE waybill = 'RR402118737KZ'")" 2026-03-27
# the date with the arrows: today's shown, Down stops at today (a new date
# is never in the past: qa_ui_delay_today.sh), Up a day later, PgUp a month later
tui_scan RR402118745KZ
tui_expect "26.03.2026"
tui_keys Down
sleep 0.2
case "$(tui_screen)" in *25.03.2026*) fail "Down moved the new date before today: $(tui_screen)" ;; esac
ok
tui_keys Up
tui_keys Up
tui_expect "28.03.2026"
tui_keys PPage
tui_expect "28.04.2026"
tui_keys Enter
tui_expect "Reason"
tui_scan "the road is closed"
tui_expect "Enter again"
tui_keys Enter
# this envelope's own line: "recorded" may still be on the screen from the
# first one, and a loaded machine would read the store before this commit
tui_expect "new date 28.04.2026"
assert_eq "$(sqlite3 "$DB" "SELECT delayed_until FROM envelope WHERE waybill = 'RR402118745KZ'")" 2026-04-28
tui_keys Escape
tui_expect "1 "
tui_keys Escape
tui_quit
# lookup names the courier who holds the envelope
tui_start 80 24 en
tui_login CLERK-1 1111
tui_keys 6
tui_expect "Scan envelope"
tui_scan RR402118737KZ
tui_expect "with a courier: Дәурен К. (COURIER-1)"
tui_keys Escape
tui_expect "1 "
tui_keys Escape
tui_quit
done_ok
