#!/bin/sh
# Copies of the database hold IINs and PIN hashes: a backup, the copy kept
# by restore and the copy made before a migration are readable only by
# their maker (0600) whatever the umask; migration copies are pruned to the
# two newest; a database made by restore is 0660 like one made by init.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/schema1.sh"
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
# migration copies: 0600, the two newest kept (two older ones lie there)
: > "$DB.v-1.bak"; : > "$DB.v0.bak"; : > "$T/other.db.v0.bak"
# make it look like schema 1 again (as tests/cli/migrate.sh does)
make_schema1 "$DB" || fail "cannot make the database look old"
expect_exit 0 am status RR402118737KZ
assert_eq "$(stat -c %a "$DB.v1.bak")" 600
[ -f "$DB.v0.bak" ] || fail "the second newest copy was pruned"
[ ! -e "$DB.v-1.bak" ] || fail "the oldest copy was kept"
[ -f "$T/other.db.v0.bak" ] || fail "another database's copy was pruned"
assert_eq "$(ls "$T" | grep -c '^amanat\.db\.v.*\.bak$')" 2
done_ok
