/*
 * act.c - acts: discrepancy acts (acceptance that did not match its
 * register) and loss acts (§22-24, two copies).  Ids are per device and
 * counted, so two terminals never draw the same act id.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "amanat/i18n.h"
#include "store_internal.h"

int act_create(struct store *s, const char *kind, const char *register_id,
	       const char *waybill, const char *reason, int copies, const char *body,
	       const struct event_ctx *ctx, char *id, size_t idlen, struct am_error *e)
{
	char num[32];
	sqlite3_stmt *st;
	long n = 0;
	int rc;
	if (store_meta_get(s, "act_counter", num, sizeof num) == 0)
		n = strtol(num, NULL, 10);
	snprintf(num, sizeof num, "%ld", ++n);
	if ((rc = store_meta_set(s, "act_counter", num, e)))
		return rc;
	snprintf(id, idlen, "ACT-%s-%04ld", s->device, n);
	if ((rc = db_prepare(s, &st, "INSERT INTO act(id, kind, register_id, waybill, reason, copies,"
			     " created_ms, body) VALUES (?,?,?,?,?,?,?,?)", e)))
		return rc;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, register_id ? register_id : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, waybill ? waybill : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, reason ? reason : "", -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 6, copies);
	sqlite3_bind_int64(st, 7, db_now(ctx));
	sqlite3_bind_text(st, 8, body ? body : "{}", -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(s, e, _("drawing up the act"));
	sqlite3_finalize(st);
	if (rc)
		return rc;
	/* the body (what the act says: the codes missing, unexpected, damaged)
	 * is vouched for by the log: its hash in the event, checked by verify */
	char sha[65];
	const char *text = body ? body : "{}";
	if (text_sha256(text, strlen(text), sha))
		return am_fail(e, AM_ENV, _("SHA-256 failed"));
	char *payload = payload_pack("{s:s, s:s, s:i, s:s}", "act", id, "kind", kind, "copies", copies,
				     "body_sha256", sha);
	if (!payload)
		return am_fail(e, AM_ENV, _("out of memory"));
	rc = event_append(s, EV_ACT_DRAWN, waybill, register_id, payload, ctx, e);
	free(payload);
	return rc;
}

static int act_rows(struct store *s, sqlite3_stmt *st, int (*cb)(const struct act_row *, void *),
		    void *arg, struct am_error *e, bool *found)
{
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct act_row a;
		memset(&a, 0, sizeof a);
		db_text(st, 0, a.id, sizeof a.id);
		db_text(st, 1, a.kind, sizeof a.kind);
		db_text(st, 2, a.register_id, sizeof a.register_id);
		db_text(st, 3, a.waybill, sizeof a.waybill);
		a.reason = (const char *)sqlite3_column_text(st, 4);
		if (!a.reason)
			a.reason = "";
		a.copies = sqlite3_column_int(st, 5);
		a.created_ms = sqlite3_column_int64(st, 6);
		a.body = (const char *)sqlite3_column_text(st, 7);
		if (found)
			*found = true;
		if (cb(&a, arg))
			break;
	}
	int rc = (step == SQLITE_ROW || step == SQLITE_DONE) ? 0 : db_fail(s, e, _("reading acts"));
	sqlite3_finalize(st);
	return rc;
}

#define ACT_COLS "id, kind, register_id, waybill, reason, copies, created_ms, body"

int store_act_each(struct store *s, int (*cb)(const struct act_row *, void *), void *arg,
		   struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(s, &st, "SELECT " ACT_COLS " FROM act ORDER BY created_ms DESC, id DESC", e);
	return rc ? rc : act_rows(s, st, cb, arg, e, NULL);
}

int store_act_get(struct store *s, const char *id, int (*cb)(const struct act_row *, void *),
		  void *arg, struct am_error *e)
{
	sqlite3_stmt *st;
	bool found = false;
	int rc = db_prepare(s, &st, "SELECT " ACT_COLS " FROM act WHERE id = ?", e);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	if ((rc = act_rows(s, st, cb, arg, e, &found)))
		return rc;
	return found ? 0 : am_fail(e, AM_REFUSED, _("no act %s"), id);
}
