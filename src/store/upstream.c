/*
 * upstream.c - what the upstream system said about this point's envelopes:
 * collections (the parent took it from the cell) and cancellations (§24:
 * the authority cancelled the application after a loss) that arrive through
 * the point hub's feed (feed.c keeps each item, device "UPSTREAM").  Read
 * here for the supervisor: since the shift's start, newest first, with the
 * envelope as it is here and whether the life cycle let the item apply.
 */
#include <stdio.h>
#include <string.h>
#include "amanat/i18n.h"
#include "store_internal.h"

#define UPSTREAM_SQL \
	"SELECT f.waybill, f.type, f.at_ms, f.received_ms, f.applied, f.note, f.actor," \
	" coalesce(v.application, ''), coalesce(v.postomat, ''), coalesce(v.state, '')" \
	" FROM feed_item f LEFT JOIN envelope v ON v.waybill = f.waybill" \
	" WHERE f.device = 'UPSTREAM' AND f.type IN ('collected', 'cancelled') AND f.received_ms >= ?"

int store_upstream_status_each(struct store *s, int64_t since_ms,
			       int (*cb)(const struct upstream_status *, void *), void *arg,
			       struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(s, &st, UPSTREAM_SQL " ORDER BY f.received_ms DESC, f.cursor DESC", e);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, since_ms);
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct upstream_status u;
		char type[32], state[32];
		memset(&u, 0, sizeof u);
		db_text(st, 0, u.waybill, sizeof u.waybill);
		db_text(st, 1, type, sizeof type);
		u.type = !strcmp(type, "collected") ? EV_COLLECTED : EV_CANCELLED;
		u.at_ms = sqlite3_column_int64(st, 2);
		u.received_ms = sqlite3_column_int64(st, 3);
		u.applied = sqlite3_column_int(st, 4) != 0;
		db_text(st, 5, u.note, sizeof u.note);
		db_text(st, 6, u.actor, sizeof u.actor);
		db_text(st, 7, u.application, sizeof u.application);
		db_text(st, 8, u.postomat, sizeof u.postomat);
		db_text(st, 9, state, sizeof state);
		int sv = state_from_name(state);
		u.state = sv >= 0 ? (enum envelope_state)sv : ST_NONE;
		if (cb(&u, arg))
			break;
	}
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		rc = db_fail(s, e, _("reading the hub's feed"));
	sqlite3_finalize(st);
	return rc;
}

int store_upstream_status_counts(struct store *s, int64_t since_ms, size_t *collected,
				 size_t *cancelled, struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(s, &st, "SELECT count(*) FILTER (WHERE type = 'collected'),"
			    " count(*) FILTER (WHERE type = 'cancelled') FROM feed_item"
			    " WHERE device = 'UPSTREAM' AND type IN ('collected', 'cancelled') AND received_ms >= ?", e);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, since_ms);
	if (sqlite3_step(st) == SQLITE_ROW) {
		*collected = (size_t)sqlite3_column_int64(st, 0);
		*cancelled = (size_t)sqlite3_column_int64(st, 1);
	} else {
		rc = db_fail(s, e, _("reading the hub's feed"));
	}
	sqlite3_finalize(st);
	return rc;
}
