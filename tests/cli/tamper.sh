#!/bin/sh
# The hash chain detects a changed, deleted or appended-behind-its-back event.
. "$(dirname "$0")/../support/testlib.sh"
expect_exit 0 am init --device-id T1
expect_exit 0 am register import "$SAMPLES/register-inbound.json"
expect_exit 0 am accept R-2026-000123 RR402118737KZ RR402118745KZ
expect_exit 0 am verify
cp "$DB" "$T/orig.db"
# an event changed (the triggers are dropped first, as an attacker would)
sqlite3 "$DB" "DROP TRIGGER event_no_update; UPDATE event SET actor='mallory' WHERE seq=3;"
expect_exit 1 am verify
assert_contains "$ERR" "chain broken"
# an event deleted from the middle
cp "$T/orig.db" "$DB"
sqlite3 "$DB" "DROP TRIGGER event_no_delete; DELETE FROM event WHERE seq=2;"
expect_exit 1 am verify
assert_contains "$ERR" "missing"
# the newest event deleted
cp "$T/orig.db" "$DB"
sqlite3 "$DB" "DROP TRIGGER event_no_delete; DELETE FROM event WHERE seq=(SELECT max(seq) FROM event);"
expect_exit 1 am verify
assert_contains "$ERR" "newest"
# with the triggers in place the log cannot be changed at all
cp "$T/orig.db" "$DB"
sqlite3 "$DB" "UPDATE event SET actor='x' WHERE seq=1;" 2>/dev/null && fail "update allowed"
sqlite3 "$DB" "DELETE FROM event;" 2>/dev/null && fail "delete allowed"
# acknowledging (sync columns) does not break the chain
sqlite3 "$DB" "UPDATE event SET sync=1 WHERE seq=1;"
expect_exit 0 am verify
done_ok
