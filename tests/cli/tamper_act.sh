#!/bin/sh
# An act says what it said when it was drawn: its act_drawn event carries the
# SHA-256 of the act's body, and verify (full and --quick) refuses an act row
# whose body, kind or very presence is not what the log vouches for: a
# discrepancy act with a missing envelope struck out, a loss act made a
# discrepancy, an act deleted.
. "$(dirname "$0")/../support/testlib.sh"
W1=RR402118737KZ W2=RR402118745KZ W3=RR402118754KZ W4=RR402118768KZ W5=RR402118771KZ
expect_exit 0 am init --device-id DESK-1
expect_exit 0 am register import "$SAMPLES/register-inbound.json"
expect_exit 0 am accept R-2026-000123 $W1 RR777000125KZ $W2 $W3 $W4
expect_exit 0 am --json accept R-2026-000123 --finish --damaged $W4
ACT=$(echo "$OUT" | json_get 'd["act"]')
assert_contains "$ACT" "ACT-DESK-1-"
expect_exit 0 am --json lost $W3 --reason "fell out of the bag on route 4"
LACT=$(echo "$OUT" | json_get 'd["act"]')
# the event vouches for the body as stored
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM event WHERE type = 'act_drawn' AND length(payload ->> 'body_sha256') = 64")" 2
assert_eq "$(sqlite3 "$DB" "SELECT payload ->> 'body_sha256' FROM event WHERE type = 'act_drawn' AND payload ->> 'act' = '$ACT'")" \
	"$(sqlite3 "$DB" "SELECT body FROM act WHERE id = '$ACT'" | tr -d '\n' | sha256sum | cut -d' ' -f1)"
expect_exit 0 am verify
assert_contains "$OUT" "intact"
cp "$DB" "$T/orig.db"
tamper() {  # tamper SQL ACT: verify names the act table and the act
	cp "$T/orig.db" "$DB"; rm -f "$DB-wal" "$DB-shm"
	sqlite3 "$DB" "$1" || fail "sqlite3: $1"
	expect_exit 1 am verify
	assert_contains "$ERR" "derived table act"
	assert_contains "$ERR" "$2 is not the act that event"
	expect_exit 1 am --json verify
	assert_eq "$(echo "$OUT" | json_get 'd["ok"]')" False
}
tamper "UPDATE act SET body = replace(body, '\"$W5\"', '') WHERE id = '$ACT'" "$ACT"
tamper "UPDATE act SET body = replace(body, '\"missing\":[\"$W5\"]', '\"missing\":[]') WHERE id = '$ACT'" "$ACT"
tamper "UPDATE act SET kind = 'discrepancy' WHERE id = '$LACT'" "$LACT"
tamper "DELETE FROM act WHERE id = '$LACT'" "$LACT"
# untouched, it passes; the quick check looks at the acts after its anchor
cp "$T/orig.db" "$DB"; rm -f "$DB-wal" "$DB-shm"
expect_exit 0 am verify
expect_exit 0 am --json lost $W5 --side state-corp --reason "not in the bag"
L2=$(echo "$OUT" | json_get 'd["act"]')
cp "$DB" "$T/later.db"
expect_exit 0 am verify --quick
cp "$T/later.db" "$DB"; rm -f "$DB-wal" "$DB-shm"
sqlite3 "$DB" "UPDATE act SET body = '{}' WHERE id = '$L2'"
expect_exit 1 am verify --quick
assert_contains "$ERR" "$L2 is not the act that event"
done_ok
