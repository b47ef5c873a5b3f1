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
# migration copies: 0600, the two newest kept (two older ones lie there)
: > "$DB.v-1.bak"; : > "$DB.v0.bak"; : > "$T/other.db.v0.bak"
# make it look like schema 1 again (as tests/cli/migrate.sh does)
sqlite3 "$DB" "DROP VIEW envelope_count; DROP VIEW shift_work;
  DROP TRIGGER envelope_count_insert; DROP TRIGGER envelope_count_update; DROP TRIGGER envelope_count_delete;
  CREATE TABLE envelope_count (state TEXT PRIMARY KEY, n INTEGER NOT NULL) STRICT, WITHOUT ROWID;
  CREATE TABLE shift_work (shift INTEGER NOT NULL, actor TEXT NOT NULL, total INTEGER NOT NULL,
    accepted INTEGER NOT NULL, handed INTEGER NOT NULL, placed INTEGER NOT NULL, returned INTEGER NOT NULL,
    PRIMARY KEY (shift, actor)) STRICT, WITHOUT ROWID;
  INSERT INTO meta(key, value) SELECT 'chain_head', hash FROM log_head WHERE kind = 0;
  DROP TABLE log_head;
  DROP INDEX clock_register;
  DROP INDEX IF EXISTS clock_unmissed; DROP INDEX clock_breached;
  ALTER TABLE clock DROP COLUMN missed_ms; ALTER TABLE clock DROP COLUMN base_due_ms; ALTER TABLE clock DROP COLUMN basis_ms;
  ALTER TABLE force_majeure DROP COLUMN notice_due_ms; ALTER TABLE force_majeure DROP COLUMN notice_late;
  ALTER TABLE force_majeure DROP COLUMN notified_ms; ALTER TABLE force_majeure DROP COLUMN notified_to;
  ALTER TABLE force_majeure DROP COLUMN recorded_by; ALTER TABLE force_majeure DROP COLUMN doc_body;
  ALTER TABLE force_majeure DROP COLUMN doc_number; ALTER TABLE force_majeure DROP COLUMN doc_date;
  PRAGMA user_version = 1;" || fail "cannot make the database look old"
expect_exit 0 am status RR402118737KZ
assert_eq "$(stat -c %a "$DB.v1.bak")" 600
[ -f "$DB.v0.bak" ] || fail "the second newest copy was pruned"
[ ! -e "$DB.v-1.bak" ] || fail "the oldest copy was kept"
[ -f "$T/other.db.v0.bak" ] || fail "another database's copy was pruned"
assert_eq "$(ls "$T" | grep -c '^amanat\.db\.v.*\.bak$')" 2
done_ok
