# schema1.sh - make_schema1 DB: make a current database look like what the
# first release wrote (schema 1), for tests of the migrations that bring it
# forward.  Each later migration that cannot replay over its own result is
# undone: 2 the register index, 3 breaches and force majeure, the counts and
# the chain's end in log_head (their views first), clock.basis_ms,
# envelope.last_seq (schema 25); the others
# replay as they are.
make_schema1() {
	sqlite3 "$1" "DROP VIEW envelope_count; DROP VIEW shift_work;
  DROP TRIGGER envelope_count_insert; DROP TRIGGER IF EXISTS envelope_count_update; DROP TRIGGER envelope_count_delete;
  CREATE TABLE envelope_count (state TEXT PRIMARY KEY, n INTEGER NOT NULL) STRICT, WITHOUT ROWID;
  CREATE TABLE shift_work (shift INTEGER NOT NULL, actor TEXT NOT NULL, total INTEGER NOT NULL,
    accepted INTEGER NOT NULL, handed INTEGER NOT NULL, placed INTEGER NOT NULL, returned INTEGER NOT NULL,
    PRIMARY KEY (shift, actor)) STRICT, WITHOUT ROWID;
  INSERT INTO meta(key, value) SELECT 'chain_head', hash FROM log_head WHERE kind = 0;
  DROP TABLE log_head;
  DROP INDEX clock_register;
  DROP INDEX IF EXISTS clock_unmissed; DROP INDEX clock_breached;
  ALTER TABLE envelope DROP COLUMN last_seq;
  ALTER TABLE clock DROP COLUMN missed_ms; ALTER TABLE clock DROP COLUMN base_due_ms; ALTER TABLE clock DROP COLUMN basis_ms;
  ALTER TABLE force_majeure DROP COLUMN notice_due_ms; ALTER TABLE force_majeure DROP COLUMN notice_late;
  ALTER TABLE force_majeure DROP COLUMN notified_ms; ALTER TABLE force_majeure DROP COLUMN notified_to;
  ALTER TABLE force_majeure DROP COLUMN recorded_by; ALTER TABLE force_majeure DROP COLUMN doc_body;
  ALTER TABLE force_majeure DROP COLUMN doc_number; ALTER TABLE force_majeure DROP COLUMN doc_date;
  PRAGMA user_version = 1;"
}
