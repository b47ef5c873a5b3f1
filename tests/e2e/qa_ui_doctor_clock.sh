#!/bin/sh
# amanat doctor says the clock in the zone it knows: local time when the
# configuration loaded (Asia/Almaty, UTC+5), and UTC, labelled so, when the
# configuration did not load (its timezone is then unknown).  On main the
# UTC time was labelled local: 05:00 "local time" at 10:00 in Almaty.
# (Not a screen: here because the doctor belongs to the UI helper's files.)
. "$(dirname "$0")/../support/testlib.sh"
export AMANAT_NOW="2026-03-26 10:00"		# local, Asia/Almaty
printf 'point_id = KP-ALM-007\n' > "$T/good.conf"
printf 'point_id = KP-ALM-007\nnot a key and a value\n' > "$T/bad.conf"
am --config "$T/good.conf" init --device-id DOC-1 --point KP-ALM-007 >/dev/null
expect_exit 0 am --config "$T/good.conf" doctor
assert_contains "$OUT" "2026-03-26 10:00 local time"
expect_exit 3 am --config "$T/bad.conf" doctor
assert_contains "$OUT" "2026-03-26 05:00 UTC"
case "$OUT" in *"local time"*) fail "a UTC time labelled local: $OUT" ;; esac
ok
expect_exit 3 am --config "$T/bad.conf" --json doctor
assert_eq "$(json_get '[c["detail"] for c in d["checks"] if c["check"] == "clock"][0]' < "$T/out")" "2026-03-26 05:00 UTC"
# a time zone the machine does not know: the configuration is named (not
# the calendar, which was never reached), the clock in UTC
printf 'point_id = KP-ALM-007\ntimezone = Mars/Olympus\n' > "$T/tz.conf"
expect_exit 3 am --config "$T/tz.conf" --json doctor
assert_eq "$(json_get '[c["check"] for c in d["checks"] if not c["ok"]]' < "$T/out")" "['config']"
assert_eq "$(json_get '[c["detail"] for c in d["checks"] if c["check"] == "clock"][0]' < "$T/out")" "2026-03-26 05:00 UTC"
# the configuration loaded and the calendar did not: the calendar is named,
# and the clock is local (the zone was read before the calendar)
expect_exit 3 "$AMANAT_BIN" --db "$DB" --calendar "$T/no-calendar.txt" --config "$T/good.conf" --json doctor
assert_eq "$(json_get '[c["check"] for c in d["checks"] if not c["ok"]][0]' < "$T/out")" "calendar"
assert_eq "$(json_get '[c["detail"] for c in d["checks"] if c["check"] == "clock"][0]' < "$T/out")" "2026-03-26 10:00 local time"
done_ok
