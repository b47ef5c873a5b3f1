/*
 * staff_admin.c - the supervisor's changes to the staff list that are not
 * a new PIN (store_staff_add does that): switching a badge off or on.
 */
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
