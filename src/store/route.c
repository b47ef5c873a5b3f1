/*
 * route.c - a courier's progress: envelopes still on them and those they
 * have placed since a moment, at one postomat and on the whole route.
 */
#include "amanat/i18n.h"
#include "store_internal.h"

int store_route_progress(struct store *s, const char *courier, const char *postomat, int64_t since_ms,
			 struct route_progress *out, struct am_error *e)
{
	sqlite3_stmt *st;
	out->left_here = out->done_here = out->left = out->done = 0;
	int rc = db_prepare(s, &st, "SELECT count(*), coalesce(sum(postomat = ?2), 0) FROM envelope"
			    " WHERE state = 'out_for_delivery' AND " STATE_LISTED " AND courier = ?1", e);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, courier, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, postomat ? postomat : "", -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		out->left = (size_t)sqlite3_column_int64(st, 0);
		out->left_here = (size_t)sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	if ((rc = db_prepare(s, &st, "SELECT count(DISTINCT v.waybill),"
			     " count(DISTINCT CASE WHEN v.postomat = ?2 THEN v.waybill END)"
			     " FROM event ev JOIN envelope v ON v.waybill = ev.waybill"
			     " WHERE ev.seq >= " EVENT_SINCE("?3") " AND ev.type = 'placed' AND ev.actor = ?1 AND ev.at_ms >= ?3"
			     " AND ev.waybill <> ''", e)))
		return rc;
	sqlite3_bind_text(st, 1, courier, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, postomat ? postomat : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, since_ms);
	if (sqlite3_step(st) == SQLITE_ROW) {
		out->done = (size_t)sqlite3_column_int64(st, 0);
		out->done_here = (size_t)sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	return 0;
}
