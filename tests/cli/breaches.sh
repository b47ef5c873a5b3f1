#!/bin/sh
# Breaches are facts (§17, §10, §21/§30, §33, §36): with a fixed clock, each
# clock passing its due time writes deadline_missed on the first run that sees
# it, closing it late writes deadline_closed_late with how late; status,
# deadlines --all and the shift report keep showing them after the step is
# done; they sit in the outbox like every event.  Expectations by hand on the
# 2026 calendar (20 Mar is a Friday; 23-25 Mar are Nauryz days off).
. "$(dirname "$0")/../support/testlib.sh"
W1=RR402118737KZ W2=RR402118745KZ
at() { AMANAT_NOW="$1"; export AMANAT_NOW; }

at "2026-03-19 17:00"
expect_exit 0 am init --device-id DESK-1 --point KP-ALM-007
expect_exit 0 am register import "$SAMPLES/register-inbound.json"   # formed Thu 19 Mar 16:40
# §17 due Fri 20 Mar 12:00, §10 due 13:00
at "2026-03-20 11:59"
expect_exit 0 am --json deadlines
assert_eq "$(echo "$OUT" | json_get '[(x["clock"], x["due"], x["breached"]) for x in d]')" \
  "[('courier-delivery', '2026-03-20T12:00:00+05:00', False), ('to-point', '2026-03-20T13:00:00+05:00', False)]"
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM event WHERE type = 'deadline_missed'")" 0 "nothing missed yet"

# 12:30: any command (here a read) writes the §17 breach; no network needed
at "2026-03-20 12:30"
expect_exit 0 am --json deadlines
assert_eq "$(echo "$OUT" | json_get '[(x["clock"], x["breached"], x["left_minutes"]) for x in d]')" \
  "[('courier-delivery', True, -30), ('to-point', False, 29)]"
assert_eq "$(sqlite3 "$DB" "SELECT payload ->> 'clock', payload ->> 'due', register_id, sync FROM event WHERE type = 'deadline_missed'")" \
  "courier-delivery|2026-03-20T12:00:00+05:00|R-2026-000123|0"
expect_exit 0 am deadlines                                  # seen again: not written twice
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM event WHERE type = 'deadline_missed'")" 1

# the State Corp courier arrives 3.5 hours late: both clocks close late
at "2026-03-20 15:30"
expect_exit 0 am accept R-2026-000123 $W1 $W2
assert_eq "$(sqlite3 "$DB" "SELECT payload ->> 'clock', payload ->> 'late_minutes' FROM event WHERE type = 'deadline_closed_late' ORDER BY 1")" \
  "courier-delivery|210
to-point|150"
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM event WHERE type = 'deadline_missed'")" 2 "to-point missed too"
expect_exit 0 am --json deadlines
assert_eq "$(echo "$OUT" | json_get '[x["clock"] for x in d]')" "['wait-at-point', 'wait-at-point']" "closed ones leave the open list"
expect_exit 0 am --json deadlines --all
assert_eq "$(echo "$OUT" | json_get '[(x["clock"], x["open"], x["late_minutes"]) for x in d if x["breached"]]')" \
  "[('courier-delivery', False, 210), ('to-point', False, 150)]"
expect_exit 0 am deadlines --all
assert_contains "$OUT" "courier-delivery"
assert_contains "$OUT" "3:30"

# §21/§30: placed Fri 20 Mar 17:00, storage 21, 22, 23 -> Tue 24 Mar 00:00;
# the return day runs from the end of storage: the first working day after
# Mon 23 is Thu 26 (24, 25 Nauryz) -> due Fri 27 Mar 00:00.  Removed 7 days late.
at "2026-03-20 16:00"
expect_exit 0 am handover COURIER-7 $W1
at "2026-03-20 17:00"
expect_exit 0 am place $W1 PM-ALM-0042 A07
at "2026-03-31 10:00"
expect_exit 0 am expire $W1
expect_exit 0 am --json status $W1
assert_eq "$(echo "$OUT" | json_get '[(x["clock"], x["started"], x["due"], x["left_minutes"]) for x in d["deadlines"]]')" \
  "[('return', '2026-03-24T00:00:00+05:00', '2026-03-27T00:00:00+05:00', -6360)]"
at "2026-03-31 12:00"
expect_exit 0 am return $W1
expect_exit 0 am --json status $W1
assert_eq "$(echo "$OUT" | json_get '[(x["clock"], x["late_minutes"]) for x in d["breaches"]]')" \
  "[('return', 6480)]"   # storage is a keeping period: its end is nobody's breach
assert_eq "$(echo "$OUT" | json_get 'd["deadlines"]')" "[]"

# §33: return register formed Tue 31 Mar 12:00 -> pickup by Wed 1 Apr 12:00; taken at 15:00
expect_exit 0 am --json register create-return RET-1
at "2026-04-01 15:00"
expect_exit 0 am handback RET-1 $W1
expect_exit 0 am handback RET-1 --finish
assert_eq "$(sqlite3 "$DB" "SELECT payload ->> 'late_minutes' FROM event WHERE type = 'deadline_closed_late' AND register_id = 'RET-1'")" 180

# the shift report lists every breach of its period (closed late in it, or still open)
expect_exit 0 am report shift --since "2026-03-20 00:00" --dir "$T/rep"
CSV=$(cat "$T"/rep/shift-*.csv)
assert_eq "$(echo "$CSV" | grep -c '^deadline,.*,breached')" 6
assert_contains "$CSV" "deadline,courier-delivery,,R-2026-000123,20.03.2026 12:00,breached-closed,17"
assert_contains "$CSV" "deadline,return,$W1,,27.03.2026 00:00,breached-closed,30"
assert_contains "$CSV" "deadline,pickup-returns,,RET-1,01.04.2026 12:00,breached-closed,33"
# W2 still waits at the point: 3 working days from Fri 20 Mar (26, 27, 30) -> 31 Mar 00:00
assert_contains "$CSV" "deadline,wait-at-point,$W2,,31.03.2026 00:00,breached,11"
expect_exit 0 am report shift --since "2026-03-28 00:00" --dir "$T/rep2"
assert_eq "$(cat "$T"/rep2/shift-*.csv | grep -c '^deadline,.*,breached')" 4 "only the period's"

# upstream: the breach events are in the outbox like any other
expect_exit 0 am --json events --unsent
assert_eq "$(echo "$OUT" | json_get 'sorted(set(x["type"] for x in d if x["type"].startswith("deadline")))')" \
  "['deadline_closed_late', 'deadline_missed']"
expect_exit 0 am verify
done_ok
