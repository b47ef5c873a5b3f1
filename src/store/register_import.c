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
#include "amanat/i18n.h"
#include "amanat/text.h"
#include "amanat/timeutil.h"
#include "store_internal.h"

int register_insert(struct store *s, const struct reg *r, int64_t now, int64_t finished,
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
	sqlite3_bind_int64(st, 6, now);
	sqlite3_bind_int64(st, 7, finished);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(s, e, _("saving the register"));
	sqlite3_finalize(st);
	if (rc)
		return rc;
	if ((rc = db_prepare(s, &st, "INSERT INTO register_line(register_id, line, waybill, application,"
			     " postomat, city, iin) VALUES (?,?,?,?,?,?,?)", e)))
		return rc;
	for (size_t i = 0; i < r->n_lines && !rc; i++) {
		const struct register_line *l = &r->lines[i];
		sqlite3_bind_text(st, 1, r->id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)i + 1);
		sqlite3_bind_text(st, 3, l->waybill, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, l->application, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, l->postomat, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, l->city, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 7, l->iin, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = db_fail(s, e, _("saving a register line"));
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
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
					    : db_fail(s, e, _("reading the envelopes"));
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

/* Append v as a JSON string; false when it needs more escaping than \" and
 * \\ (a control character) or is not UTF-8: then jansson writes it. */
static bool json_put(char **p, const char *end, const char *v)
{
	size_t n = strlen(v);
	if (!text_utf8_valid(v, n) || end - *p < (ptrdiff_t)(2 * n + 3))
		return false;
	char *o = *p;
	*o++ = '"';
	for (const unsigned char *c = (const unsigned char *)v; *c; c++) {
		if (*c < 0x20 || *c == 0x7f)
			return false;
		if (*c == '"' || *c == '\\')
			*o++ = '\\';
		*o++ = (char)*c;
	}
	*o++ = '"';
	*p = o;
	return true;
}

/* The "registered" payload exactly as payload_pack writes it (compact, keys
 * sorted): into buf, or NULL when a field needs jansson after all.  The IIN
 * stays out: logs never hold it in clear. */
static const char *registered_payload(const struct register_line *l, char *buf, size_t len)
{
	char *p = buf, *end = buf + len;
	static const char k1[] = "{\"application\":", k2[] = ",\"city\":", k3[] = ",\"postomat\":",
			  k4[] = ",\"to\":\"registered\"}";
	if (len < sizeof k1 + sizeof k2 + sizeof k3 + sizeof k4)
		return NULL;
	memcpy(p, k1, sizeof k1 - 1);
	p += sizeof k1 - 1;
	if (!json_put(&p, end - sizeof k2, l->application))
		return NULL;
	memcpy(p, k2, sizeof k2 - 1);
	p += sizeof k2 - 1;
	if (!json_put(&p, end - sizeof k3, l->city))
		return NULL;
	memcpy(p, k3, sizeof k3 - 1);
	p += sizeof k3 - 1;
	if (!json_put(&p, end - sizeof k4, l->postomat))
		return NULL;
	memcpy(p, k4, sizeof k4);	/* with its NUL */
	return buf;
}

static int create_envelope(struct store *s, const struct reg *r, const struct register_line *l,
			   const struct event_ctx *ctx, int64_t now, struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_cached(s, &st, "INSERT INTO envelope(waybill, state, register_id, application,"
			   " postomat, city, iin, updated_at) VALUES (?,?,?,?,?,?,?,?)", e);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, l->waybill, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, state_name(ST_REGISTERED), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, r->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, l->application, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, l->postomat, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, l->city, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, l->iin, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 8, now);
	int step = sqlite3_step(st);
	db_done(s, st);
	if ((step & 0xff) == SQLITE_CONSTRAINT)
		return am_fail(e, AM_REFUSED, _("waybill %s is already on another register here: nothing was imported"), l->waybill);
	if (step != SQLITE_DONE)
		return db_fail(s, e, _("saving an envelope"));
	char buf[1024];
	const char *payload = registered_payload(l, buf, sizeof buf);
	char *slow = NULL;
	if (!payload) {
		slow = payload_pack("{s:s, s:s, s:s, s:s}", "application", l->application,
				    "postomat", l->postomat, "city", l->city, "to", "registered");
		if (!(payload = slow))
			return am_fail(e, AM_ENV, _("out of memory"));
	}
	rc = event_append(s, EV_REGISTERED, l->waybill, r->id, payload, ctx, e);
	free(slow);
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

/* Every line inside the open transaction. */
static int import_lines(struct store *s, const struct reg *r, const struct event_ctx *ctx,
			int64_t now, struct am_error *e)
{
	struct lost *lost = NULL;
	size_t n_lost = 0;
	int rc = 0;
	if (r->kind == REG_INBOUND && (rc = lost_load(s, &lost, &n_lost, e)))
		return rc;
	for (size_t i = 0; i < r->n_lines && !rc; i++) {
		const struct register_line *l = &r->lines[i];
		if (r->kind == REG_INBOUND) {
			if (!(rc = create_envelope(s, r, l, ctx, now, e)))
				rc = duplicate_arrived(s, lost, n_lost, l, r->formed_at, ctx, e);
		} else {
			struct envelope v;
			if ((rc = store_envelope_get(s, l->waybill, &v, e)))
				am_fail(e, AM_REFUSED, _("item %zu: %s is not an envelope known here: a return register lists envelopes this point received"), i + 1, l->waybill);
		}
	}
	free(lost);
	return rc;
}

int store_register_import(struct store *s, const struct reg *r, const struct event_ctx *ctx,
			  struct am_error *e)
{
	struct register_info info;
	struct am_error ignore;
	int rc;
	if ((rc = register_validate(r, &s->rules.waybill, e)))
		return rc;
	if (store_register_get(s, r->id, &info, NULL, &ignore) == 0) {
		bool same;
		if ((rc = same_register(s, r, &same, e)))
			return rc;
		if (same)	/* importing the same file again changes nothing */
			return 0;
		return am_fail(e, AM_REFUSED, _("register %s was already imported with other content: nothing was imported"), r->id);
	}
	if (r->kind == REG_INBOUND && s->rules.pilot_end_ms &&
	    (db_now(ctx) >= s->rules.pilot_end_ms || r->formed_at >= s->rules.pilot_end_ms)) {
		/* order §6: no new work after the pilot; what is under way goes on */
		char end[32];
		time_format_human(s->rules.pilot_end_ms - 1, s->rules.offset_min, end, sizeof end);
		end[10] = '\0';
		return am_fail(e, AM_REFUSED, _("register %s refused: the pilot ended on %s (setting 'pilot_end' in the config, order §6); returns, hand-backs and losses go on"),
			       r->id, end);
	}
	if ((rc = db_begin(s, e)))
		return rc;
	int64_t now = db_now(ctx);
	if ((rc = register_insert(s, r, now, 0, e)) || (rc = import_lines(s, r, ctx, now, e)))
		goto fail;
	if (r->kind == REG_INBOUND) {
		if ((rc = clock_open(s, CLOCK_TO_POINT, "", r->id, r->formed_at, ctx, e)) ||
		    (rc = clock_open(s, CLOCK_COURIER_DELIVERY, "", r->id, r->formed_at, ctx, e)))
			goto fail;
	} else if ((rc = clock_open(s, CLOCK_PICKUP_RETURNS, "", r->id, r->formed_at, ctx, e))) {
		goto fail;
	}
	return db_commit(s, e);
fail:
	db_rollback(s);
	return rc;
}
