/*
 * store.h - the SQLite store: all SQL in amanat lives behind this header.
 *
 * The append-only event log is the truth.  Every change is one BEGIN
 * IMMEDIATE transaction that appends its event(s), updates the derived state
 * of the envelope and its clocks, and commits with synchronous=FULL before
 * the caller reports success.  Each event stores the SHA-256 of the previous
 * event's record (a hash chain; store_verify checks it).  The outbox is the
 * events not yet acknowledged upstream.
 */
#ifndef AMANAT_STORE_H
#define AMANAT_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "amanat/calendar.h"
#include "amanat/codes.h"
#include "amanat/deadline.h"
#include "amanat/error.h"
#include "amanat/lifecycle.h"
#include "amanat/reconcile.h"
#include "amanat/register.h"

struct store;

/* Who does it, where, when.  at_ms == 0 means now.  input, when set
 * ("typed" for a code typed by hand instead of scanned), is recorded in the
 * payload of the events written. */
struct event_ctx {
	const char *actor;
	const char *place;
	int64_t at_ms;
	const char *input;
};

/* Rules the store applies; set once after opening (defaults: S10, +05:00,
 * no calendar - deadlines are then not computed). */
struct store_rules {
	const struct calendar *calendar;
	int offset_min;
	struct waybill_rule waybill;
	int64_t pilot_end_ms;	/* order §6: no inbound register after it (0: none) */
};

int store_open(const char *path, struct store **out, struct am_error *e);
/* The mode of the database and its -wal/-shm: the amanat group writes. */
#define STORE_FILE_MODE 0660
/* Make an empty database file with STORE_FILE_MODE (nothing if it exists). */
int store_create_file(const char *path, struct am_error *e);
void store_close(struct store *s);
/* Work kept off the scan path, for a poll loop to call when it waits: a
 * WAL checkpoint, once the WAL passed 1 MiB or nothing was committed for
 * 2 s.  1 when something was done, 0 when nothing was due. */
int store_idle(struct store *s);
/* Whether another connection (a second terminal, the CLI, the sync timer)
 * committed to the file since the last call: a screen showing the store
 * redraws then.  Our own commits do not count. */
bool store_changed_elsewhere(struct store *s);
/* Frames in the write-ahead log now (what the commits since the last
 * checkpoint wrote): the benchmark's pages-per-scan. */
int store_wal_frames(const struct store *s);
/* How long the last write transaction waited for another writer (ms). */
int64_t store_last_wait_ms(const struct store *s);
/* Many operations in one transaction (a bulk load, the benchmark's year of
 * history): each operation inside becomes a savepoint, so a refused one
 * still leaves no trace; store_batch_end commits (or rolls back) them all. */
int store_batch_begin(struct store *s, struct am_error *e);
int store_batch_end(struct store *s, bool commit, struct am_error *e);
/* A generator's bulk (bench/gen_year): like a batch, but an operation is no
 * savepoint, so one that fails spoils the bulk (store_batch_end rolls it all
 * back and says so); synchronous=OFF and a big cache from the first bulk
 * until store_bulk_done, which copies the WAL back and fsyncs. */
int store_bulk_begin(struct store *s, struct am_error *e);
int store_bulk_done(struct store *s, struct am_error *e);
void store_set_rules(struct store *s, const struct store_rules *r);
const struct store_rules *store_get_rules(const struct store *s);

/* First set-up of a terminal: device and point ids.  Refused if already set
 * to other values. */
int store_init(struct store *s, const char *device_id, const char *point_id,
	       struct am_error *e);
/* Key/value facts about this terminal (device_id, point_id, ...). */
int store_meta_get(struct store *s, const char *key, char *buf, size_t len);
int store_meta_set(struct store *s, const char *key, const char *value,
		   struct am_error *e);

/* ---- registers ---------------------------------------------------------- */
struct register_info {
	char id[REG_ID_MAX];
	enum register_kind kind;
	char from[REG_FIELD_MAX], to[REG_FIELD_MAX];
	int64_t formed_at, imported_at, finished_at;	/* finished_at 0: open */
	size_t n_lines, n_scanned, n_unexpected;
	char act[64];					/* act drawn at finish, or "" */
};

/* Import a parsed register: inbound lines become envelopes in "registered";
 * return lines must name known envelopes.  Refused whole if the id exists
 * (with other content) or any line conflicts. */
int store_register_import(struct store *s, const struct reg *r,
			  const struct event_ctx *ctx, struct am_error *e);
/*
 * The same import one slice at a time, for a poll loop that answers keys
 * and scans between slices: start runs every check (a refusal comes here,
 * before anything is written) and takes r's lines (r is left empty); *im
 * NULL means the same register is here already.  Each step commits one
 * slice of about budget_ms, or the finish (the register shows only then);
 * *done when it is imported.  A job freed before it is done leaves its
 * slices hidden, and importing the same register again goes on from them.
 */
struct store_import;
int store_import_start(struct store *s, struct reg *r, const struct event_ctx *ctx,
		       struct store_import **im, struct am_error *e);
int store_import_step(struct store_import *im, int budget_ms, bool *done, struct am_error *e);
/* Lines written so far, of *total. */
size_t store_import_lines(const struct store_import *im, size_t *total);
void store_import_free(struct store_import *im);
/* Calls cb for each register, newest first; cb returns non-zero to stop. */
int store_register_each(struct store *s,
			int (*cb)(const struct register_info *, void *), void *arg,
			struct am_error *e);
int store_register_get(struct store *s, const char *id, struct register_info *info,
		       struct reg *lines /* may be NULL */, struct am_error *e);
/* Form a return register from every envelope now returned_to_point and not yet
 * on an open return register. */
int store_register_create_return(struct store *s, const char *id, const char *to,
				 const struct event_ctx *ctx, struct reg *out,
				 struct am_error *e);

/* One scan against a register (inbound: acceptance, return: hand-back).
 * matched scans change the envelope in the same transaction. */
int store_tally_scan(struct store *s, const char *reg_id, const char *code,
		     const struct event_ctx *ctx, enum scan_result *res,
		     char *why, size_t whylen, struct am_error *e);
/* Mark a listed envelope damaged now (F2, then its scan): recorded at once,
 * so that the act at finish lists it as damaged whatever happens between.
 * AM_REFUSED when it is not on the register or already marked. */
int store_tally_damaged(struct store *s, const char *reg_id, const char *code,
			const struct event_ctx *ctx, struct am_error *e);
/* The recorded scans of a register, newest first (what a tally screen shows
 * after Esc, an idle lock or a restart). */
enum tally_mark { TALLY_MATCHED, TALLY_UNEXPECTED, TALLY_DAMAGED };
struct tally_scan_row {
	char code[64];
	enum tally_mark result;
	int64_t at_ms;
	char actor[64];
};
int store_tally_scans(struct store *s, const char *reg_id,
		      int (*cb)(const struct tally_scan_row *, void *), void *arg,
		      struct am_error *e);
/* The waybills of a register not scanned yet (neither matched nor marked
 * damaged: what its act would list as missing), in the register's order from
 * the skip-th on; cb returns nonzero to stop.  What F7 on a tally screen
 * lists, a page at a time. */
int store_tally_missing(struct store *s, const char *reg_id, size_t skip,
			int (*cb)(const char *waybill, void *), void *arg, struct am_error *e);
/* The live tally of a register's scans so far. */
int store_tally_get(struct store *s, const char *reg_id, struct tally_summary *sum,
		    struct am_error *e);
/* Finish a register: damaged codes are recorded, the summary computed, a
 * discrepancy act drawn when anything is not matched (act_id gets its id,
 * "" otherwise), and for inbound registers the acceptance register formed. */
int store_tally_finish(struct store *s, const char *reg_id, const char *const *damaged,
		       size_t n_damaged, const struct event_ctx *ctx,
		       struct tally_summary *sum, char *act_id, size_t act_len,
		       struct am_error *e);

/* ---- envelopes ---------------------------------------------------------- */
struct envelope {
	char waybill[32];
	enum envelope_state state;
	char register_id[REG_ID_MAX];
	char application[REG_FIELD_MAX];
	char postomat[REG_FIELD_MAX];
	char city[REG_FIELD_MAX];
	char iin[16];
	char cell[32];
	char reserved_cell[32];
	char courier[64];
	char delayed_until[16];		/* YYYY-MM-DD or "" */
	bool damaged;
	int64_t updated_at;
};

/* A change to one envelope. */
struct transition {
	enum event_type type;
	const char *waybill;
	const char *postomat;	/* placed */
	const char *cell;	/* placed */
	const char *courier;	/* out_for_delivery */
	const char *reason;	/* lost, delayed, cell_changed, note, printed */
	const char *until;	/* delayed: YYYY-MM-DD */
	const char *register_id;/* handed_back */
	bool force;		/* place: take another cell than the reserved one */
	const char *side;	/* lost: "kaspi" (§22) or "state-corp" (§23); NULL: kaspi
				 * when the point received it */
	const char *liable;	/* lost: the worker liable, where known (§22.4, §23.3) */
};

int store_apply(struct store *s, const struct transition *t,
		const struct event_ctx *ctx, struct am_error *e);
int store_envelope_get(struct store *s, const char *waybill, struct envelope *out,
		       struct am_error *e);
int store_envelope_each(struct store *s, int state /* -1 all */,
			int (*cb)(const struct envelope *, void *), void *arg,
			struct am_error *e);
/* Number of envelopes in each state (counts[ST__COUNT]). */
int store_state_counts(struct store *s, size_t counts[ST__COUNT], struct am_error *e);
/* A courier's progress since since_ms: envelopes left on them and placed by
 * them, at one postomat ("here") and on the whole route. */
struct route_progress {
	size_t left_here, done_here, left, done;
};
int store_route_progress(struct store *s, const char *courier, const char *postomat, int64_t since_ms,
			 struct route_progress *out, struct am_error *e);
/* Reserve cell for waybill (from sync data or by hand). */
int store_reserve_cell(struct store *s, const char *waybill, const char *postomat,
		       const char *cell, struct am_error *e);

/* ---- events ------------------------------------------------------------- */
enum sync_state { SYNC_PENDING = 0, SYNC_ACKED = 1, SYNC_DEAD = 2 };

struct event_row {
	int64_t seq;			/* per-device sequence, 1, 2, ... */
	char uuid[37];
	char device[64];
	enum event_type type;
	char waybill[32];
	char register_id[REG_ID_MAX];
	char actor[64];
	int64_t at_ms;
	char place[64];
	const char *payload;		/* JSON object text, valid during the callback */
	enum sync_state sync;
	char sync_reason[256];
};

/* Events in sequence order; waybill NULL for all; unsent_only: outbox only. */
int store_event_each(struct store *s, const char *waybill, bool unsent_only,
		     int (*cb)(const struct event_row *, void *), void *arg,
		     struct am_error *e);
/* Append a free event (note, printed, shift_*) outside the envelope table. */
int store_append_event(struct store *s, enum event_type type, const char *waybill,
		       const char *register_id, const char *payload_json,
		       const struct event_ctx *ctx, struct am_error *e);
/* The newest events of actor since since_ms whose type is in the mask
 * types (bit 1 << EV_x), newest first, at most max of them. */
#define EV_BIT(t) (1u << (t))
int store_recent_events(struct store *s, const char *actor, int64_t since_ms, uint32_t types,
			int max, int (*cb)(const struct event_row *, void *), void *arg,
			struct am_error *e);
/* Envelope events per actor since since_ms (the supervisor's "by person"). */
int store_actor_counts(struct store *s, int64_t since_ms,
		       int (*cb)(const char *actor, size_t n, void *), void *arg,
		       struct am_error *e);
/* Walk the hash chain; n_checked gets the number of events read.
 * AM_REFUSED with the first broken sequence number when it does not hold,
 * or naming the derived table (envelope, register_scan) that differs from
 * a replay of the log.  A pass leaves an anchor for store_verify_quick. */
int store_verify(struct store *s, size_t *n_checked, struct am_error *e);
/* The same from the last anchor on: its record re-hashed, the newer events
 * walked, the envelopes they touched replayed (from_seq gets the anchor, 0
 * when there was none and the full check ran). */
int store_verify_quick(struct store *s, size_t *n_checked, int64_t *from_seq,
		       struct am_error *e);

/* ---- outbox (for sync) -------------------------------------------------- */
int store_outbox_stats(struct store *s, size_t *depth, int64_t *oldest_ms,
		       size_t *dead, struct am_error *e);
/* Up to max pending events in sequence order (dead letters skipped). */
int store_outbox_batch(struct store *s, size_t max,
		       int (*cb)(const struct event_row *, void *), void *arg,
		       struct am_error *e);
/* Mark one event: acked (accepted or duplicate upstream) or dead (rejected). */
int store_outbox_mark(struct store *s, const char *uuid, enum sync_state st,
		      const char *reason, struct am_error *e);

/* Mark many events in one transaction (one fsync for a whole answer). */
struct outbox_mark {
	char uuid[37];
	enum sync_state state;
	char reason[200];
};
int store_outbox_mark_many(struct store *s, const struct outbox_mark *marks, size_t n,
			   struct am_error *e);
/* Up to max pending events with after_seq < seq <= max_seq (0: no bound), in
 * sequence order: the sync client's way through a batch being isolated. */
int store_outbox_batch_range(struct store *s, int64_t after_seq, int64_t max_seq, size_t max,
			     int (*cb)(const struct event_row *, void *), void *arg,
			     struct am_error *e);
/* The newest event's sequence number and record hash (0 and the genesis
 * hash for an empty log): sent with each upload so that the upstream side
 * can tell a rewound log (docs/protocol.md). */
int store_chain_head(struct store *s, int64_t *seq, char hash[65], struct am_error *e);
/* Put dead letters back in the outbox: one (uuid) or all (NULL); n gets how
 * many.  Logged as an outbox_resent event in the same transaction.
 * AM_REFUSED when uuid is not a dead letter. */
int store_outbox_resend(struct store *s, const char *uuid /* NULL = all */, size_t *n,
			struct am_error *e);
/* The same, with who did it recorded on the event. */
int store_outbox_resend_by(struct store *s, const char *uuid, const struct event_ctx *ctx,
			   size_t *n, struct am_error *e);
/* Dead letters: events the upstream rejected for good. */
int store_outbox_dead(struct store *s, int (*cb)(const struct event_row *, void *), void *arg,
		      struct am_error *e);
/* A screen's page of them: rows offset .. offset+limit-1 in sequence order
 * from their index, and how many there are (total, may be NULL). */
int store_outbox_dead_page(struct store *s, size_t offset, size_t limit, size_t *total,
			   int (*cb)(const struct event_row *, void *), void *arg, struct am_error *e);

/* ---- clocks ------------------------------------------------------------- */
struct clock_row {
	int64_t id;
	enum pilot_clock clock;
	char waybill[32];
	char register_id[REG_ID_MAX];
	int64_t started_ms, due_ms;
	int64_t closed_ms;		/* 0 while open */
	int64_t missed_ms;		/* when deadline_missed was written, or 0 */
	bool beyond_calendar;		/* due past the calendar file's last day */
};
/* Open clocks, soonest due first. */
int store_clock_each(struct store *s, int (*cb)(const struct clock_row *, void *),
		     void *arg, struct am_error *e);
/* Open clocks and every breached one (closed late or still open past due),
 * soonest due first. */
int store_clock_each_all(struct store *s, int64_t now_ms,
			 int (*cb)(const struct clock_row *, void *), void *arg,
			 struct am_error *e);
/* Breaches whose due time is at or after since_ms: recorded (missed_ms),
 * closed late, or open and past due at now_ms. */
int store_breach_each(struct store *s, int64_t since_ms, int64_t now_ms,
		      int (*cb)(const struct clock_row *, void *), void *arg,
		      struct am_error *e);
/* One envelope's clocks, soonest due first: its open ones, or (breached)
 * its breaches as store_breach_each gives them. */
int store_waybill_clocks(struct store *s, const char *waybill, bool breached, int64_t now_ms,
			 int (*cb)(const struct clock_row *, void *), void *arg, struct am_error *e);
/* The due time of an open clock of a waybill; AM_REFUSED when none is open. */
int store_clock_due(struct store *s, const char *waybill, enum pilot_clock c, int64_t *due_ms,
		    struct am_error *e);
/* A working-day calendar taken into use since the open clocks were opened
 * (one from the point hub): each open deadline not yet breached is reckoned
 * again by it, then moved by force majeure; a recorded breach stays as it
 * is.  moved gets how many moved.  Its own transaction (store/feed.c). */
int store_clocks_recalendar(struct store *s, int64_t now, size_t *moved, struct am_error *e);
/* Write deadline_missed for every open clock past due at the ctx's time that
 * has none yet (and move the clocks on while a force majeure goes on); n gets
 * how many.  Takes the write lock only when there is something to write. */
int store_deadlines_sweep(struct store *s, const struct event_ctx *ctx, size_t *n,
			  struct am_error *e);

/* ---- force majeure (§37-39) ------------------------------------------------ */
struct force_majeure {
	char id[64];
	int64_t from_ms, to_ms;		/* to_ms 0: still going on */
	int64_t created_ms;		/* when it was recorded here */
	int64_t notice_due_ms;		/* §38: 3 working days from the start */
	bool notice_late;		/* recorded after notice_due_ms (§39) */
	int64_t notified_ms;		/* when the notice was recorded, or 0 */
	/* valid during the callback: */
	const char *reason, *recorded_by, *notified_to, *doc_body, *doc_number, *doc_date;
};
/* Record a force majeure from from_ms to to_ms (0: still going on): moves the
 * open clocks, starts its §38 notice clock.  Refused: no reason, an end
 * before the start, longer than a year, a start in the future. */
int store_force_majeure(struct store *s, int64_t from_ms, int64_t to_ms,
			const char *reason, const struct event_ctx *ctx,
			char *fm_id, size_t fm_len, struct am_error *e);
/* The checks store_force_majeure runs on its times (now: the time it is
 * recorded), for a screen to refuse a start at the start's step. */
int store_force_majeure_check(int64_t from_ms, int64_t to_ms, int64_t now_ms, struct am_error *e);
int store_force_majeure_end(struct store *s, const char *id, int64_t to_ms,
			    const struct event_ctx *ctx, struct am_error *e);
/* §38: the document of the authorised body that confirms it. */
int store_force_majeure_document(struct store *s, const char *id, const char *body,
				 const char *number, const char *date,
				 const struct event_ctx *ctx, struct am_error *e);
/* §38: the responsible units were told; closes the notice clock. */
int store_force_majeure_notify(struct store *s, const char *id, const char *to_whom,
			       const struct event_ctx *ctx, struct am_error *e);
/* Newest start first. */
int store_force_majeure_each(struct store *s, int (*cb)(const struct force_majeure *, void *),
			     void *arg, struct am_error *e);

/* ---- acts --------------------------------------------------------------- */
struct act_row {
	char id[64];
	char kind[16];			/* "discrepancy" or "loss" */
	char register_id[REG_ID_MAX];
	char waybill[32];
	const char *reason;		/* whole, as written; valid during the callback */
	int copies;
	int64_t created_ms;
	const char *body;		/* JSON, valid during the callback */
};
int store_act_each(struct store *s, int (*cb)(const struct act_row *, void *),
		   void *arg, struct am_error *e);
int store_act_get(struct store *s, const char *id,
		  int (*cb)(const struct act_row *, void *), void *arg,
		  struct am_error *e);

/* ---- the point hub's feed (store/feed.c) --------------------------------- */
/* One item of GET /v1/feed: an event another device (or upstream) recorded.
 * It changes this terminal's envelopes through the same life-cycle table as
 * its own events, but is kept apart from its own hash-chained log. */
struct feed_item {
	int64_t cursor, at_ms;
	const char *uuid, *device, *type, *waybill, *register_id, *actor;
	const char *from, *courier, *postomat, *cell;	/* from the payload ("" if none) */
	bool has_envelope;				/* the hub's view of the envelope: */
	const char *application, *env_postomat, *city, *reserved_cell;
	const char *conflict;				/* the hub marked it, or "" */
	const char *body;				/* the item as received */
	const char *outcome;				/* "postomat": "applied" or why not */
};
struct feed_row {
	char uuid[37], device[64], type[32], waybill[32], actor[64], note[256];
	int64_t cursor, at_ms, received_ms;
	bool applied;
};
/* Apply a page of items in one transaction and keep cursor (meta
 * "feed.cursor"); items already here are skipped.  n_applied counts the
 * items that changed an envelope. */
int store_feed_apply(struct store *s, const struct feed_item *items, size_t n, const char *cursor,
		     size_t *n_applied, struct am_error *e);
/* Collections and cancellations the upstream system sent through the feed
 * (device "UPSTREAM") that arrived here since since_ms, newest first, with
 * the envelope as it is here (store/upstream.c). */
struct upstream_status {
	char waybill[32];
	enum event_type type;		/* EV_COLLECTED or EV_CANCELLED */
	int64_t at_ms, received_ms;
	bool applied;			/* the life cycle let it change the envelope */
	char note[256];			/* why not, when not */
	char actor[64];
	char application[REG_FIELD_MAX], postomat[REG_FIELD_MAX];
	enum envelope_state state;	/* here now; ST_NONE when unknown */
};
int store_upstream_status_each(struct store *s, int64_t since_ms,
			       int (*cb)(const struct upstream_status *, void *), void *arg,
			       struct am_error *e);
int store_upstream_status_counts(struct store *s, int64_t since_ms, size_t *collected,
				 size_t *cancelled, struct am_error *e);
/* The working-day calendar the hub's feed brought (malloc'd text, its name
 * in name), or NULL. */
char *store_hub_calendar(struct store *s, char *name, size_t len);
/* The latest item the hub brought for a waybill; AM_REFUSED when none. */
int store_feed_last(struct store *s, const char *waybill, struct feed_row *out, struct am_error *e);

/* ---- backup ------------------------------------------------------------- */
/* Copy the open database to dest with the sqlite3_backup API (consistent
 * while others write). */
int store_backup(struct store *s, const char *dest, struct am_error *e);
/* Replace the database at db_path with the copy in src (checked first). */
int store_restore(const char *src, const char *db_path, struct am_error *e);

#endif
