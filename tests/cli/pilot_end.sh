#!/bin/sh
# Order §6 and the calendar's edge: after pilot_end (default 2026-12-31) an
# inbound register is refused naming the setting, while work under way goes
# on; the time zone by IANA name, utc_offset in hours; a deadline past the
# calendar file's last day is flagged, and doctor says so.
. "$(dirname "$0")/../support/testlib.sh"
at() { AMANAT_NOW="$1"; export AMANAT_NOW; }
reg() {  # reg ID FORMED WAYBILL
	cat > "$T/$1.json" <<EOF
{"register": "$1", "kind": "inbound", "from": "SC-1", "to": "KP-1", "formed_at": "$2",
 "items": [{"waybill": "$3", "application": "APP-$1", "postomat": "PM-1", "city": "Almaty"}]}
EOF
}
W1=RR402118737KZ W2=RR402118745KZ W3=RR402118754KZ

at "2026-12-31 10:00"
expect_exit 0 am init --device-id D-1 --point KP-1
reg R-LAST "2026-12-30T16:00:00+05:00" $W1
expect_exit 0 am register import "$T/R-LAST.json"          # the last day: still in the pilot
expect_exit 0 am accept R-LAST $W1

at "2027-01-05 10:00"
reg R-2027 "2027-01-05T09:00:00+05:00" $W2
expect_exit 1 am register import "$T/R-2027.json"
assert_contains "$ERR" "pilot_end"
assert_contains "$ERR" "31.12.2026"
expect_exit 0 am --json register list
assert_eq "$(echo "$OUT" | json_get '[r["register"] for r in d]')" "['R-LAST']"
# a register formed in 2027, imported on 31 December: refused too
at "2026-12-31 23:00"
expect_exit 1 am register import "$T/R-2027.json"
# work under way goes on after the end
at "2027-01-05 10:00"
expect_exit 0 am handover COURIER-1 $W1
expect_exit 0 am lost $W1 --reason "bag torn on route 2"
# the setting moves the end
printf 'pilot_end = 2027-06-30\n' > "$T/later.conf"
expect_exit 0 am --config "$T/later.conf" register import "$T/R-2027.json"
printf 'pilot_end = 31.12.2026\n' > "$T/bad.conf"
expect_exit 3 am --config "$T/bad.conf" status $W1
assert_contains "$ERR" "pilot_end"

# time zone: a name from tzdata, or an offset in hours; never +00:05
for conf in 'timezone = Asia/Almaty' 'utc_offset = 5' 'utc_offset = +05:00' 'utc_offset = 300'; do
	printf '%s\n' "$conf" > "$T/tz.conf"
	expect_exit 0 am --config "$T/tz.conf" --json deadline courier-delivery "2026-03-19 16:40"
	assert_eq "$(echo "$OUT" | json_get 'd["due"]')" "2026-03-20T12:00:00+05:00" "$conf"
done
printf 'timezone = Europe/Moscow\n' > "$T/tz.conf"
expect_exit 0 am --config "$T/tz.conf" --json deadline courier-delivery "2026-03-19 16:40"
assert_eq "$(echo "$OUT" | json_get 'd["due"]')" "2026-03-20T12:00:00+03:00"
for conf in 'timezone = Asia/Almatyy' 'timezone = ../../etc/passwd' 'utc_offset = five' 'utc_offset = 5:7'; do
	printf '%s\n' "$conf" > "$T/tz.conf"
	expect_exit 3 am --config "$T/tz.conf" status $W1
	assert_contains "$ERR" "$(echo "$conf" | cut -d' ' -f1)"
done
printf 'timezone = Asia/Almaty\nutc_offset = 3\n' > "$T/tz.conf"
expect_exit 3 am --config "$T/tz.conf" status $W1
assert_contains "$ERR" "disagrees"

# the shipped calendar covers 2027 (provisional): 8 March and Nauryz 2027 are off
expect_exit 0 am --json deadline wait-at-point "2027-03-05 10:00"   # Fri: 9, 10, 11 Mar
assert_eq "$(echo "$OUT" | json_get 'd["due"]')" "2027-03-12T00:00:00+05:00"
expect_exit 0 am --json deadline wait-at-point "2027-03-19 10:00"   # Fri: 22-24 off -> 25, 26, 29
assert_eq "$(echo "$OUT" | json_get 'd["due"]')" "2027-03-30T00:00:00+05:00"
assert_eq "$(echo "$OUT" | json_get '"calendar_warning" in d')" False
# past its last day (31.12.2027): computed on weekends only, and flagged
expect_exit 0 am --json deadline wait-at-point "2027-12-30 10:00"
assert_eq "$(echo "$OUT" | json_get 'd["due"]')" "2028-01-05T00:00:00+05:00"
assert_contains "$(echo "$OUT" | json_get 'd["calendar_warning"]')" "the calendar ends on 31.12.2027"

# an open deadline past a calendar's edge: flagged in deadlines, and doctor fails on it
cat > "$T/short.txt" <<EOF
covers 2026-01-01 2026-03-31
2026-03-23 off Nauryz
EOF
DB2="$T/two.db"
at "2026-03-27 10:00"
expect_exit 0 "$AMANAT_BIN" --db "$DB2" --calendar "$T/short.txt" init --device-id D-2
reg R-EDGE "2026-03-26T16:00:00+05:00" $W3
expect_exit 0 "$AMANAT_BIN" --db "$DB2" --calendar "$T/short.txt" register import "$T/R-EDGE.json"
expect_exit 0 "$AMANAT_BIN" --db "$DB2" --calendar "$T/short.txt" accept R-EDGE $W3   # Fri 27: 30, 31, 1 Apr
expect_exit 0 "$AMANAT_BIN" --db "$DB2" --calendar "$T/short.txt" --json deadlines
assert_eq "$(echo "$OUT" | json_get '[(x["clock"], x["due"]) for x in d]')" "[('wait-at-point', '2026-04-02T00:00:00+05:00')]"
assert_eq "$(echo "$OUT" | json_get 'd[0]["calendar_warning"]')" "the calendar ends on 31.03.2026: add next year's days off"
"$AMANAT_BIN" --db "$DB2" --calendar "$T/short.txt" --json doctor > "$T/doc.json" 2>/dev/null
assert_eq "$(json_get '[(c["ok"], "31.03.2026" in c["detail"]) for c in d["checks"] if c["check"] == "calendar"]' < "$T/doc.json")" "[(False, True)]"
done_ok
