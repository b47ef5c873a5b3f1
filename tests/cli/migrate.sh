#!/bin/sh
# A database of an older schema is brought forward on start, after a backup
# copy of it is made; a database of a newer amanat is refused, untouched.
. "$(dirname "$0")/../support/testlib.sh"
expect_exit 0 am init --device-id MIG-1
expect_exit 0 am register import "$SAMPLES/register-inbound.json"
LATEST=$(sqlite3 "$DB" "PRAGMA user_version")
[ "$LATEST" -ge 2 ] || fail "schema $LATEST"
# make it look like schema 1 (what the first release wrote)
# (undo each later migration: 2 the register index, 3 breaches and force majeure,
# 19 the counts and the chain's end in log_head: the others replay as they are)
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
  PRAGMA user_version = 1;"
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
