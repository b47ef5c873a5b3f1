#!/bin/sh
# amanat doctor checks the desk's folders the config names: report_dir,
# where closing the shift (F8) writes its report first, so that a folder
# that cannot be written stops the close; and register.inbox, the folder
# the Registers screen's F2 reads.  Neither was checked: doctor said all
# was well and the supervisor found out at the end of the shift.
. "$(dirname "$0")/../support/testlib.sh"
am init --device-id D1 --point KP-ALM-007 >/dev/null
printf 'report_dir = %s/no/such/folder\nregister.inbox = %s/stick\n' "$T" "$T" > "$T/bad.conf"
expect_exit 3 am --config "$T/bad.conf" doctor
assert_contains "$OUT" "✗ reports"
assert_contains "$OUT" "$T/no/such/folder"
assert_contains "$OUT" "✗ inbox"
assert_contains "$OUT" "$T/stick"
am --json --config "$T/bad.conf" doctor > "$T/d.json" 2>/dev/null
assert_eq "$(json_get '[c["ok"] for c in d["checks"] if c["check"] in ("reports", "inbox")]' < "$T/d.json")" "[False, False]"
# made: both fine (the report folder is made by the report itself when its
# parent can be written)
mkdir "$T/stick"
printf 'report_dir = %s/reports\nregister.inbox = %s/stick\n' "$T" "$T" > "$T/good.conf"
am --config "$T/good.conf" doctor > "$T/out" 2>&1
grep -q "✓ reports" "$T/out" || fail "reports: $(cat "$T/out")"
grep -q "✓ inbox" "$T/out" || fail "inbox: $(cat "$T/out")"
ok
# not configured: no line for them, as before
am doctor > "$T/out" 2>&1
grep -q "reports\|inbox" "$T/out" && fail "checked what is not configured: $(cat "$T/out")"
ok
done_ok
