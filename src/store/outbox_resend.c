/*
 * outbox_resend.c - dead letters back into the outbox after a fix.
 *
 * The interface is the one the sync-input work (issue 13) owns; it is
 * written here, in its own file, so that the supervisor's desk can re-send
 * before that lands.  When it lands, this file goes.
 */
#include "amanat/i18n.h"
#include "store_internal.h"

int store_outbox_resend(struct store *s, const char *uuid /* NULL = all */, size_t *n, struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_begin(s, e);
	if (rc)
		return rc;
	if ((rc = db_prepare(s, &st, "UPDATE event SET sync = 0, sync_reason = '', sync_at = 0"
			     " WHERE sync = 2 AND (?1 IS NULL OR uuid = ?1)", e))) {
		db_rollback(s);
		return rc;
	}
	if (uuid)
		sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(s, e, _("re-sending"));
	sqlite3_finalize(st);
	size_t changed = rc ? 0 : (size_t)sqlite3_changes(s->db);
	if (!rc && uuid && !changed)
		rc = am_fail(e, AM_REFUSED, _("event %s is not a dead letter"), uuid);
	if (rc || (rc = db_commit(s, e))) {
		db_rollback(s);
		return rc;
	}
	if (n)
		*n = changed;
	return 0;
}
