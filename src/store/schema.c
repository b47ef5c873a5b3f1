/*
 * schema.c - the database schema as an ordered list of migrations.
 *
 * PRAGMA user_version is the number of migrations applied.  A migration is
 * appended, never edited once it has shipped: a terminal in the field may
 * hold any earlier version, and store_open brings it forward (after a backup
 * copy) in one transaction per step.
 */
#include "store_internal.h"

/* An envelope's fields after its waybill, as the first schema made them
 * (1) and as schema 26 copied them under their explicit id. */
#define ENVELOPE_FIELDS \
	"  state TEXT NOT NULL," \
	"  register_id TEXT NOT NULL," \
	"  application TEXT NOT NULL DEFAULT ''," \
	"  postomat TEXT NOT NULL DEFAULT ''," \
	"  city TEXT NOT NULL DEFAULT ''," \
	"  iin TEXT NOT NULL DEFAULT ''," \
	"  cell TEXT NOT NULL DEFAULT ''," \
	"  reserved_cell TEXT NOT NULL DEFAULT ''," \
	"  courier TEXT NOT NULL DEFAULT ''," \
	"  delayed_until TEXT NOT NULL DEFAULT ''," \
	"  damaged INTEGER NOT NULL DEFAULT 0,"

static const char *const migrations[] = {
	/* 1: the first schema */
	"CREATE TABLE meta ("
	"  key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;"

	/* The append-only event log: the truth.  seq is the per-device
	 * sequence; prev_hash is the SHA-256 (hex) of the previous event's
	 * record, so a changed or deleted row breaks the chain. */
	"CREATE TABLE event ("
	"  seq INTEGER PRIMARY KEY,"
	"  uuid TEXT NOT NULL UNIQUE,"
	"  device TEXT NOT NULL,"
	"  type TEXT NOT NULL,"
	"  waybill TEXT NOT NULL DEFAULT '',"
	"  register_id TEXT NOT NULL DEFAULT '',"
	"  actor TEXT NOT NULL,"
	"  at_ms INTEGER NOT NULL,"
	"  place TEXT NOT NULL DEFAULT '',"
	"  payload TEXT NOT NULL DEFAULT '{}',"
	"  prev_hash TEXT NOT NULL,"
	"  sync INTEGER NOT NULL DEFAULT 0,"		/* 0 pending, 1 acked, 2 dead */
	"  sync_reason TEXT NOT NULL DEFAULT '',"
	"  sync_at INTEGER NOT NULL DEFAULT 0) STRICT;"
	"CREATE INDEX event_waybill ON event(waybill) WHERE waybill <> '';"
	"CREATE INDEX event_pending ON event(seq) WHERE sync = 0;"
	"CREATE TRIGGER event_no_update BEFORE UPDATE OF seq, uuid, device, type,"
	"  waybill, register_id, actor, at_ms, place, payload, prev_hash ON event"
	"  BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;"
	"CREATE TRIGGER event_no_delete BEFORE DELETE ON event"
	"  BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;"

	/* Derived state: one row per envelope, updated with each event. */
	"CREATE TABLE envelope ("
	"  waybill TEXT PRIMARY KEY,"
	ENVELOPE_FIELDS
	"  updated_at INTEGER NOT NULL) STRICT;"
	"CREATE INDEX envelope_state ON envelope(state);"

	"CREATE TABLE register ("
	"  id TEXT PRIMARY KEY,"
	"  kind TEXT NOT NULL,"
	"  sender TEXT NOT NULL,"
	"  receiver TEXT NOT NULL,"
	"  formed_at INTEGER NOT NULL,"
	"  imported_at INTEGER NOT NULL,"
	"  finished_at INTEGER NOT NULL DEFAULT 0,"
	"  act TEXT NOT NULL DEFAULT '') STRICT;"
	"CREATE TABLE register_line ("
	"  register_id TEXT NOT NULL REFERENCES register(id),"
	"  line INTEGER NOT NULL,"
	"  waybill TEXT NOT NULL,"
	"  application TEXT NOT NULL DEFAULT '',"
	"  postomat TEXT NOT NULL DEFAULT '',"
	"  city TEXT NOT NULL DEFAULT '',"
	"  iin TEXT NOT NULL DEFAULT '',"
	"  PRIMARY KEY (register_id, waybill)) STRICT;"
	/* Scans against a register: result is matched, unexpected or damaged
	 * (duplicates and invalid codes change nothing and are not kept). */
	"CREATE TABLE register_scan ("
	"  register_id TEXT NOT NULL REFERENCES register(id),"
	"  code TEXT NOT NULL,"
	"  result TEXT NOT NULL,"
	"  at_ms INTEGER NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  PRIMARY KEY (register_id, code)) STRICT;"

	/* Open and closed clocks of the pilot (deadline.h). */
	"CREATE TABLE clock ("
	"  id INTEGER PRIMARY KEY,"
	"  clock TEXT NOT NULL,"
	"  waybill TEXT NOT NULL DEFAULT '',"
	"  register_id TEXT NOT NULL DEFAULT '',"
	"  started_ms INTEGER NOT NULL,"
	"  due_ms INTEGER NOT NULL,"
	"  closed_ms INTEGER NOT NULL DEFAULT 0) STRICT;"
	"CREATE INDEX clock_open ON clock(due_ms) WHERE closed_ms = 0;"
	"CREATE INDEX clock_waybill ON clock(waybill, clock);"
	"CREATE TABLE force_majeure ("
	"  id TEXT PRIMARY KEY,"
	"  from_ms INTEGER NOT NULL,"
	"  to_ms INTEGER NOT NULL,"
	"  reason TEXT NOT NULL,"
	"  created_ms INTEGER NOT NULL) STRICT;"

	"CREATE TABLE act ("
	"  id TEXT PRIMARY KEY,"
	"  kind TEXT NOT NULL,"			/* discrepancy, loss */
	"  register_id TEXT NOT NULL DEFAULT '',"
	"  waybill TEXT NOT NULL DEFAULT '',"
	"  reason TEXT NOT NULL DEFAULT '',"
	"  copies INTEGER NOT NULL DEFAULT 1,"
	"  created_ms INTEGER NOT NULL,"
	"  body TEXT NOT NULL DEFAULT '{}') STRICT;"

	"CREATE TABLE postomat ("
	"  id TEXT PRIMARY KEY,"
	"  city TEXT NOT NULL DEFAULT '',"
	"  address TEXT NOT NULL DEFAULT '') STRICT;"
	"CREATE TABLE cell ("
	"  postomat TEXT NOT NULL,"
	"  id TEXT NOT NULL,"
	"  size TEXT NOT NULL DEFAULT '',"
	"  status TEXT NOT NULL DEFAULT 'free',"	/* free reserved occupied broken */
	"  waybill TEXT NOT NULL DEFAULT '',"
	"  PRIMARY KEY (postomat, id)) STRICT;"

	"CREATE TABLE staff ("
	"  badge TEXT PRIMARY KEY,"
	"  name TEXT NOT NULL,"
	"  role TEXT NOT NULL,"			/* clerk courier supervisor sorting */
	"  pin_hash TEXT NOT NULL,"		/* crypt(3) yescrypt */
	"  active INTEGER NOT NULL DEFAULT 1) STRICT;"
	"CREATE TABLE shift ("
	"  id INTEGER PRIMARY KEY,"
	"  badge TEXT NOT NULL,"
	"  opened_ms INTEGER NOT NULL,"
	"  closed_ms INTEGER NOT NULL DEFAULT 0) STRICT;",

	/* 2: deadlines of a register are looked up by register on every scan */
	"CREATE INDEX clock_register ON clock(register_id) WHERE register_id <> '';",

	/* 3: the point's shift (shift.h): one row per closed shift; clocks closed
	 * after their due time stay on the shift screen as breaches */
	"CREATE TABLE IF NOT EXISTS point_shift ("
	"  number INTEGER PRIMARY KEY,"
	"  opened_ms INTEGER NOT NULL,"
	"  closed_ms INTEGER NOT NULL,"
	"  closed_by TEXT NOT NULL,"
	"  report TEXT NOT NULL DEFAULT '') STRICT;"
	"CREATE INDEX IF NOT EXISTS clock_late ON clock(closed_ms) WHERE closed_ms > due_ms;",

	/* 4: what the point hub's feed brought (other terminals, upstream): kept
	 * apart from this terminal's own hash-chained log; applied marks
	 * whether the life cycle let it change the envelope, note says why not.
	 * IF NOT EXISTS: tests/cli/migrate.sh replays later steps on a copy. */
	"CREATE TABLE IF NOT EXISTS feed_item ("
	"  uuid TEXT PRIMARY KEY,"
	"  cursor INTEGER NOT NULL,"
	"  device TEXT NOT NULL,"
	"  type TEXT NOT NULL,"
	"  waybill TEXT NOT NULL DEFAULT '',"
	"  actor TEXT NOT NULL DEFAULT '',"
	"  at_ms INTEGER NOT NULL,"
	"  applied INTEGER NOT NULL,"
	"  note TEXT NOT NULL DEFAULT '',"
	"  body TEXT NOT NULL,"
	"  received_ms INTEGER NOT NULL) STRICT;"
	"CREATE INDEX IF NOT EXISTS feed_item_waybill ON feed_item(waybill) WHERE waybill <> '';",

	/* 5: breaches are facts (missed_ms: when deadline_missed was written);
	 * a clock's due time without force majeure (base_due_ms) so that force
	 * majeure can be applied again when one is recorded or ended; the §38
	 * facts of a force majeure (notice, document, who recorded it). */
	"ALTER TABLE clock ADD COLUMN missed_ms INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE clock ADD COLUMN base_due_ms INTEGER NOT NULL DEFAULT 0;"
	"UPDATE clock SET base_due_ms = due_ms;"
	"UPDATE clock SET missed_ms = closed_ms WHERE closed_ms > due_ms;"
	"CREATE INDEX clock_unmissed ON clock(due_ms) WHERE closed_ms = 0 AND missed_ms = 0;"
	"CREATE INDEX clock_breached ON clock(due_ms) WHERE missed_ms <> 0;"
	"ALTER TABLE force_majeure ADD COLUMN notice_due_ms INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE force_majeure ADD COLUMN notice_late INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE force_majeure ADD COLUMN notified_ms INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE force_majeure ADD COLUMN notified_to TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE force_majeure ADD COLUMN recorded_by TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE force_majeure ADD COLUMN doc_body TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE force_majeure ADD COLUMN doc_number TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE force_majeure ADD COLUMN doc_date TEXT NOT NULL DEFAULT '';",

	/* 6: an event's upload state only moves forward: pending -> acked or
	 * dead, and dead -> pending only through a resend that is itself on
	 * record (the newest event is the outbox_resent naming it).  An acked
	 * event is final. */
	"CREATE TRIGGER IF NOT EXISTS event_sync_forward BEFORE UPDATE OF sync ON event"
	"  WHEN NEW.sync <> OLD.sync AND NOT (OLD.sync = 0 AND NEW.sync IN (1, 2))"
	"   AND NOT (OLD.sync = 2 AND NEW.sync = 0 AND EXISTS (SELECT 1 FROM"
	"    (SELECT type, payload FROM event ORDER BY seq DESC LIMIT 1) AS newest"
	"    WHERE newest.type = 'outbox_resent' AND (json_extract(newest.payload, '$.all')"
	"     OR json_extract(newest.payload, '$.uuid') = NEW.uuid)))"
	"  BEGIN SELECT RAISE(ABORT, 'an event''s upload state only moves from pending to acknowledged or dead'); END;"
	"CREATE TRIGGER IF NOT EXISTS event_sync_final BEFORE UPDATE OF sync, sync_reason, sync_at ON event"
	"  WHEN OLD.sync = 1 AND (NEW.sync <> 1 OR NEW.sync_reason <> OLD.sync_reason OR NEW.sync_at <> OLD.sync_at)"
	"  BEGIN SELECT RAISE(ABORT, 'an acknowledged event is final'); END;",

	/* 7: five wrong PINs in a row lock a badge for five minutes (staff.h) */
	"CREATE TABLE IF NOT EXISTS staff_lock ("
	"  badge TEXT PRIMARY KEY,"
	"  pin_failures INTEGER NOT NULL DEFAULT 0,"
	"  locked_until INTEGER NOT NULL DEFAULT 0) STRICT;",

	/* 8: a year of history on every screen without reading it all.  Events
	 * by time (a shift's work); rejected ones (the upload backlog); the
	 * number of envelopes in each state, kept by triggers whatever changes
	 * the envelope table; a finished register's counts frozen in register_count.
	 * Every step may meet what it makes (tests/cli/migrate.sh replays it). */
	"CREATE INDEX IF NOT EXISTS event_at ON event(at_ms);"
	"CREATE INDEX IF NOT EXISTS event_dead ON event(seq) WHERE sync = 2;"
	"CREATE TABLE IF NOT EXISTS envelope_count ("
	"  state TEXT PRIMARY KEY,"
	"  n INTEGER NOT NULL) STRICT, WITHOUT ROWID;"
	"DELETE FROM envelope_count;"
	"INSERT INTO envelope_count SELECT state, count(*) FROM envelope GROUP BY state;"
	"CREATE TRIGGER IF NOT EXISTS envelope_count_insert AFTER INSERT ON envelope BEGIN"
	"  INSERT INTO envelope_count(state, n) VALUES (new.state, 1)"
	"   ON CONFLICT(state) DO UPDATE SET n = n + 1; END;"
	"CREATE TRIGGER IF NOT EXISTS envelope_count_update AFTER UPDATE OF state ON envelope"
	"  WHEN old.state IS NOT new.state BEGIN"
	"  UPDATE envelope_count SET n = n - 1 WHERE state = old.state;"
	"  INSERT INTO envelope_count(state, n) VALUES (new.state, 1)"
	"   ON CONFLICT(state) DO UPDATE SET n = n + 1; END;"
	"CREATE TRIGGER IF NOT EXISTS envelope_count_delete AFTER DELETE ON envelope BEGIN"
	"  UPDATE envelope_count SET n = n - 1 WHERE state = old.state; END;"
	"CREATE TABLE IF NOT EXISTS register_count ("
	"  register_id TEXT PRIMARY KEY,"
	"  n_lines INTEGER NOT NULL,"
	"  n_scanned INTEGER NOT NULL,"
	"  n_unexpected INTEGER NOT NULL) STRICT, WITHOUT ROWID;"
	"INSERT OR REPLACE INTO register_count SELECT r.id,"
	"  (SELECT count(*) FROM register_line l WHERE l.register_id = r.id),"
	"  (SELECT count(*) FROM register_scan c WHERE c.register_id = r.id AND c.result <> 'unexpected'),"
	"  (SELECT count(*) FROM register_scan c WHERE c.register_id = r.id AND c.result = 'unexpected')"
	"  FROM register r WHERE r.finished_at <> 0;",

	/* 9: every acceptance opens a clock, and each index of the clock table
	 * is one more page written by that scan's commit.  clock_unmissed held
	 * a subset of clock_open (open clocks by due time); the sweep reads
	 * clock_open and skips the few open clocks already written down as
	 * missed. */
	"DROP INDEX IF EXISTS clock_unmissed;",

	/* 10: the sorting sector (sorting.h): the applications list from ХҚКО ИАЖ
	 * (orders.h) and the envelopes scanned for the register being formed */
	"CREATE TABLE IF NOT EXISTS sort_order ("
	"  application TEXT PRIMARY KEY,"
	"  waybill TEXT NOT NULL UNIQUE,"
	"  postomat TEXT NOT NULL,"
	"  city TEXT NOT NULL,"
	"  point TEXT NOT NULL,"
	"  iin TEXT NOT NULL DEFAULT '',"
	"  source TEXT NOT NULL,"
	"  loaded_at INTEGER NOT NULL) STRICT;"
	"CREATE TABLE IF NOT EXISTS sort_draft ("
	"  waybill TEXT PRIMARY KEY,"
	"  actor TEXT NOT NULL,"
	"  at_ms INTEGER NOT NULL) STRICT;",

	/* 11: each person's work in each of the point's shifts (shift.h), kept by
	 * a trigger on the log's insert, so the shift screen and `report shift`
	 * read a few rows instead of every event since the last close (a point
	 * that never closes its shift has a year of them).  shift is the number
	 * of closed shifts + 1 when the event was written; verify checks the
	 * table against a replay of the log (a shift_closed event with a
	 * "shift" in its payload ends one).  The counts already in the log are
	 * made once here. */
	"CREATE TABLE IF NOT EXISTS shift_work ("
	"  shift INTEGER NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  total INTEGER NOT NULL,"
	"  accepted INTEGER NOT NULL,"
	"  handed INTEGER NOT NULL,"
	"  placed INTEGER NOT NULL,"
	"  returned INTEGER NOT NULL,"
	"  PRIMARY KEY (shift, actor)) STRICT, WITHOUT ROWID;"
	"DELETE FROM shift_work;"
	"INSERT INTO shift_work SELECT shift, actor, count(*),"
	"  sum(type IN ('accepted', 'scan_unexpected', 'damaged')), sum(type = 'out_for_delivery'),"
	"  sum(type IN ('placed', 'cell_changed', 'delayed')),"
	"  sum(type IN ('expired_removed', 'returned_to_point', 'handed_back'))"
	"  FROM (SELECT actor, type, waybill, 1 + sum(type = 'shift_closed'"
	"   AND json_extract(payload, '$.shift') IS NOT NULL) OVER (ORDER BY seq) AS shift FROM event)"
	"  WHERE waybill <> '' AND type NOT IN ('registered', 'printed', 'note', 'deadline_missed',"
	"   'deadline_closed_late') GROUP BY shift, actor;"
	"CREATE TRIGGER IF NOT EXISTS shift_work_count AFTER INSERT ON event"
	"  WHEN new.waybill <> '' AND new.type NOT IN ('registered', 'printed', 'note', 'deadline_missed',"
	"   'deadline_closed_late') BEGIN"
	"  INSERT INTO shift_work VALUES ((SELECT coalesce(max(number), 0) + 1 FROM point_shift), new.actor, 1,"
	"   new.type IN ('accepted', 'scan_unexpected', 'damaged'), new.type = 'out_for_delivery',"
	"   new.type IN ('placed', 'cell_changed', 'delayed'),"
	"   new.type IN ('expired_removed', 'returned_to_point', 'handed_back'))"
	"  ON CONFLICT(shift, actor) DO UPDATE SET total = total + 1, accepted = accepted + excluded.accepted,"
	"   handed = handed + excluded.handed, placed = placed + excluded.placed,"
	"   returned = returned + excluded.returned; END;"
	/* the shift's late deadlines counted and paged from the index alone */
	"CREATE INDEX IF NOT EXISTS clock_late_due ON clock(closed_ms, due_ms) WHERE closed_ms > due_ms;"
	"DROP INDEX IF EXISTS clock_late;",

	/* 12: a scan against a register wrote two pages for its tally row: the
	 * row (by rowid) and its key (register_id, code).  Keyed by that key
	 * alone (WITHOUT ROWID) it is one.  seq is the log's event of the scan
	 * (the order of a register's recent scans within one millisecond);
	 * rows from before count in the order of their times. */
	"CREATE TABLE IF NOT EXISTS register_scan_v12 ("
	"  register_id TEXT NOT NULL REFERENCES register(id),"
	"  code TEXT NOT NULL,"
	"  result TEXT NOT NULL,"
	"  at_ms INTEGER NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  seq INTEGER NOT NULL DEFAULT 0,"
	"  PRIMARY KEY (register_id, code)) STRICT, WITHOUT ROWID;"
	"INSERT OR IGNORE INTO register_scan_v12 SELECT register_id, code, result, at_ms, actor,"
	"  row_number() OVER (ORDER BY at_ms) FROM register_scan;"
	"DROP TABLE register_scan;"
	"ALTER TABLE register_scan_v12 RENAME TO register_scan;"
	/* The same count of each person's work as schema 11's trigger, its
	 * lists of types spelled as comparisons: SQLite makes a temporary
	 * table for every IN list of more than two values each time the
	 * trigger runs (a third of a scan's CPU). */
	"DROP TRIGGER IF EXISTS shift_work_count;"
	"CREATE TRIGGER shift_work_count AFTER INSERT ON event"
	"  WHEN new.waybill <> '' AND NOT (new.type = 'registered' OR new.type = 'printed' OR new.type = 'note'"
	"   OR new.type = 'deadline_missed' OR new.type = 'deadline_closed_late') BEGIN"
	"  INSERT INTO shift_work VALUES ((SELECT coalesce(max(number), 0) + 1 FROM point_shift), new.actor, 1,"
	"   new.type = 'accepted' OR new.type = 'scan_unexpected' OR new.type = 'damaged',"
	"   new.type = 'out_for_delivery',"
	"   new.type = 'placed' OR new.type = 'cell_changed' OR new.type = 'delayed',"
	"   new.type = 'expired_removed' OR new.type = 'returned_to_point' OR new.type = 'handed_back')"
	"  ON CONFLICT(shift, actor) DO UPDATE SET total = total + 1, accepted = accepted + excluded.accepted,"
	"   handed = handed + excluded.handed, placed = placed + excluded.placed,"
	"   returned = returned + excluded.returned; END;",

	/* 13: an event wrote five pages besides its own: the random uuid's
	 * unique index and the outbox's (sync = 0) among them.  An event's
	 * uuid is now derived from its record and ends with its seq (event.c:
	 * version 8, unique by construction; after a restore the same seq gets
	 * another uuid, as its time differs), so it needs no index; the older
	 * random ones (version 4) keep theirs, partial.  The outbox is the
	 * events from meta.outbox_from on (every event below it is acknowledged
	 * or dead) with sync = 0: no index written per event.  The table is
	 * rebuilt to lose the UNIQUE of its uuid column; its indexes and
	 * triggers are made again as they were. */
	"INSERT INTO meta(key, value) VALUES ('outbox_from', CAST((SELECT coalesce((SELECT min(seq) FROM event"
	"  WHERE sync = 0), (SELECT coalesce(max(seq), 0) + 1 FROM event))) AS TEXT))"
	"  ON CONFLICT(key) DO UPDATE SET value = excluded.value;"
	"CREATE TABLE IF NOT EXISTS event_v13 ("
	"  seq INTEGER PRIMARY KEY,"
	"  uuid TEXT NOT NULL,"
	"  device TEXT NOT NULL,"
	"  type TEXT NOT NULL,"
	"  waybill TEXT NOT NULL DEFAULT '',"
	"  register_id TEXT NOT NULL DEFAULT '',"
	"  actor TEXT NOT NULL,"
	"  at_ms INTEGER NOT NULL,"
	"  place TEXT NOT NULL DEFAULT '',"
	"  payload TEXT NOT NULL DEFAULT '{}',"
	"  prev_hash TEXT NOT NULL,"
	"  sync INTEGER NOT NULL DEFAULT 0,"
	"  sync_reason TEXT NOT NULL DEFAULT '',"
	"  sync_at INTEGER NOT NULL DEFAULT 0) STRICT;"
	"INSERT INTO event_v13 SELECT seq, uuid, device, type, waybill, register_id, actor, at_ms, place,"
	"  payload, prev_hash, sync, sync_reason, sync_at FROM event ORDER BY seq;"
	"DROP TABLE event;"
	"ALTER TABLE event_v13 RENAME TO event;"
	"CREATE UNIQUE INDEX IF NOT EXISTS event_uuid_v4 ON event(uuid) WHERE substr(uuid, 15, 1) <> '8';"
	"CREATE INDEX IF NOT EXISTS event_waybill ON event(waybill) WHERE waybill <> '';"
	"CREATE INDEX IF NOT EXISTS event_at ON event(at_ms);"
	"CREATE INDEX IF NOT EXISTS event_dead ON event(seq) WHERE sync = 2;"
	"CREATE TRIGGER IF NOT EXISTS event_no_update BEFORE UPDATE OF seq, uuid, device, type,"
	"  waybill, register_id, actor, at_ms, place, payload, prev_hash ON event"
	"  BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;"
	"CREATE TRIGGER IF NOT EXISTS event_no_delete BEFORE DELETE ON event"
	"  BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;"
	"CREATE TRIGGER IF NOT EXISTS event_sync_forward BEFORE UPDATE OF sync ON event"
	"  WHEN NEW.sync <> OLD.sync AND NOT (OLD.sync = 0 AND NEW.sync IN (1, 2))"
	"   AND NOT (OLD.sync = 2 AND NEW.sync = 0 AND EXISTS (SELECT 1 FROM"
	"    (SELECT type, payload FROM event ORDER BY seq DESC LIMIT 1) AS newest"
	"    WHERE newest.type = 'outbox_resent' AND (json_extract(newest.payload, '$.all')"
	"     OR json_extract(newest.payload, '$.uuid') = NEW.uuid)))"
	"  BEGIN SELECT RAISE(ABORT, 'an event''s upload state only moves from pending to acknowledged or dead'); END;"
	"CREATE TRIGGER IF NOT EXISTS event_sync_final BEFORE UPDATE OF sync, sync_reason, sync_at ON event"
	"  WHEN OLD.sync = 1 AND (NEW.sync <> 1 OR NEW.sync_reason <> OLD.sync_reason OR NEW.sync_at <> OLD.sync_at)"
	"  BEGIN SELECT RAISE(ABORT, 'an acknowledged event is final'); END;"
	"CREATE TRIGGER IF NOT EXISTS shift_work_count AFTER INSERT ON event"
	"  WHEN new.waybill <> '' AND NOT (new.type = 'registered' OR new.type = 'printed' OR new.type = 'note'"
	"   OR new.type = 'deadline_missed' OR new.type = 'deadline_closed_late') BEGIN"
	"  INSERT INTO shift_work VALUES ((SELECT coalesce(max(number), 0) + 1 FROM point_shift), new.actor, 1,"
	"   new.type = 'accepted' OR new.type = 'scan_unexpected' OR new.type = 'damaged',"
	"   new.type = 'out_for_delivery',"
	"   new.type = 'placed' OR new.type = 'cell_changed' OR new.type = 'delayed',"
	"   new.type = 'expired_removed' OR new.type = 'returned_to_point' OR new.type = 'handed_back')"
	"  ON CONFLICT(shift, actor) DO UPDATE SET total = total + 1, accepted = accepted + excluded.accepted,"
	"   handed = handed + excluded.handed, placed = placed + excluded.placed,"
	"   returned = returned + excluded.returned; END;",
	/* the damaged envelopes (a few in a year) found without reading every
	 * envelope in four states and every open deadline: the shift screen's
	 * "damaged, held at the point" row.  No write on the scan path: a row
	 * that is not damaged is not in it. */
	"CREATE INDEX IF NOT EXISTS envelope_damaged ON envelope(waybill) WHERE damaged = 1;",

	/* 15: envelopes of a register whose import is under way or was cut
	 * (imported_at 0: register_import.c) are counted when it is finished,
	 * not line by line: nothing of a hidden register shows, its count
	 * included.  A register left half-imported by an earlier version was
	 * counted already: counted again here without it. */
	"DELETE FROM envelope_count;"
	"INSERT INTO envelope_count SELECT state, count(*) FROM envelope e WHERE NOT (e.state = 'registered'"
	"  AND EXISTS (SELECT 1 FROM register r WHERE r.id = e.register_id AND r.imported_at = 0))"
	"  GROUP BY state;",

	/* 16: each person's work is counted by event_append, where every event
	 * is written (the same count; verify replays it): the trigger's frame
	 * on every insert was a tenth of a scan's CPU. */
	"DROP TRIGGER IF EXISTS shift_work_count;",

	/* register_line without its rowid: keyed by (register_id, waybill)
	 * alone, the key every reader looks a line up by, so a line is one
	 * b-tree entry instead of a row and a copy of its key in the
	 * automatic index (an import writes one per line of a register of
	 * 100,000).  The same columns, rows and order of lines (line). */
	"CREATE TABLE IF NOT EXISTS register_line_wr ("
	"  register_id TEXT NOT NULL REFERENCES register(id),"
	"  line INTEGER NOT NULL,"
	"  waybill TEXT NOT NULL,"
	"  application TEXT NOT NULL DEFAULT '',"
	"  postomat TEXT NOT NULL DEFAULT '',"
	"  city TEXT NOT NULL DEFAULT '',"
	"  iin TEXT NOT NULL DEFAULT '',"
	"  PRIMARY KEY (register_id, waybill)) STRICT, WITHOUT ROWID;"
	"INSERT OR IGNORE INTO register_line_wr SELECT register_id, line, waybill, application, postomat,"
	"  city, iin FROM register_line;"
	"DROP TABLE register_line;"
	"ALTER TABLE register_line_wr RENAME TO register_line;",

	/* what a clock's due time is counted from (clock_open_from's basis_ms;
	 * 0 on clocks opened before: their start), so that a working-day
	 * calendar arriving later moves the open clocks (store_clocks_recalendar) */
	"ALTER TABLE clock ADD COLUMN basis_ms INTEGER NOT NULL DEFAULT 0;",

	/* 19: a scan wrote three small rows in three tables, so three pages:
	 * the chain's end (meta), the count of envelopes in each state
	 * (envelope_count) and each person's work in the shift (shift_work).
	 * One table keeps all three, its key ordered so that they sit side by
	 * side (the chain's end, then the states, then the shifts newest
	 * first): one page.  envelope_count and shift_work are views of it
	 * with the columns they had, for every reader.  kind 0 is the chain's
	 * end (hash), 1 the envelopes in state name (n), 2 the work of actor
	 * name in a shift (n is the total).  tests/cli/migrate.sh undoes this
	 * step before replaying the earlier ones. */
	"CREATE TABLE log_head ("
	"  kind INTEGER NOT NULL,"
	"  shift INTEGER NOT NULL DEFAULT 0,"
	"  name TEXT NOT NULL DEFAULT '',"
	"  n INTEGER NOT NULL DEFAULT 0,"
	"  accepted INTEGER NOT NULL DEFAULT 0,"
	"  handed INTEGER NOT NULL DEFAULT 0,"
	"  placed INTEGER NOT NULL DEFAULT 0,"
	"  returned INTEGER NOT NULL DEFAULT 0,"
	"  hash TEXT NOT NULL DEFAULT '',"
	"  PRIMARY KEY (kind, shift DESC, name)) STRICT, WITHOUT ROWID;"
	"INSERT INTO log_head(kind, hash) SELECT 0, value FROM meta WHERE key = 'chain_head';"
	"DELETE FROM meta WHERE key = 'chain_head';"
	"INSERT INTO log_head(kind, name, n) SELECT 1, state, n FROM envelope_count;"
	"INSERT INTO log_head(kind, shift, name, n, accepted, handed, placed, returned)"
	"  SELECT 2, shift, actor, total, accepted, handed, placed, returned FROM shift_work;"
	"DROP TRIGGER IF EXISTS envelope_count_insert;"
	"DROP TRIGGER IF EXISTS envelope_count_update;"
	"DROP TRIGGER IF EXISTS envelope_count_delete;"
	"DROP TABLE envelope_count;"
	"DROP TABLE shift_work;"
	"CREATE VIEW envelope_count(state, n) AS SELECT name, n FROM log_head WHERE kind = 1;"
	"CREATE VIEW shift_work(shift, actor, total, accepted, handed, placed, returned) AS"
	"  SELECT shift, name, n, accepted, handed, placed, returned FROM log_head WHERE kind = 2;"
	"CREATE TRIGGER envelope_count_insert AFTER INSERT ON envelope BEGIN"
	"  INSERT INTO log_head(kind, name, n) VALUES (1, new.state, 1)"
	"   ON CONFLICT(kind, shift, name) DO UPDATE SET n = n + 1; END;"
	"CREATE TRIGGER envelope_count_update AFTER UPDATE OF state ON envelope"
	"  WHEN old.state IS NOT new.state BEGIN"
	"  UPDATE log_head SET n = n - 1 WHERE kind = 1 AND shift = 0 AND name = old.state;"
	"  INSERT INTO log_head(kind, name, n) VALUES (1, new.state, 1)"
	"   ON CONFLICT(kind, shift, name) DO UPDATE SET n = n + 1; END;"
	"CREATE TRIGGER envelope_count_delete AFTER DELETE ON envelope BEGIN"
	"  UPDATE log_head SET n = n - 1 WHERE kind = 1 AND shift = 0 AND name = old.state; END;",

	/* 20: an acceptance moved its envelope from "registered" to "accepted"
	 * in envelope_state: two pages, one for each end of the index.  No
	 * list is read by those states, nor by placed, collected or
	 * handed_back (the waiting and the finished ones, most of a year's
	 * envelopes: the screens count them in envelope_count); the index
	 * keeps the states a list is read by (STATE_LISTED in
	 * store_internal.h, which such a query names as it is).  Spelled as
	 * comparisons: an IN list of more than two values is a temporary
	 * table SQLite fills each time it checks a row. */
	"DROP INDEX IF EXISTS envelope_state;"
	"CREATE INDEX IF NOT EXISTS envelope_listed ON envelope(state)"
	"  WHERE state <> 'registered' AND state <> 'accepted' AND state <> 'placed'"
	"  AND state <> 'collected' AND state <> 'handed_back';",

	/* 21: the outbox's depth kept in meta (store/event.c: depth_kept, written
	 * by every transaction that marks events): counted here once, so that
	 * a terminal upgraded with a day unsent shows it at start-up without
	 * counting it there.  "marks last-seq its-uuid unsent"; none for an
	 * empty log. */
	"INSERT OR REPLACE INTO meta(key, value) SELECT 'outbox_depth',"
	"  coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'outbox_marks'), 0) || ' ' || e.seq"
	"  || ' ' || e.uuid || ' ' || (SELECT count(*) FROM event WHERE sync = 0 AND seq >= coalesce("
	"  (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'outbox_from'), 0))"
	"  FROM (SELECT seq, uuid FROM event ORDER BY seq DESC LIMIT 1) e;",

	/* 22: every event wrote a page of event_at, the index of times, for
	 * readers that all ask "since when" (a shift's, a day's work).  Events
	 * are appended in seq order with nearly increasing times, so the log
	 * itself is read from the first event that may be that late: for each
	 * hour that the latest time so far first reached, the seq that reached
	 * it (EVENT_SINCE in store_internal.h; event.c writes a row when an
	 * event reaches a new hour, about once an hour).  A clock set back
	 * changes nothing: the hours follow the latest time so far. */
	"CREATE TABLE IF NOT EXISTS event_hour ("
	"  hour INTEGER PRIMARY KEY,"
	"  seq INTEGER NOT NULL) STRICT;"
	"DELETE FROM event_hour;"
	"INSERT INTO event_hour(hour, seq) SELECT hour, min(seq) FROM (SELECT seq,"
	"  max(at_ms) OVER (ORDER BY seq) / 3600000 AS hour FROM event) GROUP BY hour;"
	"DROP INDEX IF EXISTS event_at;",

	/* 23: the count of envelopes in each state is moved by the two
	 * writers that move an envelope (envelope_count_move in envelope.c,
	 * one statement for both rows), not by a trigger: its frame on every
	 * step was a tenth of a scan's CPU.  A new writer of envelope.state
	 * calls it too; the triggers on insert and delete stay (an import
	 * inserts in bulk); verify counts envelopes against it. */
	"DROP TRIGGER IF EXISTS envelope_count_update;",

	/* 24: every acceptance opens a clock, and clock_waybill (the clocks by
	 * waybill) was one more page written by that scan's commit.  An
	 * envelope's clocks now have the ids 1024 * its rowid + n, its n-th
	 * clock (CLOCKS_OF in store_internal.h), found by the table's own key;
	 * a register's clocks (waybill '') negative ids, -1 the first.  The
	 * table is rebuilt with the ids renumbered so (oldest first, as ids
	 * ordered them), its other indexes made again as they were; a clock of
	 * a waybill without an envelope row (none is opened so) is kept with a
	 * register's kind of id. */
	"CREATE TABLE clock_v24 ("
	"  id INTEGER PRIMARY KEY,"
	"  clock TEXT NOT NULL,"
	"  waybill TEXT NOT NULL DEFAULT '',"
	"  register_id TEXT NOT NULL DEFAULT '',"
	"  started_ms INTEGER NOT NULL,"
	"  due_ms INTEGER NOT NULL,"
	"  closed_ms INTEGER NOT NULL DEFAULT 0,"
	"  missed_ms INTEGER NOT NULL DEFAULT 0,"
	"  base_due_ms INTEGER NOT NULL DEFAULT 0,"
	"  basis_ms INTEGER NOT NULL DEFAULT 0) STRICT;"
	"INSERT INTO clock_v24(id, clock, waybill, register_id, started_ms, due_ms, closed_ms, missed_ms,"
	"  base_due_ms, basis_ms)"
	"  SELECT CASE WHEN b IS NULL THEN -row_number() OVER (PARTITION BY b IS NULL ORDER BY id)"
	"   ELSE b + row_number() OVER (PARTITION BY b ORDER BY id) - 1 END,"
	"  clock, waybill, register_id, started_ms, due_ms, closed_ms, missed_ms, base_due_ms, basis_ms"
	"  FROM (SELECT c.*, (SELECT v.rowid * 1024 FROM envelope v WHERE c.waybill <> ''"
	"   AND v.waybill = c.waybill) AS b FROM clock c);"
	"DROP TABLE clock;"
	"ALTER TABLE clock_v24 RENAME TO clock;"
	"CREATE INDEX clock_open ON clock(due_ms) WHERE closed_ms = 0;"
	"CREATE INDEX clock_register ON clock(register_id) WHERE register_id <> '';"
	"CREATE INDEX clock_breached ON clock(due_ms) WHERE missed_ms <> 0;"
	"CREATE INDEX clock_late_due ON clock(closed_ms, due_ms) WHERE closed_ms > due_ms;",

	/* 25: every event of a waybill wrote a page of event_waybill, the
	 * index of waybills, for the readers of one envelope's history (its
	 * status, verify's replay).  An event written with its envelope's row
	 * there is linked instead: prev_seq is the seq of that envelope's
	 * previous linked event (0 for its first), envelope.last_seq the
	 * newest (EVENTS_OF in store_internal.h walks them back), and the row
	 * is written by the same step anyway.  The index keeps the events not
	 * linked (prev_seq NULL: every event before this step, a register
	 * import's "registered" ones before it linked them too (register_rows.c
	 * writes each envelope with its event's seq), a scan of a code no
	 * envelope has), so an
	 * envelope's history is its list and its few unlinked ones.  prev_seq
	 * is set once, as the rest of an event's row. */
	"ALTER TABLE event ADD COLUMN prev_seq INTEGER;"
	"ALTER TABLE envelope ADD COLUMN last_seq INTEGER NOT NULL DEFAULT 0;"
	"DROP INDEX IF EXISTS event_waybill;"
	"CREATE INDEX event_waybill ON event(waybill) WHERE waybill <> '' AND prev_seq IS NULL;"
	"DROP TRIGGER IF EXISTS event_no_update;"
	"CREATE TRIGGER event_no_update BEFORE UPDATE OF seq, uuid, device, type,"
	"  waybill, register_id, actor, at_ms, place, payload, prev_hash, prev_seq ON event"
	"  BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;",

	/* 26: an envelope's clocks are found by its rowid (24), which was
	 * implicit: VACUUM, a .dump read back or sqlite3's .recover of a
	 * damaged file may number such rows anew, and every deadline (a legal
	 * record) would lose its envelope.  The rowid is now a column of its
	 * own (id INTEGER PRIMARY KEY: the same b-tree, the same numbers), which
	 * every copy keeps.  The table is copied once, row for row with its
	 * rowid; the implicit delete of DROP TABLE fires no trigger, so the
	 * counts in log_head stay as they are. */
	"CREATE TABLE envelope_v26 ("
	"  id INTEGER PRIMARY KEY,"
	"  waybill TEXT NOT NULL UNIQUE,"
	ENVELOPE_FIELDS
	"  updated_at INTEGER NOT NULL,"
	"  last_seq INTEGER NOT NULL DEFAULT 0) STRICT;"
	"INSERT INTO envelope_v26(id, waybill, state, register_id, application, postomat, city, iin, cell,"
	"  reserved_cell, courier, delayed_until, damaged, updated_at, last_seq)"
	"  SELECT rowid, waybill, state, register_id, application, postomat, city, iin, cell,"
	"  reserved_cell, courier, delayed_until, damaged, updated_at, last_seq FROM envelope ORDER BY rowid;"
	"DROP TABLE envelope;"
	"ALTER TABLE envelope_v26 RENAME TO envelope;"
	"CREATE INDEX envelope_damaged ON envelope(waybill) WHERE damaged = 1;"
	"CREATE INDEX envelope_listed ON envelope(state)"
	"  WHERE state <> 'registered' AND state <> 'accepted' AND state <> 'placed'"
	"  AND state <> 'collected' AND state <> 'handed_back';"
	"CREATE TRIGGER envelope_count_insert AFTER INSERT ON envelope BEGIN"
	"  INSERT INTO log_head(kind, name, n) VALUES (1, new.state, 1)"
	"   ON CONFLICT(kind, shift, name) DO UPDATE SET n = n + 1; END;"
	"CREATE TRIGGER envelope_count_delete AFTER DELETE ON envelope BEGIN"
	"  UPDATE log_head SET n = n - 1 WHERE kind = 1 AND shift = 0 AND name = old.state; END;",

	/* 27: a matched scan wrote a row of register_scan, one more page by
	 * that scan's commit beside its envelope's row, which the same scan
	 * writes anyway.  While its register is open, a matched scan is now
	 * marked on the envelope's row instead: tally_seq is the event of the
	 * scan (> 0; its register, its time and who scanned are that event's:
	 * one integer, so the row, which the scan makes two bytes shorter by
	 * its state, does not grow out of its page), and the register's count
	 * of them kept in log_head's row of kind -1 (name the register:
	 * before the chain's end in the table's order, on the page every scan
	 * writes).  Finishing the
	 * register writes its marks as register_scan rows and clears them, as
	 * does a scan of the envelope against another register
	 * (register.c: mark_flush); unexpected and damaged scans stay rows.
	 * Rows from before stay as they are: readers take both. */
	"ALTER TABLE envelope ADD COLUMN tally_seq INTEGER NOT NULL DEFAULT 0;",

	/* 28: every step that opened an envelope's clock wrote a page of
	 * clock_open beside the clock's own row.  A clock so opened is now
	 * fresh (fresh = 1, its id listed in log_head as kind -2) and left out
	 * of the index until CLOCK_FRESH_MAX of them are put in at once
	 * (store_internal.h: CLOCK_FRESH_IDS, OPEN_CLOCKS).  The clocks
	 * already there stay as they are (fresh 0); an integer 0 or 1 takes
	 * no byte of a row, so a row put into the index does not grow. */
	"ALTER TABLE clock ADD COLUMN fresh INTEGER NOT NULL DEFAULT 0;"
	"DROP INDEX IF EXISTS clock_open;"
	"CREATE INDEX clock_open ON clock(due_ms) WHERE closed_ms = 0 AND fresh = 0;",

	/* 29: a tally screen's last scans sorted every row of the register's
	 * scans at each drawing (100,000 of a finished register: 40 ms).  Read
	 * newest first from this index, a screenful costs a screenful of rows.
	 * A matched scan writes no row of register_scan (schema 27): the
	 * index is written by unexpected and damaged scans and by a finish. */
	"CREATE INDEX IF NOT EXISTS register_scan_recent ON register_scan(register_id, at_ms, seq);",
};

int schema_version_latest(void)
{
	return (int)(sizeof migrations / sizeof migrations[0]);
}

const char *schema_migration(int version)
{
	if (version < 1 || version > schema_version_latest())
		return NULL;
	return migrations[version - 1];
}
