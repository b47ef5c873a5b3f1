/*
 * sort.c - the sorting sector's applications list, the envelopes scanned
 * for a register, and the register formed from them (sorting.h).
 */
#include <stdio.h>
#include <string.h>
#include "amanat/i18n.h"
#include "amanat/sorting.h"
#include "store_internal.h"

#define ORDER_COLS "o.application, o.waybill, o.postomat, o.city, o.point, o.iin"

static void order_from(sqlite3_stmt *st, int i, struct order *o)
{
	memset(o, 0, sizeof *o);
	db_text(st, i, o->line.application, sizeof o->line.application);
	db_text(st, i + 1, o->line.waybill, sizeof o->line.waybill);
	db_text(st, i + 2, o->line.postomat, sizeof o->line.postomat);
	db_text(st, i + 3, o->line.city, sizeof o->line.city);
	db_text(st, i + 4, o->point, sizeof o->point);
	db_text(st, i + 5, o->line.iin, sizeof o->line.iin);
}

/* The register a waybill is on here already, "" when none. */
static int on_register(struct store *s, const char *waybill, char *reg, size_t len, struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(s, &st, "SELECT register_id FROM envelope WHERE waybill = ?", e);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, waybill, -1, SQLITE_STATIC);
	reg[0] = '\0';
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		db_text(st, 0, reg, len);
	else if (step != SQLITE_DONE)
		rc = db_fail(s, e, _("reading an envelope"));
	sqlite3_finalize(st);
	return rc;
}

static int load_one(struct store *s, sqlite3_stmt *ins, const struct order *o, const char *source,
		    int64_t now, size_t i, size_t *n_new, struct am_error *e)
{
	char reg[REG_ID_MAX];
	sqlite3_stmt *st;
	int rc = db_prepare(s, &st, "SELECT waybill, application FROM sort_order WHERE application = ?1 OR waybill = ?2", e);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, o->line.application, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, o->line.waybill, -1, SQLITE_STATIC);
	bool known = false;
	while (!rc && sqlite3_step(st) == SQLITE_ROW) {
		char waybill[32], app[REG_FIELD_MAX];
		db_text(st, 0, waybill, sizeof waybill);
		db_text(st, 1, app, sizeof app);
		if (strcmp(app, o->line.application))
			rc = am_fail(e, AM_REFUSED, _("line %zu: waybill %s belongs to application %s in a list loaded before: nothing was loaded"),
				     i + 2, o->line.waybill, app);
		else if (strcmp(waybill, o->line.waybill) && !(rc = on_register(s, waybill, reg, sizeof reg, e)) && reg[0])
			rc = am_fail(e, AM_REFUSED, _("line %zu: application %s went on register %s with waybill %s: nothing was loaded"),
				     i + 2, o->line.application, reg, waybill);
		known = true;
	}
	sqlite3_finalize(st);
	if (rc)
		return rc;
	*n_new += !known;
	sqlite3_bind_text(ins, 1, o->line.application, -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, 2, o->line.waybill, -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, 3, o->line.postomat, -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, 4, o->line.city, -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, 5, o->point, -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, 6, o->line.iin, -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, 7, source, -1, SQLITE_STATIC);
	sqlite3_bind_int64(ins, 8, now);
	rc = sqlite3_step(ins) == SQLITE_DONE ? 0 : db_fail(s, e, _("saving the applications list"));
	sqlite3_reset(ins);
	return rc;
}

int store_orders_load(struct store *s, const struct order_list *l, const char *source,
		      size_t *n_new, struct am_error *e)
{
	sqlite3_stmt *ins;
	int rc;
	*n_new = 0;
	if ((rc = db_begin(s, e)))
		return rc;
	if ((rc = db_prepare(s, &ins, "INSERT INTO sort_order(application, waybill, postomat, city, point, iin,"
			     " source, loaded_at) VALUES (?,?,?,?,?,?,?,?) ON CONFLICT(application) DO UPDATE SET"
			     " waybill = excluded.waybill, postomat = excluded.postomat, city = excluded.city,"
			     " point = excluded.point, iin = excluded.iin, source = excluded.source,"
			     " loaded_at = excluded.loaded_at", e))) {
		db_rollback(s);
		return rc;
	}
	int64_t now = db_now(NULL);
	for (size_t i = 0; i < l->n && !rc; i++)
		rc = load_one(s, ins, &l->items[i], source, now, i, n_new, e);
	sqlite3_finalize(ins);
	if (rc) {
		db_rollback(s);
		return rc;
	}
	return db_commit(s, e);
}

/* The list's order for an application number or a waybill. */
static int order_find(struct store *s, const char *code, struct order *o, struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(s, &st, "SELECT " ORDER_COLS " FROM sort_order o WHERE o.application = ?1 OR o.waybill = ?1", e);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		order_from(st, 0, o);
	else if (step == SQLITE_DONE)
		rc = am_fail(e, AM_REFUSED, _("%s is not on the applications list: load the newest list (F2), or put the envelope aside"), code);
	else
		rc = db_fail(s, e, _("reading the applications list"));
	sqlite3_finalize(st);
	return rc;
}

/* The scanned line of a waybill: 1 found, 0 not scanned, < 0 an error. */
static int draft_get(struct store *s, const char *waybill, struct sort_line *out, struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(s, &st, "SELECT actor, at_ms FROM sort_draft WHERE waybill = ?", e);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, waybill, -1, SQLITE_STATIC);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		db_text(st, 0, out->actor, sizeof out->actor);
		out->at_ms = sqlite3_column_int64(st, 1);
		rc = 1;
	} else if (step != SQLITE_DONE) {
		rc = db_fail(s, e, _("reading the register being formed"));
	}
	sqlite3_finalize(st);
	return rc;
}

/* The reception point of the lines scanned so far, "" when none. */
static int draft_point(struct store *s, char *point, size_t len, struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(s, &st, "SELECT o.point FROM sort_draft d JOIN sort_order o ON o.waybill = d.waybill"
			    " ORDER BY d.at_ms, d.rowid LIMIT 1", e);
	if (rc)
		return rc;
	point[0] = '\0';
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		db_text(st, 0, point, len);
	else if (step != SQLITE_DONE)
		rc = db_fail(s, e, _("reading the register being formed"));
	sqlite3_finalize(st);
	return rc;
}

static int scan_checked(struct store *s, const struct event_ctx *ctx, struct sort_line *out,
			enum sort_result *res, struct am_error *e)
{
	char reg[REG_ID_MAX], point[REG_FIELD_MAX];
	int rc = draft_get(s, out->order.line.waybill, out, e);
	if (rc < 0)
		return rc;
	if (rc == 1) {
		*res = SORT_AGAIN;
		return 0;
	}
	if ((rc = on_register(s, out->order.line.waybill, reg, sizeof reg, e)))
		return rc;
	if (reg[0])
		return am_fail(e, AM_REFUSED, _("%s (%s) is on register %s already: put it with that register"),
			       out->order.line.waybill, out->order.line.application, reg);
	if ((rc = draft_point(s, point, sizeof point, e)))
		return rc;
	if (point[0] && strcmp(point, out->order.point))
		return am_fail(e, AM_REFUSED, _("%s goes to %s, this register to %s: put it aside for a register of its own"),
			       out->order.line.waybill, out->order.point, point);
	sqlite3_stmt *st;
	if ((rc = db_prepare(s, &st, "INSERT INTO sort_draft(waybill, actor, at_ms) VALUES (?,?,?)", e)))
		return rc;
	out->at_ms = db_now(ctx);
	snprintf(out->actor, sizeof out->actor, "%s", ctx && ctx->actor ? ctx->actor : "");
	sqlite3_bind_text(st, 1, out->order.line.waybill, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, out->actor, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, out->at_ms);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(s, e, _("saving the register being formed"));
	sqlite3_finalize(st);
	*res = SORT_ADDED;
	return rc;
}

int store_sort_scan(struct store *s, const char *code, const struct event_ctx *ctx,
		    struct sort_line *out, enum sort_result *res, struct am_error *e)
{
	int rc;
	memset(out, 0, sizeof *out);
	if ((rc = db_begin(s, e)))
		return rc;
	if ((rc = order_find(s, code, &out->order, e)) || (rc = scan_checked(s, ctx, out, res, e))) {
		db_rollback(s);
		return rc;
	}
	return db_commit(s, e);
}

int store_sort_remove(struct store *s, const char *code, struct sort_line *out, struct am_error *e)
{
	sqlite3_stmt *st;
	memset(out, 0, sizeof *out);
	int rc = order_find(s, code, &out->order, e);
	if (rc)
		return rc;
	if ((rc = db_prepare(s, &st, "DELETE FROM sort_draft WHERE waybill = ?", e)))
		return rc;
	sqlite3_bind_text(st, 1, out->order.line.waybill, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(s, e, _("saving the register being formed"));
	sqlite3_finalize(st);
	if (!rc && sqlite3_changes(s->db) == 0)
		rc = am_fail(e, AM_REFUSED, _("%s is not on the register being formed"), out->order.line.waybill);
	return rc;
}

#define DRAFT_SQL "SELECT " ORDER_COLS ", d.actor, d.at_ms FROM sort_draft d" \
	" JOIN sort_order o ON o.waybill = d.waybill"

int store_sort_each(struct store *s, int (*cb)(const struct sort_line *, void *), void *arg,
		    struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(s, &st, DRAFT_SQL " ORDER BY d.at_ms DESC, d.rowid DESC", e);
	if (rc)
		return rc;
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct sort_line l;
		order_from(st, 0, &l.order);
		db_text(st, 6, l.actor, sizeof l.actor);
		l.at_ms = sqlite3_column_int64(st, 7);
		if (cb(&l, arg))
			break;
	}
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		rc = db_fail(s, e, _("reading the register being formed"));
	sqlite3_finalize(st);
	return rc;
}

static int count(struct store *s, const char *sql, size_t *n, struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(s, &st, sql, e);
	if (rc)
		return rc;
	if (sqlite3_step(st) == SQLITE_ROW)
		*n = (size_t)sqlite3_column_int64(st, 0);
	else
		rc = db_fail(s, e, _("reading the applications list"));
	sqlite3_finalize(st);
	return rc;
}

int store_sort_counts(struct store *s, size_t *n_waiting, size_t *n_scanned, struct am_error *e)
{
	int rc = count(s, "SELECT count(*) FROM sort_order o WHERE NOT EXISTS"
		       " (SELECT 1 FROM envelope v WHERE v.waybill = o.waybill)", n_waiting, e);
	return rc ? rc : count(s, "SELECT count(*) FROM sort_draft", n_scanned, e);
}

static int draft_register(struct store *s, const char *id, const struct event_ctx *ctx, struct reg *out,
			  struct am_error *e)
{
	sqlite3_stmt *st;
	memset(out, 0, sizeof *out);
	snprintf(out->id, sizeof out->id, "%s", id);
	out->kind = REG_INBOUND;
	snprintf(out->from, sizeof out->from, "%s", ctx && ctx->place && *ctx->place ? ctx->place : "State Corp");
	out->formed_at = db_now(ctx);
	int rc = db_prepare(s, &st, DRAFT_SQL " ORDER BY d.at_ms, d.rowid", e);
	if (rc)
		return rc;
	while (!rc && sqlite3_step(st) == SQLITE_ROW) {
		struct order o;
		order_from(st, 0, &o);
		snprintf(out->to, sizeof out->to, "%s", o.point);
		if (register_add_line(out, &o.line))
			rc = am_fail(e, AM_ENV, _("out of memory"));
	}
	sqlite3_finalize(st);
	if (!rc && out->n_lines == 0)
		rc = am_fail(e, AM_REFUSED, "%s", _("no envelope scanned yet: scan each envelope of the register first"));
	if (rc)
		register_free(out);
	return rc;
}

int store_sort_form(struct store *s, const char *id, const struct event_ctx *ctx, struct reg *out,
		    struct am_error *e)
{
	int rc = store_batch_begin(s, e);
	if (rc)
		return rc;
	if ((rc = draft_register(s, id, ctx, out, e))) {
		store_batch_end(s, false, e);
		return rc;
	}
	if ((rc = store_register_import(s, out, ctx, e)) || (rc = db_exec(s, "DELETE FROM sort_draft", e))) {
		struct am_error ignore;
		store_batch_end(s, false, &ignore);
		register_free(out);
		return rc;
	}
	if ((rc = store_batch_end(s, true, e)))
		register_free(out);
	return rc;
}
