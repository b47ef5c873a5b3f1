#!/bin/sh
# The README's "Walk one envelope through its life" run exactly as written
# (issue 2: "a newcomer can follow the README to import the sample register
# and walk one envelope from registered to handed_back"), only the binary and
# the database path put in; at a fixed clock inside the pilot, so the walk does
# not depend on the day the test runs.
. "$(dirname "$0")/../support/testlib.sh"
cd "$AMANAT_TOP"
sed -n '/^## Walk one envelope/,/^```$/p' README.md | sed '1,/^```sh$/d; /^```$/d' > "$T/walk.sh"
[ "$(wc -l < "$T/walk.sh")" -ge 10 ] || fail "no walk found in README.md: $(cat "$T/walk.sh")"
grep -q '^A="build/release/amanat --db /tmp/point.db"$' "$T/walk.sh" || fail "the walk's first line changed: update this test"
sed -i "1s|.*|A=\"$AMANAT_BIN --db $T/point.db\"|" "$T/walk.sh"
printf 'set -e\n' | cat - "$T/walk.sh" > "$T/walk-e.sh"
AMANAT_NOW="2026-03-20 09:00" AMANAT_DATADIR="$AMANAT_TOP/assets" sh "$T/walk-e.sh" > "$T/walk.out" 2>&1 \
	|| fail "the README walk stops: $(tail -5 "$T/walk.out")"
ok
expect_exit 0 "$AMANAT_BIN" --db "$T/point.db" --json status RR402118737KZ
assert_eq "$(echo "$OUT" | json_get 'd["state"]')" handed_back
assert_contains "$(cat "$T/walk.out")" "event chain intact"
done_ok
