#!/bin/sh
# Losses (§22-26) with a fixed clock: the side of the loss (Kaspi §22, with
# the liable worker; State Corp §23), refused on Kaspi's side for an envelope
# the point never received; the act in the terminal's language and in
# Russian; the §26 duplicate clock stays open after the cancellation and
# closes when a new waybill arrives for the same application.
. "$(dirname "$0")/../support/testlib.sh"
W1=RR402118737KZ W5=RR402118771KZ D1=RR402118808KZ D5=RR402118811KZ
at() { AMANAT_NOW="$1"; export AMANAT_NOW; }
sed 's/2026-03-19T16:40:00+05:00/2026-04-08T16:00:00+05:00/' "$SAMPLES/register-inbound.json" > "$T/reg.json"
at "2026-04-08 17:00"
expect_exit 0 am init --device-id LOSS-1 --point KP-ALM-007
expect_exit 0 am register import "$T/reg.json"
at "2026-04-09 09:00"                                   # Thursday
expect_exit 0 am accept R-2026-000123 $W1

# the point never received W5: not a loss on Kaspi's side
at "2026-04-09 10:00"
expect_exit 1 am lost $W5 --reason "not in the courier's bag"
assert_contains "$ERR" "--side state-corp"
expect_exit 1 am lost $W5 --reason "x" --side nobody
expect_exit 0 am --json lost $W5 --reason "not in the State Corp courier's bag" --side state-corp --liable "МК курьері Б. Н."
ACT5=$(echo "$OUT" | json_get 'd["act"]')
expect_exit 0 am --json acts "$ACT5"
assert_eq "$(echo "$OUT" | json_get 'd["body"]["side"], d["body"]["paragraph"], d["body"]["liable"], d["body"]["state_before"]')" \
  "('state-corp', 23, 'МК курьері Б. Н.', 'registered')"

# Kaspi's side, with the worker under full material liability (§22)
expect_exit 0 am --json lost $W1 --reason "fell out of the bag on route 4" --liable "COURIER-7 Дәурен К."
ACT1=$(echo "$OUT" | json_get 'd["act"]')
expect_exit 0 am --json acts "$ACT1"
assert_eq "$(echo "$OUT" | json_get 'd["copies"], d["body"]["side"], d["body"]["paragraph"], d["body"]["circumstances"]')" \
  "(2, 'kaspi', 22, 'fell out of the bag on route 4')"
expect_exit 0 am --json events --waybill $W1
assert_eq "$(echo "$OUT" | json_get '[(e["payload"]["side"], e["payload"]["liable"], e["payload"]["application"]) for e in d if e["type"] == "lost"]')" \
  "[('kaspi', 'COURIER-7 Дәурен К.', 'KZ-APP-2026-001000')]"

# the act sheet: the terminal's language (Kazakh by default) and a Russian copy
expect_exit 0 am sheet "$ACT1" -o "$T/act.txt"
SHEET=$(cat "$T/act.txt")
assert_contains "$SHEET" "ЖОҒАЛУ АКТІСІ"
assert_contains "$SHEET" "АКТ УТЕРИ"
assert_contains "$SHEET" "COURIER-7 Дәурен К."
assert_eq "$(grep -c 'АКТ УТЕРИ' "$T/act.txt")" 2 "two Russian copies"
printf 'language = ru\n' > "$T/ru.conf"
expect_exit 0 am --config "$T/ru.conf" sheet "$ACT1" -o "$T/act-ru.txt"
assert_eq "$(grep -c 'ЖОҒАЛУ АКТІСІ' "$T/act-ru.txt")" 0 "Russian only once when the terminal is Russian"

# §26: 3 working days from Thu 9 Apr 10:00: 10, 13, 14 -> Wed 15 Apr 00:00
expect_exit 0 am --json deadlines
assert_eq "$(echo "$OUT" | json_get 'sorted((x["waybill"], x["due"]) for x in d if x["clock"] == "duplicate")')" \
  "[('$W1', '2026-04-15T00:00:00+05:00'), ('$W5', '2026-04-15T00:00:00+05:00')]"
at "2026-04-10 11:00"
expect_exit 0 am cancel $W1
expect_exit 0 am cancel $W5
expect_exit 0 am --json deadlines
assert_eq "$(echo "$OUT" | json_get 'len([x for x in d if x["clock"] == "duplicate"])')" 2 "open after the cancellation"
# W1's duplicate comes on a register formed Tue 14 Apr 16:00: in time
cat > "$T/dup1.json" <<EOF2
{"register": "R-DUP-1", "kind": "inbound", "from": "SC-ALM-01", "to": "KP-ALM-007",
 "formed_at": "2026-04-14T16:00:00+05:00",
 "items": [{"waybill": "$D1", "application": "KZ-APP-2026-001000", "postomat": "PM-ALM-0042", "city": "Алматы"}]}
EOF2
at "2026-04-14 17:00"
expect_exit 0 am register import "$T/dup1.json"
expect_exit 0 am --json deadlines
assert_eq "$(echo "$OUT" | json_get '[x["waybill"] for x in d if x["clock"] == "duplicate"]')" "['$W5']"
# W5's comes on one formed Thu 16 Apr 09:00: 33 hours late
sed "s/R-DUP-1/R-DUP-5/; s/$D1/$D5/; s/KZ-APP-2026-001000/KZ-APP-2026-001004/; s/2026-04-14T16:00/2026-04-16T09:00/" "$T/dup1.json" > "$T/dup5.json"
at "2026-04-16 10:00"
expect_exit 0 am register import "$T/dup5.json"
assert_eq "$(sqlite3 "$DB" "SELECT waybill, payload ->> 'late_minutes' FROM event WHERE type = 'deadline_closed_late' AND payload ->> 'clock' = 'duplicate'")" "$W5|1980"
expect_exit 0 am --json deadlines
assert_eq "$(echo "$OUT" | json_get '[x for x in d if x["clock"] == "duplicate"]')" "[]"
expect_exit 0 am verify
done_ok
