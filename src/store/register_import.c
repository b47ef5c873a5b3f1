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

/* ---- §26: a new waybill for the application of a lost envelope --------- */

/* The envelopes lost or cancelled here, sorted by application: a line that
 * brings one of their applications again is its duplicate, and the
 * duplicate clock of the lost one closes.  A year holds a few hundred. */
struct lost {
	char application[REG_FIELD_MAX];
	char waybill[32];
};

static int lost_cmp(const void *a, const void *b)
{
	return strcmp(((const struct lost *)a)->application, ((const struct lost *)b)->application);
}

static int lost_load(struct store *s, struct lost **out, size_t *n, struct am_error *e)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int step, rc;
	*out = NULL;
	*n = 0;
	if ((rc = db_prepare(s, &st, "SELECT application, waybill FROM envelope"
			     " WHERE state IN ('lost', 'cancelled') AND application <> ''", e)))
		return rc;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			struct lost *v = realloc(*out, (cap = cap ? cap * 2 : 16) * sizeof *v);
			if (!v) {
				step = SQLITE_NOMEM;
				break;
			}
			*out = v;
		}
		db_text(st, 0, (*out)[*n].application, sizeof (*out)[*n].application);
		db_text(st, 1, (*out)[*n].waybill, sizeof (*out)[*n].waybill);
		(*n)++;
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE) {
		free(*out);
		*out = NULL;
		*n = 0;
		return step == SQLITE_NOMEM ? am_fail(e, AM_ENV, _("out of memory"))
					    : db_fail(s, e, _("reading envelopes"));
	}
	if (*n > 1)
		qsort(*out, *n, sizeof **out, lost_cmp);
	return 0;
}

static int duplicate_arrived(struct store *s, const struct lost *lost, size_t n_lost,
			     const struct register_line *l, int64_t at, const struct event_ctx *ctx,
			     struct am_error *e)
{
	if (!n_lost || !l->application[0])
		return 0;
	size_t lo = 0, hi = n_lost;	/* the first with this application */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(lost[mid].application, l->application) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	int rc = 0;
	for (size_t i = lo; i < n_lost && !rc && !strcmp(lost[i].application, l->application); i++)
		if (strcmp(lost[i].waybill, l->waybill))
			rc = clock_close(s, CLOCK_DUPLICATE, lost[i].waybill, "", at, ctx, e);
	return rc;
}

/* ---- one inbound line -------------------------------------------------- */

static char *registered_payload_json(const struct register_line *l)
{
	return payload_pack("{s:s, s:s, s:s, s:s}", "application", l->application,
			    "postomat", l->postomat, "city", l->city, "to", "registered");
}

/* The "registered" payload, written as jansson writes it (payload.c).  The
 * IIN stays out: logs never hold it in clear. */
static char *registered_payload(const struct register_line *l)
{
	struct pbuf b;
	pb_start(&b);
	pb_str(&b, "application", l->application);
	pb_str(&b, "city", l->city);
	pb_str(&b, "postomat", l->postomat);
	pb_str(&b, "to", "registered");
	const char *fast = pb_end(&b);
#ifdef __SANITIZE_ADDRESS__
	char *slow = registered_payload_json(l);
	pb_check(fast, slow);
	free(slow);
#endif
	return fast ? strdup(fast) : registered_payload_json(l);
}

/* ---- a chunk of lines in one statement per table ------------------------ */

/*
 * A slice writes its lines CHUNK at a time: one INSERT of CHUNK rows into
 * register_line, one into envelope, one of their events (event.c,
 * event_append_many), where a statement per row cost SQLite a third more
 * per row.  The statement of CHUNK rows is kept; a shorter last chunk is
 * prepared for its one use.
 */
#define CHUNK 32
#define LINE_COLS "INSERT INTO register_line(register_id, line, waybill, application, postomat, city, iin) VALUES "
#define LINE_ROW "(?,?,?,?,?,?,?)"
#define ENVELOPE_COLS "INSERT INTO envelope(waybill, state, register_id, application, postomat, city, iin," \
	" updated_at) VALUES "
#define ENVELOPE_ROW "(?,'registered',?,?,?,?,?,?)"

/* The statement of n rows (n <= CHUNK): the cached one for CHUNK, whose
 * text full (a static buffer: the cache knows a statement by its text's
 * address) is made on first use; another made here for its one use. */
static int rows_stmt(struct store *s, sqlite3_stmt **st, char *full, size_t cap, const char *head,
		     const char *row, size_t n, struct am_error *e)
{
	if (n == CHUNK) {
		if (!full[0] && !sql_rows(full, cap, head, row, CHUNK))
			return am_fail(e, AM_ENV, _("out of memory"));
		return db_cached(s, st, full, e);
	}
	char *part = malloc(cap);
	if (!part)
		return am_fail(e, AM_ENV, _("out of memory"));
	int rc = sql_rows(part, cap, head, row, n) ? db_prepare(s, st, part, e) : am_fail(e, AM_ENV, _("out of memory"));
	free(part);
	return rc;
}

/* Lines from i to i + n - 1 (n <= CHUNK) into register_line. */
static int lines_insert(struct store *s, const struct reg *r, size_t i, size_t n, struct am_error *e)
{
	static char full[sizeof LINE_COLS + CHUNK * sizeof LINE_ROW];
	sqlite3_stmt *st;
	int rc = rows_stmt(s, &st, full, sizeof full, LINE_COLS, LINE_ROW, n, e);
	if (rc)
		return rc;
	for (size_t k = 0; k < n; k++) {
		const struct register_line *l = &r->lines[i + k];
		int b = (int)k * 7;
		sqlite3_bind_text(st, b + 1, r->id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, b + 2, (sqlite3_int64)(i + k) + 1);
		sqlite3_bind_text(st, b + 3, l->waybill, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, b + 4, l->application, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, b + 5, l->postomat, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, b + 6, l->city, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, b + 7, l->iin, -1, SQLITE_STATIC);
	}
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(s, e, _("saving a register line"));
	db_done(s, st);
	return rc;
}

/* Which of the chunk's waybills is an envelope already (the insert was
 * refused for one of them): lines_check found none, so another amanat
 * imported it meanwhile. */
static int envelope_taken(struct store *s, const struct reg *r, size_t i, size_t n, struct am_error *e)
{
	for (size_t k = 0; k < n; k++) {
		struct envelope v;
		struct am_error ignore;
		if (store_envelope_get(s, r->lines[i + k].waybill, &v, &ignore) == 0)
			return am_fail(e, AM_REFUSED, _("waybill %s is already on another register here: nothing was imported"),
				       r->lines[i + k].waybill);
	}
	return am_fail(e, AM_REFUSED, _("waybill %s is already on another register here: nothing was imported"),
		       r->lines[i].waybill);
}

/* Lines from i to i + n - 1 (n <= CHUNK) of an inbound register: their
 * envelopes, in "registered", and each one's "registered" event. */
static int envelopes_insert(struct store *s, const struct reg *r, size_t i, size_t n,
			    const struct event_ctx *ctx, int64_t now, struct am_error *e)
{
	static char full[sizeof ENVELOPE_COLS + CHUNK * sizeof ENVELOPE_ROW];
	sqlite3_stmt *st;
	int rc = rows_stmt(s, &st, full, sizeof full, ENVELOPE_COLS, ENVELOPE_ROW, n, e);
	if (rc)
		return rc;
	for (size_t k = 0; k < n; k++) {
		const struct register_line *l = &r->lines[i + k];
		int b = (int)k * 7;
		sqlite3_bind_text(st, b + 1, l->waybill, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, b + 2, r->id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, b + 3, l->application, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, b + 4, l->postomat, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, b + 5, l->city, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, b + 6, l->iin, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, b + 7, now);
	}
	int step = sqlite3_step(st);
	db_done(s, st);
	if ((step & 0xff) == SQLITE_CONSTRAINT)
		return envelope_taken(s, r, i, n, e);
	if (step != SQLITE_DONE)
		return db_fail(s, e, _("saving an envelope"));
	const char *waybills[CHUNK];
	char *payloads[CHUNK];
	size_t made = 0;
	for (; made < n; made++) {
		waybills[made] = r->lines[i + made].waybill;
		if (!(payloads[made] = registered_payload(&r->lines[i + made])))
			break;
	}
	rc = made < n ? am_fail(e, AM_ENV, _("out of memory"))
		: event_append_many(s, EV_REGISTERED, n, waybills, r->id, payloads, ctx, e);
	for (size_t k = 0; k < made; k++)
		free(payloads[k]);
	return rc;
}

/* ---- before the first slice: refusals that would leave half a register -- */

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
	int rc = db_prepare(s, &st, "SELECT e.waybill FROM json_each(?) j JOIN envelope e ON e.waybill = j.value"
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

/* stored_state for the start of each slice: where this import stopped
 * (next), unless another amanat went on with the same file meanwhile
 * (then counted again).  Not a count of the lines per slice: a big
 * register would cost n^2. */
static int slice_state(struct store *s, const struct reg *r, size_t next, int *state, size_t *done,
		       struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_cached(s, &st, "SELECT imported_at, EXISTS (SELECT 1 FROM register_line"
			   " WHERE register_id = ?1 AND waybill = ?2) FROM register WHERE id = ?1", e);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, r->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, next < r->n_lines ? r->lines[next].waybill : "", -1, SQLITE_STATIC);
	int step = sqlite3_step(st);
	bool moved = step != SQLITE_ROW || sqlite3_column_int64(st, 0) != 0 || sqlite3_column_int(st, 1);
	db_done(s, st);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return db_fail(s, e, _("reading the register"));
	if (step == SQLITE_DONE && next == 0) {	/* nothing yet: the first slice */
		*state = 0;
		*done = 0;
		return 0;
	}
	if (moved)
		return stored_state(s, r, state, done, e);
	*state = 2;
	*done = next;
	return 0;
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
 * chunked as the whole file would be. */
static int slice_lines(struct store *s, const struct reg *r, const struct event_ctx *ctx,
		       int64_t now, size_t *next, bool *yield, struct am_error *e)
{
	int64_t began = mono_ms();
	int rc = 0;
	bool ask = *yield;	/* false after a waiter that did not go */
	*yield = false;
	while (*next < r->n_lines && !rc) {
		size_t i = *next, n = CHUNK - i % CHUNK;
		if (n > r->n_lines - i)
			n = r->n_lines - i;
		*next += n;
		if (!(rc = lines_insert(s, r, i, n, e)) && r->kind == REG_INBOUND)
			rc = envelopes_insert(s, r, i, n, ctx, now, e);
		if (!s->batch && ((ask && (*yield = turn_someone_waits(s))) || mono_ms() - began >= SLICE_MS))
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

/* The slices from line next on; each one a transaction, and the finish. */
static int import_slices(struct store *s, const struct reg *r, const struct event_ctx *ctx,
			 size_t next, struct am_error *e)
{
	struct lost *lost = NULL;
	size_t n_lost = 0;
	int64_t now = db_now(ctx);
	int rc, state;
	if ((rc = lines_check(s, r, next, e)))
		return rc;
	if (r->kind == REG_INBOUND && (rc = lost_load(s, &lost, &n_lost, e)))
		return rc;
	bool bulk = r->kind == REG_INBOUND && bulk_possible(s), yield = true, on = true;
	struct am_error ignore;
	bool unsynced = !s->batch && !s->bulk && sqlite3_get_autocommit(s->db) && set_sync(s, true, &ignore) == 0;
	for (;;) {
		size_t done;
		if (next == r->n_lines && unsynced) {	/* the finish, synced */
			if ((rc = set_sync(s, false, e)))
				break;
			unsynced = false;
		}
		if ((rc = db_begin(s, e)))
			break;
		/* under the write lock: another amanat may have gone on with it */
		if ((rc = slice_state(s, r, next, &state, &done, e)))
			goto fail;
		if (state == 1) {	/* finished by the other one */
			db_rollback(s);
			break;
		}
		next = done;
		if (state == 0 && (rc = row_insert(s, r, 0, 0, e)))
			goto fail;
		size_t first = next;
		if (bulk && next < r->n_lines)
			triggers(s, &on, false);
		rc = slice_lines(s, r, ctx, now, &next, &yield, e);
		if (!bulk && !rc && r->kind == REG_INBOUND)	/* the triggers counted them */
			rc = count_registered(s, -(int64_t)(next - first), e);
		/* §26, with every trigger: a line that brings a lost envelope's
		 * application again closes that one's duplicate clock */
		for (size_t i = first; i < next && !rc && n_lost; i++) {
			triggers(s, &on, true);
			rc = duplicate_arrived(s, lost, n_lost, &r->lines[i], r->formed_at, ctx, e);
		}
		if (rc)
			goto fail;
		bool finish = next == r->n_lines && !unsynced;
		if (finish) {
			triggers(s, &on, true);
			if ((rc = finish_import(s, r, now, ctx, e)))
				goto fail;
		}
		if ((rc = db_commit(s, e)) || finish)
			break;
		if (next == r->n_lines)	/* on to the finish at once */
			continue;
		if (yield)	/* until the waiting ones have the lock */
			yield = turn_give(s, TURN_GIVE_MS);
		else {		/* a gap for one that does not show its wait */
			usleep(SLICE_PAUSE_US);
			yield = true;
		}
	}
	triggers(s, &on, true);
	if (unsynced)
		set_sync(s, false, &ignore);
	free(lost);
	return rc;
fail:
	triggers(s, &on, true);
	db_rollback(s);
	if (unsynced)
		set_sync(s, false, &ignore);
	free(lost);
	return rc;
}

int store_register_import(struct store *s, const struct reg *r, const struct event_ctx *ctx,
			  struct am_error *e)
{
	int rc, state;
	size_t done;
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
	return import_slices(s, r, ctx, done, e);
}
