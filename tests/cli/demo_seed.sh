#!/bin/sh
# `make demo`'s database (assets/demo/seed.sh), as a first-time user meets
# it: every role can log in, the registers are today's, so no deadline on the
# supervisor's screen is breached; the database and its folder are the
# user's alone, and no copy of the sample registers (IINs) is left beside it.
. "$(dirname "$0")/../support/testlib.sh"
cd "$AMANAT_TOP" || fail "no repo at $AMANAT_TOP"
mkdir -m 700 "$T/demo"
D="$T/demo/demo.db"
expect_exit 0 sh assets/demo/seed.sh "$AMANAT_BIN" "$D"
assert_contains "$OUT" "CLERK-1 / PIN 1111"
dm() { "$AMANAT_BIN" --db "$D" --config "$AMANAT_TOP/assets/demo/amanat.conf" "$@"; }
# the staff of every role
expect_exit 0 dm --json staff list
assert_eq "$(echo "$OUT" | json_get 'sorted(s["role"] for s in d)')" "['clerk', 'courier', 'sorting', 'supervisor']"
# deadlines run from today: open ones, none breached, none due before now
expect_exit 0 dm --json deadlines --all
assert_eq "$(echo "$OUT" | json_get 'len(d) > 0, [c["clock"] for c in d if c["breached"]], min(c["left_minutes"] for c in d) > 0')" \
	"(True, [], True)"
# (started today in Almaty, or yesterday where the register was formed an
# hour before midnight)
now=$(date +%s)
d1=$(date -u -d "@$((now + 4 * 3600))" +%Y-%m-%d) d2=$(date -u -d "@$((now + 5 * 3600))" +%Y-%m-%d)
assert_eq "$(echo "$OUT" | json_get "set(c['started'][:10] for c in d) <= {'$d1', '$d2'}")" True
# envelopes at several steps, so every screen has something to show
expect_exit 0 dm --json status RR402118768KZ
assert_eq "$(echo "$OUT" | json_get 'd["state"]')" accepted
expect_exit 0 dm --json status RR402118737KZ
assert_eq "$(echo "$OUT" | json_get 'd["state"]')" out_for_delivery
# nothing readable by others, no register copy left behind
assert_eq "$(stat -c %a "$D" | cut -c3)" 0
assert_eq "$(ls "$T/demo" | grep -c 'reg\.')" 0
done_ok
