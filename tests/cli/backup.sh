#!/bin/sh
# Copies of the database hold IINs and PIN hashes: a backup, the copy kept
# by restore and the copy made before a migration are readable only by
# their maker (0600) whatever the umask; migration copies are pruned to the
# two newest; a database made by restore is 0660 like one made by init.
. "$(dirname "$0")/../support/testlib.sh"
umask 000
expect_exit 0 am init --device-id BAK-1
assert_eq "$(stat -c %a "$DB")" 660
expect_exit 0 am register import "$SAMPLES/register-inbound.json"
expect_exit 0 am backup "$T/copy.db"
assert_eq "$(stat -c %a "$T/copy.db")" 600
: > "$T/old.db"; chmod 0666 "$T/old.db"                 # over an existing file too
expect_exit 0 am backup "$T/old.db"
assert_eq "$(stat -c %a "$T/old.db")" 600
expect_exit 0 am restore "$T/copy.db"
assert_eq "$(stat -c %a "$DB.before-restore")" 600
# restore onto a path with no database makes it as init does
expect_exit 0 "$AMANAT_BIN" --db "$T/new.db" --calendar "$CAL" restore "$T/copy.db"
assert_eq "$(stat -c %a "$T/new.db")" 660
# migration copies: 0600, the two newest kept
LATEST=$(sqlite3 "$DB" "PRAGMA user_version")
[ "$LATEST" -ge 3 ] || { echo "needs schema 3 or later to make three copies"; exit 77; }
: > "$DB.v0.bak"                                          # an old copy from long ago
sqlite3 "$DB" "DROP INDEX clock_register; PRAGMA user_version = 1;"
expect_exit 0 am status RR402118737KZ
assert_eq "$(stat -c %a "$DB.v1.bak")" 600
sqlite3 "$DB" "PRAGMA user_version = $((LATEST - 1));"
expect_exit 0 am status RR402118737KZ
[ -f "$DB.v$((LATEST - 1)).bak" ] || fail "no copy before the second migration"
[ -f "$DB.v1.bak" ] || fail "the second newest copy was pruned"
[ ! -e "$DB.v0.bak" ] || fail "the oldest copy was kept: $(ls "$T")"
assert_eq "$(ls "$T" | grep -c '\.bak$')" 2
done_ok
