/*
 * register_rows.c - a chunk of a register's lines written in one statement
 * per table (register_import.c writes a register in slices of chunks): the
 * lines, for an inbound register their envelopes and "registered" events;
 * and §26, the lost envelopes whose applications a new register brings.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "amanat/i18n.h"
#include "amanat/text.h"
#include "store_internal.h"

/* ---- one inbound line -------------------------------------------------- */

static char *registered_payload_json(const struct register_line *l)
{
	return payload_pack("{s:s, s:s, s:s, s:s}", "application", l->application,
			    "postomat", l->postomat, "city", l->city, "to", "registered");
}

/* v as a JSON string's contents, as jansson writes it (" and \ escaped),
 * at *at (room for twice its length); false for what jansson would write
 * otherwise (a control character, text that is not UTF-8). */
static bool json_text(char **at, const char *v)
{
	char *o = *at;
	bool ascii = true;
	for (const unsigned char *c = (const unsigned char *)v; *c; c++) {
		if (*c < 0x20 || *c == 0x7f)
			return false;
		if (*c == '"' || *c == '\\')
			*o++ = '\\';
		ascii &= *c < 0x80;
		*o++ = (char)*c;
	}
	if (!ascii && !text_utf8_valid(v, strlen(v)))
		return false;
	*at = o;
	return true;
}

/* The "registered" payload of l at out (REGISTERED_PAYLOAD_MAX bytes),
 * written as jansson writes it (payload.c): the keys in its sorted order,
 * straight into the chunk's buffer (through pbuf and a copy of each it was
 * a tenth of an import's CPU).  The IIN stays out: logs never hold it in
 * clear.  NULL when jansson must write it (then malloc'd: *owned). */
#define REGISTERED_PAYLOAD_MAX ((size_t)3 * 2 * REG_FIELD_MAX + 64)
static char *put_text(char *o, const char *text, size_t n)
{
	memcpy(o, text, n);
	return o + n;
}

static const char *registered_payload(const struct register_line *l, char *out, char **owned)
{
	static const char tail[] = "\",\"to\":\"registered\"}";
	char *o = out;
	*owned = NULL;
	o = put_text(o, "{\"application\":\"", 16);
	bool ok = json_text(&o, l->application);
	o = put_text(o, "\",\"city\":\"", 10);
	ok = ok && json_text(&o, l->city);
	o = put_text(o, "\",\"postomat\":\"", 14);
	ok = ok && json_text(&o, l->postomat);
	put_text(o, tail, sizeof tail);	/* with its '\0' */
#ifdef __SANITIZE_ADDRESS__
	char *slow = registered_payload_json(l);
	pb_check(ok ? out : NULL, slow);
	free(slow);
#endif
	if (ok)
		return out;
	return *owned = registered_payload_json(l);
}

/* ---- a chunk of lines in one statement per table ------------------------ */

/*
 * A slice writes its lines CHUNK (REGISTER_CHUNK) at a time: one INSERT of CHUNK rows into
 * register_line, one into envelope, one of their events (event.c,
 * event_append_many), where a statement per row cost SQLite a third more
 * per row.  What is the same in every row (the register, the time) is one
 * parameter of the statement (?1, ?2), bound once.  The statement of CHUNK
 * rows is kept; a shorter last chunk is prepared for its one use.
 */
#define CHUNK REGISTER_CHUNK
#define LINE_COLS "INSERT INTO register_line(register_id, line, waybill, application, postomat, city, iin) VALUES "
#define LINE_ROW "(?1,?#,?#,?#,?#,?#,?#)"
#define LINE_SHARED 1
#define LINE_EACH 6
/* last_seq: each envelope's list of events (schema 25) starts with its
 * "registered" event, written right after with the next seqs; so that
 * event is linked (prev_seq 0), not in event_waybill. */
#define ENVELOPE_COLS "INSERT INTO envelope(waybill, state, register_id, application, postomat, city, iin," \
	" updated_at, last_seq) VALUES "
#define ENVELOPE_ROW "(?#,'registered',?1,?#,?#,?#,?#,?2,?#)"
#define ENVELOPE_SHARED 2
#define ENVELOPE_EACH 6

/* The statement of n rows (n <= CHUNK): the cached one for CHUNK, whose
 * text full (a static buffer: the cache knows a statement by its text's
 * address) is made on first use; another made here for its one use. */
static int rows_stmt(struct store *s, sqlite3_stmt **st, char *full, size_t cap, const char *head,
		     const char *row, int shared, size_t n, struct am_error *e)
{
	if (n == CHUNK) {
		if (!full[0] && !sql_rows_numbered(full, cap, head, row, CHUNK, shared + 1))
			return am_fail(e, AM_ENV, _("out of memory"));
		return db_cached(s, st, full, e);
	}
	char *part = malloc(cap);
	if (!part)
		return am_fail(e, AM_ENV, _("out of memory"));
	int rc = sql_rows_numbered(part, cap, head, row, n, shared + 1) ? db_prepare(s, st, part, e)
		: am_fail(e, AM_ENV, _("out of memory"));
	free(part);
	return rc;
}

/* Room for a statement of CHUNK rows: each "?#" may become up to "?9999". */
#define ROWS_CAP(head, row) (sizeof(head) + (size_t)CHUNK * (sizeof(row) + (size_t)32))

/* An inbound register's line is its number and its waybill: the rest
 * (application, postomat, city, IIN) is its envelope's, written in the
 * same slice and never changed (store_register_get reads it there).  Half
 * the bytes, four parameters fewer a line.  A return register's lines
 * name envelopes of other registers: they are written whole. */
#define NARROW_COLS "INSERT INTO register_line(register_id, line, waybill) VALUES "
#define NARROW_ROW "(?1,?#,?#)"
#define NARROW_EACH 2

/* Lines from i to i + n - 1 (n <= CHUNK) into register_line. */
int register_lines_insert(struct store *s, const struct reg *r, size_t i, size_t n, struct am_error *e)
{
	static char full[ROWS_CAP(LINE_COLS, LINE_ROW)], narrow[ROWS_CAP(NARROW_COLS, NARROW_ROW)];
	bool inbound = r->kind == REG_INBOUND;
	sqlite3_stmt *st;
	int rc = inbound ? rows_stmt(s, &st, narrow, sizeof narrow, NARROW_COLS, NARROW_ROW, LINE_SHARED, n, e)
		: rows_stmt(s, &st, full, sizeof full, LINE_COLS, LINE_ROW, LINE_SHARED, n, e);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, r->id, -1, SQLITE_STATIC);
	for (size_t k = 0; k < n; k++) {
		const struct register_line *l = &r->lines[i + k];
		int b = LINE_SHARED + (int)k * (inbound ? NARROW_EACH : LINE_EACH);
		sqlite3_bind_int64(st, b + 1, (sqlite3_int64)(i + k) + 1);
		sqlite3_bind_text(st, b + 2, l->waybill, -1, SQLITE_STATIC);
		if (inbound)
			continue;
		sqlite3_bind_text(st, b + 3, l->application, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, b + 4, l->postomat, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, b + 5, l->city, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, b + 6, l->iin, -1, SQLITE_STATIC);
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

/* The chunk's "registered" events: their payloads written into one buffer. */
static int registered_events(struct store *s, const struct reg *r, size_t i, size_t n,
			     const struct event_ctx *ctx, struct am_error *e)
{
	const char *waybills[CHUNK], *payloads[CHUNK];
	char *owned[CHUNK];
	if (n == 0)
		return 0;
	char *buf = malloc(n * REGISTERED_PAYLOAD_MAX);
	if (!buf)
		return am_fail(e, AM_ENV, _("out of memory"));
	size_t made = 0;
	for (; made < n; made++) {
		waybills[made] = r->lines[i + made].waybill;
		payloads[made] = registered_payload(&r->lines[i + made], buf + made * REGISTERED_PAYLOAD_MAX,
						    &owned[made]);
		if (!payloads[made])
			break;
	}
	int rc = made < n ? am_fail(e, AM_ENV, _("out of memory"))
		: event_append_many(s, EV_REGISTERED, n, waybills, r->id, payloads, ctx, true, e);
	for (size_t k = 0; k < made; k++)
		free(owned[k]);
	free(buf);
	return rc;
}

/* Lines from i to i + n - 1 (n <= CHUNK) of an inbound register: their
 * envelopes, in "registered", and each one's "registered" event. */
int register_envelopes_insert(struct store *s, const struct reg *r, size_t i, size_t n,
			    const struct event_ctx *ctx, int64_t now, struct am_error *e)
{
	static char full[ROWS_CAP(ENVELOPE_COLS, ENVELOPE_ROW)];
	sqlite3_stmt *st;
	int64_t first_seq;
	int rc = event_next_seq(s, &first_seq, e);
	if (rc || (rc = rows_stmt(s, &st, full, sizeof full, ENVELOPE_COLS, ENVELOPE_ROW, ENVELOPE_SHARED, n, e)))
		return rc;
	sqlite3_bind_text(st, 1, r->id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	for (size_t k = 0; k < n; k++) {
		const struct register_line *l = &r->lines[i + k];
		int b = ENVELOPE_SHARED + (int)k * ENVELOPE_EACH;
		sqlite3_bind_text(st, b + 1, l->waybill, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, b + 2, l->application, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, b + 3, l->postomat, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, b + 4, l->city, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, b + 5, l->iin, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, b + 6, first_seq + (int64_t)k);
	}
	int step = sqlite3_step(st);
	db_done(s, st);
	if ((step & 0xff) == SQLITE_CONSTRAINT)
		return envelope_taken(s, r, i, n, e);
	if (step != SQLITE_DONE)
		return db_fail(s, e, _("saving an envelope"));
	if ((rc = registered_events(s, r, i, n, ctx, e)))
		return rc;
	int64_t next_seq;	/* the events got the seqs their envelopes name */
	if ((rc = event_next_seq(s, &next_seq, e)) == 0 && next_seq != first_seq + (int64_t)n)
		rc = am_fail(e, AM_ENV, "internal: an import's events out of step with their envelopes");
	return rc;
}


/* ---- §26: a new waybill for the application of a lost envelope --------- */

/* The envelopes lost or cancelled here, sorted by application: a line that
 * brings one of their applications again is its duplicate, and the
 * duplicate clock of the lost one closes.  A year holds a few hundred. */
struct register_lost {
	char application[REG_FIELD_MAX];
	char waybill[32];
};

static int lost_cmp(const void *a, const void *b)
{
	return strcmp(((const struct register_lost *)a)->application, ((const struct register_lost *)b)->application);
}

int register_lost_load(struct store *s, struct register_lost **out, size_t *n, struct am_error *e)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int step, rc;
	*out = NULL;
	*n = 0;
	if ((rc = db_prepare(s, &st, "SELECT application, waybill FROM envelope"
			     " WHERE state IN ('lost', 'cancelled') AND " STATE_LISTED " AND application <> ''", e)))
		return rc;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			struct register_lost *v = realloc(*out, (cap = cap ? cap * 2 : 16) * sizeof *v);
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

int register_duplicate_arrived(struct store *s, const struct register_lost *lost, size_t n_lost,
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
