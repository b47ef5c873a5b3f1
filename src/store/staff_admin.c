/*
 * staff_admin.c - the supervisor's changes to the staff list that are not
 * a new PIN (store_staff_add does that): switching a badge off or on, and
 * unlocking a badge locked by five wrong PINs.
 */
#include <stdlib.h>
#include "amanat/i18n.h"
#include "amanat/staff.h"
#include "store_internal.h"

int store_staff_set_active(struct store *s, const char *badge, bool active, struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(s, &st, "UPDATE staff SET active = ? WHERE badge = ?", e);
	if (rc)
		return rc;
	sqlite3_bind_int(st, 1, active);
	sqlite3_bind_text(st, 2, badge, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(s, e, _("saving the staff member"));
	sqlite3_finalize(st);
	if (!rc && sqlite3_changes(s->db) == 0)
		rc = am_fail(e, AM_REFUSED, _("unknown badge %s"), badge);
	return rc;
}

int store_staff_unlock(struct store *s, const char *badge, const struct event_ctx *ctx,
		       struct am_error *e)
{
	sqlite3_stmt *st;
	int64_t until = 0, now = db_now(ctx);
	int rc = db_begin(s, e);
	if (rc)
		return rc;
	if ((rc = db_prepare(s, &st, "DELETE FROM staff_lock WHERE badge = ? AND locked_until > ? RETURNING locked_until", e)))
		goto fail;
	sqlite3_bind_text(st, 1, badge, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		until = sqlite3_column_int64(st, 0);
	else if (step != SQLITE_DONE)
		rc = db_fail(s, e, _("saving the staff member"));
	sqlite3_finalize(st);
	if (!rc && !until)
		rc = am_fail(e, AM_REFUSED, _("badge %s is not locked"), badge);
	if (rc)
		goto fail;
	char *payload = payload_pack("{s:s, s:I, s:s}", "badge", badge, "locked_until_ms", (json_int_t)until,
				     "by", ctx && ctx->actor ? ctx->actor : "");
	rc = payload ? event_append(s, EV_BADGE_UNLOCKED, "", "", payload, ctx, e) : am_fail(e, AM_ENV, _("out of memory"));
	free(payload);
	if (rc)
		goto fail;
	return db_commit(s, e);
fail:
	db_rollback(s);
	return rc;
}
