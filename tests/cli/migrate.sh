#!/bin/sh
# A database of an older schema is brought forward on start, after a backup
# copy of it is made; a database of a newer amanat is refused, untouched.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/schema1.sh"
expect_exit 0 am init --device-id MIG-1
expect_exit 0 am register import "$SAMPLES/register-inbound.json"
LATEST=$(sqlite3 "$DB" "PRAGMA user_version")
[ "$LATEST" -ge 2 ] || fail "schema $LATEST"
# make it look like schema 1 (what the first release wrote)
make_schema1 "$DB"
expect_exit 0 am --json status RR402118737KZ
[ -f "$DB.v1.bak" ] || fail "no backup before the migration"
assert_eq "$(sqlite3 "$DB.v1.bak" "PRAGMA user_version")" 1
assert_eq "$(sqlite3 "$DB" "PRAGMA user_version")" "$LATEST"
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM sqlite_master WHERE name = 'clock_register'")" 1
expect_exit 0 am verify
# a newer schema: refused with what to do, nothing changed
sqlite3 "$DB" "PRAGMA user_version = 99;"
expect_exit 3 am status RR402118737KZ
assert_contains "$ERR" "newer amanat"
assert_eq "$(sqlite3 "$DB" "PRAGMA user_version")" 99
done_ok
