/*
 * recent.c - what a screen shows of its own recent work, read back from the
 * event log: the lines a screen lists after Esc, an idle lock or a restart
 * are the events, never a copy kept in the screen's memory.
 */
#include <string.h>
#include "amanat/i18n.h"
#include "store_internal.h"

/* Only the newest events are looked at: a screen's list is a few lines of
 * this shift's work, and the log may hold millions.  The first event since
 * since_ms is looked up in event_hour (EVENT_SINCE: the events from the
 * hour since_ms falls in), so a log-in with nothing done yet reads at most
 * that hour's events. */
#define RECENT_WINDOW 20000

int store_recent_events(struct store *s, const char *actor, int64_t since_ms, uint32_t types,
			int max, int (*cb)(const struct event_row *, void *), void *arg,
			struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(s, &st, "SELECT seq, type, waybill, register_id, actor, at_ms, place, payload"
			    " FROM event WHERE seq > max((SELECT coalesce(max(seq), 0) FROM event) - ?1,"
			    "  " EVENT_SINCE("?3") " - 1)"
			    " AND actor = ?2 AND at_ms >= ?3 ORDER BY seq DESC", e);
	if (rc)
		return rc;
	sqlite3_bind_int(st, 1, RECENT_WINDOW);
	sqlite3_bind_text(st, 2, actor ? actor : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, since_ms);
	int step = SQLITE_DONE, n = 0;
	while (n < max && (step = sqlite3_step(st)) == SQLITE_ROW) {
		struct event_row r;
		char type[32];
		memset(&r, 0, sizeof r);
		r.seq = sqlite3_column_int64(st, 0);
		db_text(st, 1, type, sizeof type);
		int t = event_from_name(type);
		if (t < 0 || t >= 32 || !(types & (1u << t)))
			continue;
		r.type = (enum event_type)t;
		db_text(st, 2, r.waybill, sizeof r.waybill);
		db_text(st, 3, r.register_id, sizeof r.register_id);
		db_text(st, 4, r.actor, sizeof r.actor);
		r.at_ms = sqlite3_column_int64(st, 5);
		db_text(st, 6, r.place, sizeof r.place);
		r.payload = (const char *)sqlite3_column_text(st, 7);
		n++;
		if (cb(&r, arg))
			break;
	}
	if (n >= max)
		step = SQLITE_DONE;
	rc = step == SQLITE_ROW || step == SQLITE_DONE ? 0 : db_fail(s, e, _("reading events"));
	sqlite3_finalize(st);
	return rc;
}
