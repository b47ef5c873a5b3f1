/*
 * store_internal.h - what the files of src/store share, and nothing outside
 * src/store may include.
 */
#ifndef AMANAT_STORE_INTERNAL_H
#define AMANAT_STORE_INTERNAL_H

#include <jansson.h>
#include <sqlite3.h>
#include "amanat/store.h"

/* Statements the hot paths use, prepared once per store (db_cached). */
#define STMT_CACHE 64
#define STMT_HASH 256	/* a power of two, four times STMT_CACHE */
struct stmt_slot {
	const char *sql;	/* the literal's address is the key */
	sqlite3_stmt *st;
};

struct store {
	sqlite3 *db;
	struct store_rules rules;
	char path[4096];
	char device[64];
	struct stmt_slot cache[STMT_CACHE];
	size_t n_cached;
	/* the cache's slots (+ 1; 0 empty) by the address of their text and
	 * of their statement, open addressing (db.c: a scan's 20 lookups
	 * walked the slots one by one) */
	unsigned char by_sql[STMT_HASH], by_st[STMT_HASH];
	int wal_frames;		/* WAL frames written since the last checkpoint */
	int64_t last_commit_ms;
	int64_t busy_since_ms;	/* busy_wait: when this wait for the lock began */
	int64_t busy_waited_ms;	/* how long the last BEGIN waited */
	bool batch;		/* store_batch_begin: operations become savepoints */
	bool bulk;		/* store_bulk_begin: ... or not (a generator's bulk) */
	bool bulk_failed;	/* an operation of the bulk failed: it all rolls back */
	bool bulk_mode;		/* synchronous=OFF until store_bulk_done */
	bool sync_relaxed;	/* synchronous=NORMAL left by a hub's answers (event.c) */
	int sp_depth;
	/* The chain's end as this transaction sees it (event.c): read once per
	 * transaction, meta.chain_head written once at its commit. */
	bool chain_known, chain_dirty;
	/* event.c: the next event's envelope row is written by its caller
	 * right after, with the new end of its list (envelope_apply) */
	bool link_by_caller;
	/* register.c: the next envelope_save marks its row with the event
	 * just appended, a matched scan (schema 27); else the mark stays */
	bool tally_mark;
	/* clock.c: the length of log_head's list of fresh clocks (schema 28)
	 * as this handle counted it, plus what it added since: counted again
	 * in a transaction after another process's commit or a rollback
	 * (event_chain_forget), so a scan does not count the list */
	bool fresh_known;
	int fresh_n;
	unsigned chain_dv;	/* the data version after our last commit */
	sqlite3_int64 seen_pdv;	/* PRAGMA data_version when store_changed_elsewhere last looked */
	int64_t chain_seq;
	/* the newest hour in event_hour (event.c), read with the chain's end;
	 * INT64_MIN when the table is empty */
	int64_t hour_last;
	char chain_head[65];
	/* The shift screen's soonest deadline per state and its damaged row
	 * (shift.c), as of the data version states_dv: a redraw with no commit
	 * in between (by anyone) reads them from here. */
	bool states_known;
	unsigned states_dv;
	int64_t soonest[ST__COUNT];
	/* ... and whose each is, as of the log's seq and the feed's row
	 * states_seq/states_feed: after a commit only the envelopes named
	 * since are read again (states_seq_known) */
	char soonest_of[ST__COUNT][32];
	bool states_seq_known;
	int64_t states_seq, states_feed, states_moved;
	size_t damaged;
	int64_t damaged_soonest;
	/* meta.outbox_from as this transaction sees it (event.c), read with the
	 * chain's end; outbox_stale when something of ours may have moved it */
	int64_t outbox_from;
	bool outbox_stale;
	/* The outbox's depth as of the log's seq depth_seq, the watermark
	 * depth_from and meta.outbox_marks depth_marks (store_outbox_stats) */
	bool depth_known;
	size_t depth;
	int64_t depth_seq, depth_from, depth_marks;
	/* This transaction's marks (event.c, outbox_marked): how many pending
	 * events it took out of the outbox, and whether it moved any other way
	 * (marks_mixed, below with the other flags for padding) */
	int64_t marks_off;
	void *md;		/* EVP_MD_CTX reused for every event's hash */
	/* turn.c: the flock file that shows a writer waits (fd + 1; 0 not
	 * opened yet, -1 none), whether this one is in BEGIN and holds it */
	int turn_fd;
	/* register.c: the live tally of register tally_reg as of the data
	 * version tally_dv (0: not kept), and its line count (a register's
	 * lines do not change once imported).  (Ordered for padding: a longer
	 * id is never kept, only counted.) */
	unsigned tally_dv;
	size_t tally_lines;
	size_t tally_n[3];	/* matched, damaged, unexpected */
	bool turn_in_begin, turn_held, marks_mixed;
	char tally_reg[61];
};

/* Due times moved without an event naming their envelopes (a force
 * majeure's refresh, a calendar from the hub): said in meta.clocks_moved,
 * so that the shift screen's kept soonest deadlines are read again. */
#define CLOCKS_MOVED_SQL "INSERT INTO meta(key, value) VALUES ('clocks_moved', '1') ON CONFLICT(key)" \
	" DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)"

/* The states envelope_listed indexes (schema 20): a query that lists
 * envelopes by state names this term as it is, so that SQLite uses the
 * index (it does only for a WHERE that contains the index's own); the
 * states left out are never listed (registered, accepted, placed: waiting;
 * collected, handed_back: finished). */
#define STATE_LISTED "state <> 'registered' AND state <> 'accepted' AND state <> 'placed'" \
	" AND state <> 'collected' AND state <> 'handed_back'"

/* The first event that may have happened at or after time p (an SQL
 * expression of milliseconds, a bound integer): events are appended in seq
 * order with nearly increasing at_ms, and event_hour (schema 22) holds,
 * for each hour the largest at_ms so far first reached, the seq that
 * reached it; every event before that seq happened before the hour began.
 * "seq >= " EVENT_SINCE("?1") " AND at_ms >= ?1" is then exactly
 * "at_ms >= ?1", read along the log from there instead of in an index of
 * times that every event wrote a page of. */
#define HOUR_MS 3600000
#define EVENT_SINCE(p) "coalesce((SELECT seq FROM event_hour WHERE hour >= (" p ") / 3600000" \
	" ORDER BY hour LIMIT 1), (SELECT coalesce(max(seq), 0) + 1 FROM event))"

/* An envelope's clocks (schema 24) have the ids CLOCK_SLOTS * the
 * envelope's rowid + n, its n-th clock counted from 0, so that they are
 * found by the clock table's own key, not by an index of waybills that
 * every opened clock wrote a page of; a register's clocks (waybill '') have
 * negative ids.  CLOCKS_OF(w) is that range for the waybill w (an SQL
 * expression: a bound parameter); the envelope's rowid never changes (it is
 * the column envelope.id since schema 26, which VACUUM and a dump keep), and
 * the waybill is compared too. */
#define CLOCK_SLOTS 1024
#define SQL_NUM_(n) #n
#define SQL_NUM(n) SQL_NUM_(n)	/* a number's macro as SQL text */
#define CLOCK_SLOTS_SQL SQL_NUM(CLOCK_SLOTS)
#define CLOCKS_OF(w) "id BETWEEN (SELECT rowid FROM envelope WHERE waybill = " w ") * " CLOCK_SLOTS_SQL \
	" AND (SELECT rowid FROM envelope WHERE waybill = " w ") * " CLOCK_SLOTS_SQL " + " CLOCK_SLOTS_SQL " - 1" \
	" AND waybill = " w

/* An envelope's newly opened clocks are "fresh" (schema 28): not yet in
 * clock_open, the index of open clocks by due time, which every step that
 * opened a clock wrote one more page of.  Their ids are listed in log_head
 * (kind -2, shift the clock's id), on the page every step writes anyway,
 * and CLOCK_FRESH_MAX of them go into the index at once, in one step's
 * commit (clock_fresh_settle).  Whoever lists open clocks by due time reads
 * both: the index (a WHERE that names "closed_ms = 0 AND fresh = 0", so
 * that SQLite uses it) and the few listed ones, CLOCK_FRESH_IDS (an SQL
 * subquery).  OPEN_CLOCKS(cols, cond) is that pair of SELECTs, for a
 * condition with numbered parameters only (it is written twice). */
#define CLOCK_FRESH_MAX 32
#define CLOCK_FRESH_IDS "(SELECT shift FROM log_head WHERE kind = -2)"
#define OPEN_CLOCKS(cols, cond) "SELECT " cols " FROM clock WHERE closed_ms = 0 AND fresh = 0 AND " cond \
	" UNION ALL SELECT " cols " FROM clock WHERE id IN " CLOCK_FRESH_IDS " AND closed_ms = 0 AND " cond

/* The seqs of the events of waybill w (schema 25; an SQL expression: a
 * bound parameter), as a subquery for "seq IN": its envelope's linked
 * events, walked back from envelope.last_seq by prev_seq (each link to an
 * earlier event: a changed one cannot loop), and its events not linked,
 * from the partial index event_waybill.  A reader also asks "waybill = w"
 * of the rows. */
#define EVENTS_OF(w) "(WITH RECURSIVE links(seq) AS (SELECT last_seq FROM envelope WHERE waybill = " w \
	" AND last_seq > 0 UNION ALL SELECT e.prev_seq FROM links JOIN event e ON e.seq = links.seq" \
	" WHERE e.prev_seq > 0 AND e.prev_seq < e.seq) SELECT seq FROM links UNION ALL" \
	" SELECT seq FROM event WHERE waybill = " w " AND waybill <> '' AND prev_seq IS NULL)"

/* The register of envelope row v's matched scan marked on it while its
 * register is open (schema 27, register.c): the register of the event
 * tally_seq names, when that is a scan of this envelope; NULL for a row
 * without a mark or with one that names no scan of it. */
#define TALLY_REG(v) "(CASE WHEN " v ".tally_seq > 0 THEN (SELECT m.register_id FROM event m" \
	" WHERE m.seq = " v ".tally_seq AND m.waybill = " v ".waybill) END)"

/* envelope.c: the count of envelopes in each state when one moves */
int envelope_count_move(struct store *s, const char *from, const char *to, struct am_error *e);

/* schema.c */
int schema_version_latest(void);
const char *schema_migration(int version);

/* turn.c: a writer waiting in BEGIN shows it (turn_waiting from the busy
 * handler, turn_done once BEGIN returned); a long writer asks whether one
 * waits, and after its commit waits up to max_ms until those have the lock
 * (false: one still shows after max_ms, stuck or not an amanat). */
#define TURN_GIVE_MS 100	/* the longest a writer lets waiting ones go first */
void turn_waiting(struct store *s);
void turn_done(struct store *s);
bool turn_someone_waits(struct store *s);
bool turn_give(struct store *s, int max_ms);
void turn_close(struct store *s);

/* db.c: helpers that turn SQLite's codes into am_error sentences. */
int db_fail(struct store *s, struct am_error *e, const char *what);
#ifdef __clang_analyzer__	/* never 0 (see am_fail in error.h) */
#define db_fail(s, e, what) ((void)(s), (void)(e), (void)(what), AM_ENV)
#endif
int db_prepare(struct store *s, sqlite3_stmt **st, const char *sql, struct am_error *e);
/* The statement for a string literal, prepared on first use and kept until
 * store_close: parsing SQL is most of a scan's CPU otherwise.  Give it back
 * with db_done (never sqlite3_finalize); a statement already in use (a
 * nested call) is prepared afresh and finalized by db_done. */
int db_cached(struct store *s, sqlite3_stmt **st, const char *sql, struct am_error *e);
void db_done(struct store *s, sqlite3_stmt *st);
int db_exec(struct store *s, const char *sql, struct am_error *e);
/* The pager's count of commits to the file, ours and other connections'
 * (0 when unknown). */
unsigned db_data_version(struct store *s);
int db_begin(struct store *s, struct am_error *e);	/* BEGIN IMMEDIATE */
int db_commit(struct store *s, struct am_error *e);
void db_checkpoint_busy(struct store *s, int min_frames);
void db_rollback(struct store *s);
/* Copy column i as text into buf ("" for NULL). */
void db_text(sqlite3_stmt *st, int i, char *buf, size_t len);
int64_t db_now(const struct event_ctx *ctx);

/* payload.c: a payload written as jansson writes it, keys given in sorted
 * order; pb_end is NULL when a value needs jansson after all. */
struct pbuf {
	char buf[2048];
	char *p;
	const char *last_key;
	bool ok;
};
void pb_start(struct pbuf *b);
void pb_str(struct pbuf *b, const char *key, const char *value);
void pb_bool(struct pbuf *b, const char *key, bool value);
const char *pb_end(struct pbuf *b);
/* Builds with AddressSanitizer (every test): abort unless fast (when not
 * NULL) is what jansson wrote (slow). */
void pb_check(const char *fast, const char *slow);

/* A compact JSON text built with json_pack's format (malloc'd; NULL on error). */
char *payload_pack(const char *fmt, ...);

/* event.c: the hash of one event record (seq, uuid, device, type, waybill,
 * register_id, actor, at_ms, place, payload, prev_hash as text); ctx is an
 * EVP_MD_CTX to reuse, or NULL. */
#define RECORD_FIELDS 11
#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"
/* SHA-256 (hex) of a text: an act's body, vouched for by its act_drawn
 * event (act.c) and checked by verify (verify_record.c). */
int text_sha256(const char *text, size_t len, char out[65]);
int record_hash_parts(const char *const f[RECORD_FIELDS], const size_t len[RECORD_FIELDS],
		      void *ctx, char out[65]);
/* The same with the two numbers (seq, at_ms) given as numbers: f[0] and
 * f[7] and their len are filled here (f as a row of the log reads it).
 * Safe to call from several threads, each with its own ctx. */
int record_hash_row(const char *f[RECORD_FIELDS], size_t len[RECORD_FIELDS], int64_t seq, int64_t at_ms,
		    void *md, char out[65]);
/* v in decimal as "%lld" writes it (a record's seq and at_ms); its length. */
size_t record_decimal(int64_t v, char out[24]);
/* event_uuid_derive of a record split as record_hash_parts takes it (its
 * seq and at_ms in f[0] and f[7] as text), for verify's walk. */
int event_uuid_derive_parts(const char *const f[RECORD_FIELDS], const size_t len[RECORD_FIELDS],
			    int64_t seq, char out[37]);

/* event.c: the stored chain end brought up to date before a commit; the
 * cached chain end forgotten (a new transaction, a rollback); the chain end
 * as stored (GENESIS for an empty log). */
int event_chain_flush(struct store *s, struct am_error *e);
int event_chain_stored(struct store *s, char head[65], struct am_error *e);
void event_chain_forget(struct store *s);

/* event.c: the uuid (version 8, schema 13) of the event with these fields
 * of its record; md an EVP_MD_CTX to reuse. */
int event_uuid_derive(void *md, int64_t seq, const char *device, const char *type,
		      const char *waybill, int64_t at_ms, const char *prev, char out[37]);

/* event.c: the seq a derived uuid (version 8, schema 13) ends with; false
 * for another uuid (an older random one). */
bool event_uuid_seq(const char *uuid, int64_t *seq);

/* event.c: append one event inside an open transaction. */
int event_append(struct store *s, enum event_type type, const char *waybill,
		 const char *register_id, const char *payload_json,
		 const struct event_ctx *ctx, struct am_error *e);
/* event.c: "head row,row,..." with n rows in buf (cap bytes; NULL when it
 * does not fit): an INSERT of n rows in one statement. */
const char *sql_rows(char *buf, size_t cap, const char *head, const char *row, size_t n);
/* The same where each "?#" of row is a parameter of its own, numbered from
 * first on (the ?1 .. ?first-1 written in row are shared by all rows). */
const char *sql_rows_numbered(char *buf, size_t cap, const char *head, const char *row, size_t n, int first);
/* event.c: n events (at most 32 go in one statement) of one type, one
 * register and one time, as n event_append calls would write them. */
int event_append_many(struct store *s, enum event_type type, size_t n, const char *const waybills[],
		      const char *register_id, const char *const payloads[], const struct event_ctx *ctx,
		      bool linked, struct am_error *e);
/* event.c: the seq the next event will get (inside a transaction).  With
 * linked, event_append_many's events are each the first of its waybill's
 * envelope (prev_seq 0, schema 25): the caller wrote the envelopes' rows
 * with last_seq the seq each event gets, from event_next_seq on. */
int event_next_seq(struct store *s, int64_t *seq, struct am_error *e);

/* The kind of work an event counts as in shift_work (event.c; verify
 * replays it): -1 not counted, 0 other, 1 accepted, 2 handed out, 3 placed,
 * 4 back. */
int store_work_kind(enum event_type type);

#endif

/* clock.c: open and close the pilot's clocks inside an open transaction.
 * Nothing is opened when no calendar is set.  clock -1 closes every open
 * clock of the waybill (or register).  A clock closed after its due time
 * writes its breach events (deadline_missed once, deadline_closed_late).
 * clock_open_from: the clock starts at started_ms, its due time is computed
 * from basis_ms (the §30 clock starts at 24:00 of the last storage day). */
int clock_open(struct store *s, enum pilot_clock c, const char *waybill,
	       const char *register_id, int64_t started_ms, const struct event_ctx *ctx,
	       struct am_error *e);
int clock_open_from(struct store *s, enum pilot_clock c, const char *waybill,
		    const char *register_id, int64_t started_ms, int64_t basis_ms,
		    const struct event_ctx *ctx, struct am_error *e);
/* Put the fresh clocks (CLOCK_FRESH_IDS) into clock_open; inside a
 * transaction.  Before a change of many open clocks' due times. */
int clock_fresh_settle(struct store *s, struct am_error *e);
int clock_close(struct store *s, int c, const char *waybill, const char *register_id,
		int64_t at_ms, const struct event_ctx *ctx, struct am_error *e);

/* force_majeure.c: move a new clock's due time by every force majeure;
 * recompute all open clocks (inside a transaction); is one going on now? */
int apply_force_majeure(struct store *s, enum pilot_clock c, const char *register_id,
			int64_t started, int64_t *due, struct am_error *e);
int force_majeure_refresh(struct store *s, int64_t now, struct am_error *e);
bool force_majeure_ongoing(struct store *s);

/* act.c: draw up an act inside an open transaction; id gets its id. */
int act_create(struct store *s, const char *kind, const char *register_id,
	       const char *waybill, const char *reason, int copies, const char *body,
	       const struct event_ctx *ctx, char *id, size_t idlen, struct am_error *e);

/* register_rows.c: a chunk of lines i .. i + n - 1 (n <= REGISTER_CHUNK) of
 * r in one statement per table: register_line; for an inbound register
 * the envelopes and their "registered" events.  §26: the envelopes lost or
 * cancelled here (by application), and the duplicate clock of one closed
 * when line l brings its application again. */
#define REGISTER_CHUNK 32
int register_lines_insert(struct store *s, const struct reg *r, size_t i, size_t n, struct am_error *e);
int register_envelopes_insert(struct store *s, const struct reg *r, size_t i, size_t n,
			      const struct event_ctx *ctx, int64_t now, struct am_error *e);
struct register_lost;
int register_lost_load(struct store *s, struct register_lost **out, size_t *n, struct am_error *e);
int register_duplicate_arrived(struct store *s, const struct register_lost *lost, size_t n_lost,
			       const struct register_line *l, int64_t at, const struct event_ctx *ctx,
			       struct am_error *e);

/* register_import.c: the register row and its lines (inside a transaction). */
int register_insert(struct store *s, const struct reg *r, int64_t now, int64_t finished,
		    struct am_error *e);

/* envelope.c: the clocks a step opens and closes (inside a transaction). */
int envelope_step_clocks(struct store *s, const struct envelope *v, enum event_type type,
			 int64_t now, const struct event_ctx *ctx, struct am_error *e);

/* envelope.c: one envelope transition inside an open transaction. */
int envelope_apply(struct store *s, const struct transition *t,
		   const struct event_ctx *ctx, struct am_error *e);
