/*
 * register_import.c - a register file into the store: the register row, its
 * lines, for an inbound register an envelope and a "registered" event per
 * line (each in the hash chain), and the register's clocks.  One
 * transaction, so a register is there whole or not at all.
 *
 * Speed: a busy point imports registers of 10,000 lines and more while
 * clerks scan.  Nothing is asked of the database per line that can be
 * asked once per file: the statements are prepared once, the envelopes
 * lost earlier (§26 duplicates) are read once, and the event's payload is
 * written straight into a buffer rather than through a JSON tree.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "amanat/i18n.h"
#include "amanat/text.h"
#include "amanat/timeutil.h"
#include "store_internal.h"

static int row_insert(struct store *s, const struct reg *r, int64_t imported, int64_t finished,
		      struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(s, &st, "INSERT INTO register(id, kind, sender, receiver, formed_at,"
			    " imported_at, finished_at) VALUES (?,?,?,?,?,?,?)", e);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, r->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, register_kind_name(r->kind), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, r->from, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, r->to, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, r->formed_at);
	sqlite3_bind_int64(st, 6, imported);
	sqlite3_bind_int64(st, 7, finished);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(s, e, _("saving the register"));
	sqlite3_finalize(st);
	return rc;
}

static int line_insert(struct store *s, const struct reg *r, size_t i, struct am_error *e)
{
	sqlite3_stmt *st;
	const struct register_line *l = &r->lines[i];
	int rc = db_cached(s, &st, "INSERT INTO register_line(register_id, line, waybill, application,"
			   " postomat, city, iin) VALUES (?,?,?,?,?,?,?)", e);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, r->id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)i + 1);
	sqlite3_bind_text(st, 3, l->waybill, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, l->application, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, l->postomat, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, l->city, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, l->iin, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(s, e, _("saving a register line"));
	db_done(s, st);
	return rc;
}

int register_insert(struct store *s, const struct reg *r, int64_t now, int64_t finished,
		    struct am_error *e)
{
	int rc = row_insert(s, r, now, finished, e);
	for (size_t i = 0; i < r->n_lines && !rc; i++)
		rc = line_insert(s, r, i, e);
	return rc;
}

/* ---- before the first slice: refusals that would leave half a register -- */

/* Whether any envelope here has a waybill between the least and the
 * greatest of the lines' from first on (strcmp's order is the index's,
 * BINARY).  None (a new register's serials past the point's envelopes, a
 * first register): no line can name one, and lines_check asks no more
 * (its statement over every line was 11-17 ms at 100,000 lines). */
static int envelopes_between(struct store *s, const struct reg *r, size_t first, bool *any,
			     struct am_error *e)
{
	const char *lo = r->lines[first].waybill, *hi = lo;
	for (size_t i = first + 1; i < r->n_lines; i++) {
		const char *w = r->lines[i].waybill;
		if (strcmp(w, lo) < 0)
			lo = w;
		else if (strcmp(w, hi) > 0)
			hi = w;
	}
	sqlite3_stmt *st;
	int rc = db_cached(s, &st, "SELECT 1 FROM envelope WHERE waybill BETWEEN ?1 AND ?2 LIMIT 1", e);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, lo, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, hi, -1, SQLITE_STATIC);
	int step = sqlite3_step(st);
	*any = step == SQLITE_ROW;
	db_done(s, st);
	return step == SQLITE_ROW || step == SQLITE_DONE ? 0 : db_fail(s, e, _("reading envelopes"));
}

/* Every line from first on checked against the envelopes here, before
 * anything is written: a refusal found in the tenth slice would leave the
 * first nine committed and hidden for good (another file under the same id
 * is refused as "partly imported").  An inbound line may not name an
 * envelope of another register; a return line must name an envelope this
 * point has. */
static int lines_check(struct store *s, const struct reg *r, size_t first, struct am_error *e)
{
	if (r->kind != REG_INBOUND) {
		for (size_t i = first; i < r->n_lines; i++) {
			struct envelope v;
			if (store_envelope_get(s, r->lines[i].waybill, &v, e))
				return am_fail(e, AM_REFUSED, _("item %zu: %s is not an envelope known here: a return register lists envelopes this point received"), i + 1, r->lines[i].waybill);
		}
		return 0;
	}
	if (first >= r->n_lines)	/* every line written already */
		return 0;
	bool any;
	int rc = envelopes_between(s, r, first, &any, e);
	if (rc || !any)
		return rc;
	/* one statement for all lines: a statement per line was a tenth of
	 * the import's time */
	size_t cap = 2 + (r->n_lines - first) * (2 * sizeof r->lines[0].waybill + 3), n = 0;
	char *list = malloc(cap);
	if (!list)
		return am_fail(e, AM_ENV, _("out of memory"));
	list[n++] = '[';
	for (size_t i = first; i < r->n_lines; i++) {
		list[n++] = i > first ? ',' : ' ';
		list[n++] = '"';
		for (const char *c = r->lines[i].waybill; *c; c++) {
			if (*c == '"' || *c == '\\')
				list[n++] = '\\';
			list[n++] = *c;
		}
		list[n++] = '"';
	}
	list[n++] = ']';
	sqlite3_stmt *st;
	rc = db_prepare(s, &st, "SELECT e.waybill FROM json_each(?) j JOIN envelope e ON e.waybill = j.value"
			    " WHERE e.register_id <> ? ORDER BY j.key LIMIT 1", e);
	if (!rc) {
		sqlite3_bind_text(st, 1, list, (int)n, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, r->id, -1, SQLITE_STATIC);
		int step = sqlite3_step(st);
		if (step == SQLITE_ROW)
			rc = am_fail(e, AM_REFUSED, _("waybill %s is already on another register here: nothing was imported"),
				     (const char *)sqlite3_column_text(st, 0));
		else if (step != SQLITE_DONE)
			rc = db_fail(s, e, _("reading envelopes"));
		sqlite3_finalize(st);
	}
	free(list);
	return rc;
}

/* ---- lines without per-row triggers ------------------------------------- */

/*
 * Per line a slice writes three rows (the line, its envelope, its
 * "registered" event) and SQLite would run the insert triggers for each:
 * a trigger program costs more than the row it counts (a frame allocated
 * per row; about 60% of an import's CPU was triggers).  So a slice's lines
 * go in with triggers off on this connection (other connections are not
 * touched) and their work is done once: envelope_count gets the register's
 * envelopes in one update when it is finished (count_registered);
 * shift_work_count counts no "registered" event (its WHEN).  That holds only for the triggers known here: with any
 * other insert trigger on these tables (a later migration) the lines go in
 * the slow way, with every trigger; `amanat verify` checks both counts
 * against the log and the envelope table (tests/cli/import_kill.sh).
 */
static bool bulk_possible(struct store *s)
{
	sqlite3_stmt *st;
	struct am_error ignore;
	if (db_cached(s, &st, "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'"
		      " AND tbl_name IN ('register', 'register_line', 'envelope', 'event')"
		      " AND sql LIKE '%INSERT ON%'"
		      " AND name NOT IN ('envelope_count_insert', 'shift_work_count')", &ignore))
		return false;
	bool ok = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int64(st, 0) == 0;
	db_done(s, st);
	return ok;
}

/* Triggers on or off for this connection.  A change expires every
 * statement the connection has prepared (SQLite prepares each again on its
 * next use: a thirtieth of an import's CPU when it was done twice a
 * slice), so it is made only where the setting differs: off for a run of
 * slices, on for what needs every trigger (§26 duplicates, the finish) and
 * when the import returns. */
static void triggers(struct store *s, bool *now_on, bool on)
{
	int was = -1;
	if (*now_on == on)
		return;
	sqlite3_db_config(s->db, SQLITE_DBCONFIG_ENABLE_TRIGGER, on ? 1 : 0, &was);
	*now_on = on;
}

/* envelope_count's "registered" moved by n.  A register's envelopes count
 * from the slice that finishes it on: hidden ones are not shown anywhere
 * (a kill leaves nothing visible), the counts on screens included; verify
 * counts the same way. */
static int count_registered(struct store *s, int64_t n, struct am_error *e)
{
	sqlite3_stmt *st;
	if (!n)
		return 0;
	/* envelope_count is a view of log_head (schema 19) */
	int rc = db_cached(s, &st, "INSERT INTO log_head(kind, name, n) VALUES (1, ?, ?)"
			   " ON CONFLICT(kind, shift, name) DO UPDATE SET n = n + excluded.n", e);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, state_name(ST_REGISTERED), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, n);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(s, e, _("saving an envelope"));
	db_done(s, st);
	return rc;
}

/* ---- the register ------------------------------------------------------- */

static int waybill_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The same waybills in both (neither holds one twice: register_validate). */
static bool same_waybills(const struct reg *a, const struct reg *b)
{
	if (a->n_lines != b->n_lines)
		return false;
	const char **x = malloc(2 * a->n_lines * sizeof *x);
	if (!x)
		return false;
	const char **y = x + a->n_lines;
	for (size_t i = 0; i < a->n_lines; i++) {
		x[i] = a->lines[i].waybill;
		y[i] = b->lines[i].waybill;
	}
	qsort(x, a->n_lines, sizeof *x, waybill_cmp);
	qsort(y, b->n_lines, sizeof *y, waybill_cmp);
	bool same = true;
	for (size_t i = 0; same && i < a->n_lines; i++)
		same = strcmp(x[i], y[i]) == 0;
	free(x);
	return same;
}

static int same_register(struct store *s, const struct reg *r, bool *same, struct am_error *e)
{
	struct register_info info;
	struct reg old;
	int rc = store_register_get(s, r->id, &info, &old, e);
	if (rc)
		return rc;
	*same = info.kind == r->kind && info.formed_at == r->formed_at && !strcmp(info.from, r->from)
		&& !strcmp(info.to, r->to) && same_waybills(&old, r);
	register_free(&old);
	return 0;
}

/*
 * A big register goes in slices, each its own committed transaction, so
 * that a scan (this terminal's UI, another clerk's, a sync's
 * acknowledgements) waits for a few rows, not for the whole file: a slice
 * ends as soon as another writer waits for the lock (turn.c), and after
 * SLICE_MS in any case.  The first slice writes the register row with
 * imported_at 0, which hides it from every reader (register.c) and from
 * scans; each slice holds whole lines (the line, its envelope, its event);
 * the last one opens the register's clocks and sets imported_at.  For the
 * user it stays one step: a kill between slices leaves a hidden register,
 * and importing the same file again goes on from the first line not yet
 * there.  Inside a batch (one transaction the caller holds) nothing is
 * sliced.
 */
#define SLICE_MS 100
#define SLICE_PAUSE_US 2000	/* the gap in which a waiting scan gets the lock */

/* What is stored under r's id: nothing (0), a finished import (1), or one
 * under way or cut short (2) with *done of its lines there. */
static int stored_state(struct store *s, const struct reg *r, int *state, size_t *done,
			struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_cached(s, &st, "SELECT imported_at, kind, sender, receiver, formed_at,"
			   " (SELECT count(*) FROM register_line WHERE register_id = ?1)"
			   " FROM register WHERE id = ?1", e);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, r->id, -1, SQLITE_STATIC);
	int step = sqlite3_step(st);
	*state = 0;
	*done = 0;
	if (step == SQLITE_ROW) {
		*state = sqlite3_column_int64(st, 0) ? 1 : 2;
		*done = (size_t)sqlite3_column_int64(st, 5);
		const char *kind = (const char *)sqlite3_column_text(st, 1);
		const char *from = (const char *)sqlite3_column_text(st, 2);
		const char *to = (const char *)sqlite3_column_text(st, 3);
		/* a cut-short import goes on only with the same file */
		if (*state == 2 && (!kind || strcmp(kind, register_kind_name(r->kind)) || !from || strcmp(from, r->from) ||
				    !to || strcmp(to, r->to) || sqlite3_column_int64(st, 4) != r->formed_at || *done > r->n_lines))
			rc = am_fail(e, AM_REFUSED, _("register %s was partly imported from another file: import that file again to finish it"), r->id);
	} else if (step != SQLITE_DONE) {
		rc = db_fail(s, e, _("reading the register"));
	}
	db_done(s, st);
	return rc;
}

/* The lines already there are the file's first *done lines, in order. */
static int same_prefix(struct store *s, const struct reg *r, size_t done, struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(s, &st, "SELECT line, waybill FROM register_line WHERE register_id = ? ORDER BY line", e);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, r->id, -1, SQLITE_STATIC);
	size_t i = 0;
	while (!rc && sqlite3_step(st) == SQLITE_ROW) {
		const char *w = (const char *)sqlite3_column_text(st, 1);
		if (i >= done || sqlite3_column_int64(st, 0) != (sqlite3_int64)i + 1 || !w || strcmp(w, r->lines[i].waybill))
			rc = am_fail(e, AM_REFUSED, _("register %s was partly imported from another file: import that file again to finish it"), r->id);
		i++;
	}
	sqlite3_finalize(st);
	return rc;
}

/* Milliseconds on the monotonic clock (now_ms may be a fixed AMANAT_NOW). */
static int64_t mono_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Where an import under way has got to: meta "import_lines <id>", the
 * lines written so far, moved by every slice in its own transaction.  A
 * job that finds it where it left it knows nobody else wrote a line of
 * this register meanwhile, whatever lines anyone wrote: another job on
 * the same file (the inbox and a sync in one process, or two processes)
 * or on another file that has the same header but other lines. */
#define PROGRESS_KEY "import_lines "

static int progress_set(struct store *s, const struct reg *r, size_t done, bool finished,
			struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = finished ? db_cached(s, &st, "DELETE FROM meta WHERE key = '" PROGRESS_KEY "' || ?1", e)
		: db_cached(s, &st, "INSERT INTO meta(key, value) VALUES ('" PROGRESS_KEY "' || ?1, ?2)"
			    " ON CONFLICT(key) DO UPDATE SET value = excluded.value", e);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, r->id, -1, SQLITE_STATIC);
	if (!finished)
		sqlite3_bind_int64(st, 2, (sqlite3_int64)done);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(s, e, _("saving the register"));
	db_done(s, st);
	return rc;
}

/* stored_state for the start of each slice: where this import stopped
 * (next), unless another job went on with this register meanwhile (then
 * counted again, and the lines it wrote must be this file's).  Not a count
 * of the lines per slice: a big register would cost n^2. */
static int slice_state(struct store *s, const struct reg *r, size_t next, int *state, size_t *done,
		       struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_cached(s, &st, "SELECT imported_at, (SELECT CAST(value AS INTEGER) FROM meta"
			   " WHERE key = '" PROGRESS_KEY "' || ?1) FROM register WHERE id = ?1", e);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, r->id, -1, SQLITE_STATIC);
	int step = sqlite3_step(st);
	bool moved = step != SQLITE_ROW || sqlite3_column_int64(st, 0) != 0 ||
		     sqlite3_column_type(st, 1) == SQLITE_NULL || sqlite3_column_int64(st, 1) != (sqlite3_int64)next;
	db_done(s, st);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return db_fail(s, e, _("reading the register"));
	if (step == SQLITE_DONE && next == 0) {	/* nothing yet: the first slice */
		*state = 0;
		*done = 0;
		return 0;
	}
	if (!moved) {
		*state = 2;
		*done = next;
		return 0;
	}
	if ((rc = stored_state(s, r, state, done, e)))
		return rc;
	/* lines another job wrote: this file's, or this job stops here */
	return *state == 2 && *done != next ? same_prefix(s, r, *done, e) : 0;
}

/* The last slice: the register's clocks, and it is there for everyone. */
static int finish_import(struct store *s, const struct reg *r, int64_t now,
			 const struct event_ctx *ctx, struct am_error *e)
{
	int rc = r->kind == REG_INBOUND ? count_registered(s, (int64_t)r->n_lines, e) : 0;
	if (!rc)
		rc = r->kind == REG_INBOUND ? clock_open(s, CLOCK_TO_POINT, "", r->id, r->formed_at, ctx, e)
		 : clock_open(s, CLOCK_PICKUP_RETURNS, "", r->id, r->formed_at, ctx, e);
	if (!rc && r->kind == REG_INBOUND)
		rc = clock_open(s, CLOCK_COURIER_DELIVERY, "", r->id, r->formed_at, ctx, e);
	if (rc)
		return rc;
	sqlite3_stmt *st;
	if ((rc = db_prepare(s, &st, "UPDATE register SET imported_at = ? WHERE id = ?", e)))
		return rc;
	sqlite3_bind_int64(st, 1, now ? now : 1);
	sqlite3_bind_text(st, 2, r->id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(s, e, _("saving the register"));
	sqlite3_finalize(st);
	return rc;
}

/* One slice's lines, from *next on, a chunk at a time, until someone waits
 * for the lock (*yield) or the slice's time is up.  The chunks end on
 * multiples of CHUNK, so a slice that goes on where another stopped is
 * chunked as the whole file would be.  Whether someone waits is asked
 * after the first chunk and every ASK_CHUNKS after it (128 lines, half a
 * millisecond): two flock calls after every chunk were 6,300 system calls
 * in 100,000 lines. */
#define ASK_CHUNKS 4
static int slice_lines(struct store *s, const struct reg *r, const struct event_ctx *ctx,
		       int64_t now, int budget_ms, size_t *next, bool *yield, struct am_error *e)
{
	int64_t began = mono_ms();
	int rc = 0;
	bool ask = *yield;	/* false after a waiter that did not go */
	*yield = false;
	for (unsigned k = 0; *next < r->n_lines && !rc; k++) {
		size_t i = *next, n = REGISTER_CHUNK - i % REGISTER_CHUNK;
		if (n > r->n_lines - i)
			n = r->n_lines - i;
		*next += n;
		if (!(rc = register_lines_insert(s, r, i, n, e)) && r->kind == REG_INBOUND)
			rc = register_envelopes_insert(s, r, i, n, ctx, now, e);
		if (!s->batch && ((ask && k % ASK_CHUNKS == 0 && (*yield = turn_someone_waits(s))) ||
				  mono_ms() - began >= budget_ms))
			break;
	}
	return rc;
}

/*
 * The slices' commits are not synced (synchronous=NORMAL on this
 * connection): a slice is hidden until the finish, so a power cut that
 * loses the newest slices loses nothing anyone saw, and the same file
 * goes on from the lines that are there.  The finish (the register's
 * counts, clocks and imported_at) is its own small transaction, committed
 * with synchronous=FULL: its sync makes every slice before it durable (the
 * WAL is one file, synced whole), so a register reported imported is on
 * disk.  An fsync per slice was a third of a big import's time on a busy
 * disk, and a scan waiting for the lock waited for it.  A scan's commit
 * after an unsynced slice syncs that slice with its own.  Inside a batch
 * (one transaction the caller holds) nothing changes.
 */
static int set_sync(struct store *s, bool normal, struct am_error *e)
{
	return db_exec(s, normal ? "PRAGMA synchronous=NORMAL" : "PRAGMA synchronous=FULL", e);
}

/*
 * An import under way: what store_import_step needs between its slices.
 * store_register_import runs the steps back to back (keeping triggers off
 * and the slices unsynced between them); a poll loop runs one step at a
 * time with its own work (a scan, a key) between them, so each step puts
 * the connection back as it found it.
 */
struct store_import {
	struct store *s;
	const struct reg *r;		/* the caller's, or owned */
	struct reg owned;		/* taken by store_import_start */
	struct event_ctx ctx;
	char actor[64], place[64];
	struct register_lost *lost;
	size_t n_lost, next;
	int64_t now;
	bool bulk, yield, on, unsynced, keep, done;
};

/* The connection as the caller had it: every trigger, synced commits. */
static void import_settle(struct store_import *im)
{
	struct am_error ignore;
	triggers(im->s, &im->on, true);
	if (im->unsynced)
		set_sync(im->s, false, &ignore);
	im->unsynced = false;
}

/* One slice (a transaction) of at most about budget_ms, or the finish. */
static int import_step(struct store_import *im, int budget_ms, struct am_error *e)
{
	struct store *s = im->s;
	const struct reg *r = im->r;
	struct am_error ignore;
	int rc, state;
	size_t done;
	if (im->done)
		return 0;
	if (im->next < r->n_lines && !im->unsynced)
		im->unsynced = !s->batch && !s->bulk && sqlite3_get_autocommit(s->db) && set_sync(s, true, &ignore) == 0;
	else if (im->next == r->n_lines && im->unsynced) {	/* the finish, synced */
		if ((rc = set_sync(s, false, e)))
			return rc;
		im->unsynced = false;
	}
	if ((rc = db_begin(s, e)))
		return rc;
	/* under the write lock: another amanat may have gone on with it */
	if ((rc = slice_state(s, r, im->next, &state, &done, e)))
		goto fail;
	if (state == 1) {	/* finished by the other one */
		db_rollback(s);
		im->done = true;
		return 0;
	}
	im->next = done;
	if (state == 0 && (rc = row_insert(s, r, 0, 0, e)))
		goto fail;
	size_t first = im->next;
	if (im->bulk && im->next < r->n_lines)
		triggers(s, &im->on, false);
	rc = slice_lines(s, r, &im->ctx, im->now, budget_ms, &im->next, &im->yield, e);
	if (!im->bulk && !rc && r->kind == REG_INBOUND)	/* the triggers counted them */
		rc = count_registered(s, -(int64_t)(im->next - first), e);
	/* §26, with every trigger: a line that brings a lost envelope's
	 * application again closes that one's duplicate clock */
	for (size_t i = first; i < im->next && !rc && im->n_lost; i++) {
		triggers(s, &im->on, true);
		rc = register_duplicate_arrived(s, im->lost, im->n_lost, &r->lines[i], r->formed_at, &im->ctx, e);
	}
	if (rc)
		goto fail;
	bool finish = im->next == r->n_lines && !im->unsynced;
	if (finish) {
		triggers(s, &im->on, true);
		if ((rc = finish_import(s, r, im->now, &im->ctx, e)))
			goto fail;
	}
	if ((rc = progress_set(s, r, im->next, finish, e)))
		goto fail;
	if ((rc = db_commit(s, e)))
		return rc;
	im->done = finish;
	/* A big import's WAL (16 MiB and more: 27,000 lines) is copied back by
	 * the import: left to the next writer, copying it (100 ms at 100,000
	 * lines) held up a scan's commit as long.  A smaller one is left to
	 * that writer or to the terminal's idle time, not added to the
	 * clerk's wait (20 ms at 10,000 lines). */
	if (finish)
		db_checkpoint_busy(s, 4096);
	return 0;
fail:
	db_rollback(s);
	return rc;
}

void store_import_free(struct store_import *im)
{
	if (!im)
		return;
	import_settle(im);
	free(im->lost);
	register_free(&im->owned);
	free(im);
}

int store_import_step(struct store_import *im, int budget_ms, bool *done, struct am_error *e)
{
	int rc = import_step(im, budget_ms, e);
	if (!im->keep)
		import_settle(im);
	*done = im->done;
	return rc;
}

size_t store_import_lines(const struct store_import *im, size_t *total)
{
	*total = im->r->n_lines;
	return im->next;
}

/* Everything before the first slice: refusals, the lost envelopes; *out
 * NULL when the same register is here already.  r is borrowed. */
static int import_begin(struct store *s, const struct reg *r, const struct event_ctx *ctx,
			struct store_import **out, struct am_error *e)
{
	int rc, state;
	size_t done;
	*out = NULL;
	if ((rc = register_validate(r, &s->rules.waybill, e)) || (rc = stored_state(s, r, &state, &done, e)))
		return rc;
	if (state == 1) {
		bool same;
		if ((rc = same_register(s, r, &same, e)))
			return rc;
		if (same)	/* importing the same file again changes nothing */
			return 0;
		return am_fail(e, AM_REFUSED, _("register %s was already imported with other content: nothing was imported"), r->id);
	}
	if (state == 2 && (rc = same_prefix(s, r, done, e)))
		return rc;
	if (r->kind == REG_INBOUND && s->rules.pilot_end_ms &&
	    (db_now(ctx) >= s->rules.pilot_end_ms || r->formed_at >= s->rules.pilot_end_ms)) {
		/* order §6: no new work after the pilot; what is under way goes on */
		char end[32];
		time_format_human(s->rules.pilot_end_ms - 1, s->rules.offset_min, end, sizeof end);
		end[10] = '\0';
		return am_fail(e, AM_REFUSED, _("register %s refused: the pilot ended on %s (setting 'pilot_end' in the config, order §6); returns, hand-backs and losses go on"),
			       r->id, end);
	}
	if ((rc = lines_check(s, r, done, e)))
		return rc;
	struct store_import *im = calloc(1, sizeof *im);
	if (!im)
		return am_fail(e, AM_ENV, _("out of memory"));
	if (r->kind == REG_INBOUND && (rc = register_lost_load(s, &im->lost, &im->n_lost, e))) {
		free(im);
		return rc;
	}
	im->s = s;
	im->r = r;
	im->ctx.at_ms = ctx ? ctx->at_ms : 0;
	snprintf(im->actor, sizeof im->actor, "%s", ctx && ctx->actor ? ctx->actor : "");
	snprintf(im->place, sizeof im->place, "%s", ctx && ctx->place ? ctx->place : "");
	im->ctx.actor = im->actor;
	im->ctx.place = im->place;
	im->now = db_now(ctx);
	im->next = done;
	im->bulk = r->kind == REG_INBOUND && bulk_possible(s);
	im->yield = im->on = true;
	*out = im;
	return 0;
}

int store_import_start(struct store *s, struct reg *r, const struct event_ctx *ctx,
		       struct store_import **out, struct am_error *e)
{
	int rc = import_begin(s, r, ctx, out, e);
	if (rc || !*out)
		return rc;
	(*out)->owned = *r;	/* the lines are the job's now */
	(*out)->r = &(*out)->owned;
	memset(r, 0, sizeof *r);
	return 0;
}

int store_register_import(struct store *s, const struct reg *r, const struct event_ctx *ctx,
			  struct am_error *e)
{
	struct store_import *im;
	int rc = import_begin(s, r, ctx, &im, e);
	if (rc || !im)
		return rc;
	im->keep = true;	/* triggers off and slices unsynced from one to the next */
	while (!rc && !im->done) {
		rc = import_step(im, SLICE_MS, e);
		if (rc || im->done || im->next == r->n_lines)	/* on to the finish at once */
			continue;
		if (im->yield)	/* until the waiting ones have the lock */
			im->yield = turn_give(s, TURN_GIVE_MS);
		else {		/* a gap for one that does not show its wait */
			usleep(SLICE_PAUSE_US);
			im->yield = true;
		}
	}
	store_import_free(im);
	return rc;
}
