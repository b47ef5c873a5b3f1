#!/bin/sh
# Force majeure (§37-39) end to end through the CLI, with a fixed clock and
# expectations computed by hand on the 2026 calendar (docs/deadlines.md):
# only the overlap with a clock's running time counts, working time for
# working-day clocks; the §38 notice clock is not moved by its own force
# majeure and closes when the notice is recorded; an entry after its notice
# time is kept and flagged; an ongoing one holds the clocks; absurd ones refused.
. "$(dirname "$0")/../support/testlib.sh"
W1=RR402118737KZ W2=RR402118745KZ W3=RR402118754KZ
at() { AMANAT_NOW="$1"; export AMANAT_NOW; }
due() {  # due CLOCK WAYBILL-OR-REGISTER
	am --json deadlines | json_get "[x['due'] for x in d if x['clock'] == '$1' and '$2' in (x['waybill'], x['register'])]"
}
sed 's/2026-03-19T16:40:00+05:00/2026-04-08T16:00:00+05:00/' "$SAMPLES/register-inbound.json" > "$T/reg.json"

at "2026-04-08 17:00"
expect_exit 0 am init --device-id FM-DESK --point KP-ALM-007
expect_exit 0 am register import "$T/reg.json"
at "2026-04-09 10:00"                                   # Thursday
expect_exit 0 am accept R-2026-000123 $W1 $W2
at "2026-04-09 11:00"
expect_exit 0 am handover COURIER-7 $W2
at "2026-04-10 10:00"                                   # Friday
expect_exit 0 am place $W2 PM-ALM-0043 B01
assert_eq "$(due wait-at-point $W1)" "['2026-04-15T00:00:00+05:00']"   # 10, 13, 14 Apr
assert_eq "$(due storage $W2)" "['2026-04-14T00:00:00+05:00']"         # 11, 12, 13 Apr

# Friday 18:00 to Monday 09:00: 63 hours, 15 of them working
at "2026-04-13 10:00"
expect_exit 0 am --json force-majeure --from "2026-04-10 18:00" --to "2026-04-13 09:00" --reason "flood on the route"
FM1=$(echo "$OUT" | json_get 'd["id"]')
assert_eq "$(echo "$OUT" | json_get 'd["notice_due"], d["notice_late"], d["recorded_by"], d["document"]')" \
  "('2026-04-16T00:00:00+05:00', False, 'tester', None)"
assert_eq "$(due wait-at-point $W1)" "['2026-04-15T15:00:00+05:00']"   # + 15 working hours, not 63
assert_eq "$(due storage $W2)" "['2026-04-16T15:00:00+05:00']"         # + all 63 hours
assert_eq "$(due force-majeure-notice "$FM1")" "['2026-04-16T00:00:00+05:00']"   # not moved by its own cause

# the document and the notice are events; the notice closes its clock
expect_exit 1 am force-majeure document "$FM1" --body "ТЖ департаменті" --number 12-345 --date 13.04.2026
expect_exit 0 am --json force-majeure document "$FM1" --body "ТЖ департаменті" --number 12-345 --date 2026-04-13
assert_eq "$(echo "$OUT" | json_get 'd["document"]')" "{'body': 'ТЖ департаменті', 'number': '12-345', 'date': '2026-04-13'}"
at "2026-04-14 09:00"
expect_exit 0 am --json force-majeure notify "$FM1" --to "ХҚКО ИАЖ, Kaspi"
assert_eq "$(echo "$OUT" | json_get 'd["notified"], d["notified_to"]')" "('2026-04-14T09:00:00+05:00', 'ХҚКО ИАЖ, Kaspi')"
assert_eq "$(due force-majeure-notice "$FM1")" "[]"
expect_exit 1 am force-majeure notify "$FM1" --to again
expect_exit 1 am force-majeure end "$FM1"                 # it has an end already

# recorded late: Thursday 16 Apr 08:00-20:00, notice due 17, 20, 21 -> 22 Apr 00:00, entered 23 Apr
at "2026-04-23 10:00"
expect_exit 0 am --json force-majeure --from "2026-04-16 08:00" --to "2026-04-16 20:00" --reason "strike"
FM2=$(echo "$OUT" | json_get 'd["id"]')
assert_eq "$(echo "$OUT" | json_get 'd["notice_due"], d["notice_late"], d["flag"]')" \
  "('2026-04-22T00:00:00+05:00', True, 'notice late — §39')"
expect_exit 0 am force-majeure list
assert_contains "$OUT" "notice late — §39"
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM event WHERE type = 'deadline_missed' AND register_id = '$FM2' AND payload ->> 'clock' = 'force-majeure-notice'")" 1
# it still moves what it overlaps: storage due 16 Apr 15:00 + the 12 hours; W1's ran out before it
assert_eq "$(due storage $W2)" "['2026-04-17T03:00:00+05:00']"
assert_eq "$(due wait-at-point $W1)" "['2026-04-15T15:00:00+05:00']"

# going on: the clocks stand still while it lasts, then run again
at "2026-04-24 09:59"                                   # Friday: 27, 28, 29 -> 30 Apr 00:00
expect_exit 0 am accept R-2026-000123 $W3
at "2026-04-24 12:00"
expect_exit 0 am --json force-majeure start --from "2026-04-24 10:00" --reason "quarantine of the district"
FM3=$(echo "$OUT" | json_get 'd["id"]')
assert_eq "$(echo "$OUT" | json_get 'd["ongoing"], d["to"]')" "(True, None)"
assert_eq "$(due wait-at-point $W3)" "['2026-04-30T02:00:00+05:00']"
at "2026-04-24 15:00"
assert_eq "$(due wait-at-point $W3)" "['2026-04-30T05:00:00+05:00']"
at "2026-04-24 16:30"
expect_exit 1 am force-majeure end "$FM3" --at "2026-04-24 18:00"   # not yet
expect_exit 0 am force-majeure end "$FM3" --at "2026-04-24 16:00"
at "2026-04-27 09:00"
assert_eq "$(due wait-at-point $W3)" "['2026-04-30T06:00:00+05:00']"

# absurd entries are refused, nothing recorded
expect_exit 1 am force-majeure --from "2026-04-01 00:00" --to "2027-06-01 00:00" --reason "war"
case "$ERR" in *"longer than a year"*|*"366 days"*) ok ;; *) fail "not refused for its length: $ERR" ;; esac
expect_exit 1 am force-majeure --from "2025-01-01 00:00" --to "2025-01-02 00:00" --reason "typo"
expect_exit 1 am force-majeure --from "2026-04-20 00:00" --to "2026-04-19 00:00" --reason "backwards"
expect_exit 1 am force-majeure --from "2026-04-20 00:00" --to "2026-04-21 00:00" --reason ""
expect_exit 1 am force-majeure end FM-NOPE
expect_exit 0 am --json force-majeure list
assert_eq "$(echo "$OUT" | json_get 'len(d)')" 3
assert_eq "$(sqlite3 "$DB" "SELECT group_concat(type) FROM (SELECT type FROM event WHERE register_id = '$FM1' AND type LIKE 'force_majeure%' ORDER BY seq)")" \
  "force_majeure,force_majeure_document,force_majeure_notified"
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM event WHERE register_id = '$FM3' AND type = 'force_majeure_ended'")" 1
expect_exit 0 am verify
done_ok
