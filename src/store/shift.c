/*
 * shift.c - the point's shift.  A shift is not a log-in: it runs from the
 * last close (a row of point_shift, written with its shift_closed event) to
 * the next close, and holds the work of everyone at the point in between.
 * A supervisor who logs in at 16:00 sees the clerk's 11:00 scans.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "amanat/i18n.h"
#include "amanat/shift.h"
#include "store_internal.h"

int store_point_shift(struct store *s, struct point_shift *out, struct am_error *e)
{
	sqlite3_stmt *st;
	memset(out, 0, sizeof *out);
	int rc = db_prepare(s, &st, "SELECT p.number, p.closed_ms, p.closed_by, coalesce(f.name, p.closed_by)"
			    " FROM point_shift p LEFT JOIN staff f ON f.badge = p.closed_by"
			    " ORDER BY p.number DESC LIMIT 1", e);
	if (rc)
		return rc;
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		out->number = sqlite3_column_int64(st, 0) + 1;
		out->opened_ms = sqlite3_column_int64(st, 1);
		db_text(st, 2, out->handed_by, sizeof out->handed_by);
		db_text(st, 3, out->handed_name, sizeof out->handed_name);
	}
	sqlite3_finalize(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return db_fail(s, e, _("reading the shift"));
	if (out->number)
		return 0;
	/* never closed: the first shift began with the first event */
	out->number = 1;
	if ((rc = db_prepare(s, &st, "SELECT at_ms FROM event ORDER BY seq LIMIT 1", e)))
		return rc;
	if (sqlite3_step(st) == SQLITE_ROW)
		out->opened_ms = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return 0;
}

int store_point_shift_close(struct store *s, int64_t number, const char *report,
			    const struct event_ctx *ctx, int64_t *closed_ms, struct am_error *e)
{
	struct point_shift cur;
	sqlite3_stmt *st;
	int rc = db_begin(s, e);
	if (rc)
		return rc;
	if ((rc = store_point_shift(s, &cur, e)))
		goto fail;
	if (cur.number != number) {
		rc = am_fail(e, AM_REFUSED, _("shift %lld was already closed by %s: this is shift %lld"),
			     (long long)number, cur.handed_name, (long long)cur.number);
		goto fail;
	}
	int64_t now = db_now(ctx);
	if (now < cur.opened_ms)
		now = cur.opened_ms;
	if ((rc = db_prepare(s, &st, "INSERT INTO point_shift(number, opened_ms, closed_ms, closed_by, report)"
			     " VALUES (?, ?, ?, ?, ?)", e)))
		goto fail;
	sqlite3_bind_int64(st, 1, number);
	sqlite3_bind_int64(st, 2, cur.opened_ms);
	sqlite3_bind_int64(st, 3, now);
	sqlite3_bind_text(st, 4, ctx && ctx->actor ? ctx->actor : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, report ? report : "", -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(s, e, _("closing the shift"));
	sqlite3_finalize(st);
	if (rc)
		goto fail;
	char *payload = payload_pack("{s:I, s:I, s:I, s:s}", "shift", (json_int_t)number,
				     "from_ms", (json_int_t)cur.opened_ms, "to_ms", (json_int_t)now,
				     "report", report ? report : "");
	struct event_ctx c = ctx ? *ctx : (struct event_ctx){ "", "", 0, NULL };
	c.at_ms = now;
	rc = payload ? event_append(s, EV_SHIFT_CLOSED, "", "", payload, &c, e)
		     : am_fail(e, AM_ENV, _("out of memory"));
	free(payload);
	if (rc || (rc = db_commit(s, e)))
		goto fail;
	if (closed_ms)
		*closed_ms = now;
	return 0;
fail:
	db_rollback(s);
	return rc;
}

/* The columns of a shift_person, in the order person_rows reads them. */
#define PEOPLE_COLS "coalesce(f.name, v.actor), coalesce(f.role, '')"

static int person_rows(struct store *s, sqlite3_stmt *st, int (*cb)(const struct shift_person *, void *),
		       void *arg, struct am_error *e)
{
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct shift_person p;
		char role[16];
		memset(&p, 0, sizeof p);
		db_text(st, 0, p.badge, sizeof p.badge);
		db_text(st, 1, p.name, sizeof p.name);
		db_text(st, 2, role, sizeof role);
		p.role = role[0] ? staff_role_from_name(role) : -1;
		p.total = (size_t)sqlite3_column_int64(st, 3);
		p.accepted = (size_t)sqlite3_column_int64(st, 4);
		p.handed = (size_t)sqlite3_column_int64(st, 5);
		p.placed = (size_t)sqlite3_column_int64(st, 6);
		p.returned = (size_t)sqlite3_column_int64(st, 7);
		p.other = p.total - p.accepted - p.handed - p.placed - p.returned;
		if (cb(&p, arg))
			break;
	}
	int rc = (step == SQLITE_ROW || step == SQLITE_DONE) ? 0 : db_fail(s, e, _("reading the shift"));
	sqlite3_finalize(st);
	return rc;
}

/* The shift running now is read from shift_work (schema 11: kept by a
 * trigger with each event); any other start time counts the log from it. */
int store_shift_people(struct store *s, int64_t since_ms,
		       int (*cb)(const struct shift_person *, void *), void *arg, struct am_error *e)
{
	struct point_shift cur;
	sqlite3_stmt *st;
	int rc = store_point_shift(s, &cur, e);
	if (rc)
		return rc;
	if (since_ms == cur.opened_ms) {
		if ((rc = db_prepare(s, &st, "SELECT v.actor, " PEOPLE_COLS ", v.total, v.accepted, v.handed,"
				     " v.placed, v.returned FROM shift_work v LEFT JOIN staff f ON f.badge = v.actor"
				     " WHERE v.shift = ? ORDER BY 4 DESC, 2", e)))
			return rc;
		sqlite3_bind_int64(st, 1, cur.number);
		return person_rows(s, st, cb, arg, e);
	}
	if ((rc = db_prepare(s, &st,
		"SELECT v.actor, " PEOPLE_COLS ", count(*),"
		" sum(v.type IN ('accepted', 'scan_unexpected', 'damaged')),"
		" sum(v.type = 'out_for_delivery'),"
		" sum(v.type IN ('placed', 'cell_changed', 'delayed')),"
		" sum(v.type IN ('expired_removed', 'returned_to_point', 'handed_back'))"
		" FROM event v LEFT JOIN staff f ON f.badge = v.actor"
		" WHERE v.seq >= " EVENT_SINCE("?1") " AND v.at_ms >= ?1"
		" AND v.waybill <> '' AND v.type NOT IN ('registered', 'printed', 'note',"
		" 'deadline_missed', 'deadline_closed_late')"
		" GROUP BY v.actor ORDER BY 4 DESC, 2", e)))
		return rc;
	sqlite3_bind_int64(st, 1, since_ms);
	return person_rows(s, st, cb, arg, e);
}

/* The soonest open deadline of each state joins every open deadline to its
 * envelope (6,300 at a hub-sized point: 12 ms), so it is read whole once and
 * then kept: a redraw with no commit in between (the data version moves with
 * every commit to the file, by any connection) reuses it, and after a
 * commit only the envelopes named since are read again (catch_up). */
#define CATCH_UP_MAX 128

/* The log's last seq, the hub feed's last row, and how many times due
 * times were moved without naming envelopes (a calendar from the hub:
 * meta.clocks_moved): what catch_up starts from. */
static int last_rows(struct store *s, int64_t *seq, int64_t *feed, int64_t *moved, struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_cached(s, &st, "SELECT coalesce((SELECT max(seq) FROM event), 0),"
			   " coalesce((SELECT max(rowid) FROM feed_item), 0),"
			   " coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'clocks_moved'), 0)", e);
	if (rc)
		return rc;
	rc = sqlite3_step(st) == SQLITE_ROW ? 0 : db_fail(s, e, _("reading the shift"));
	*seq = sqlite3_column_int64(st, 0);
	*feed = sqlite3_column_int64(st, 1);
	*moved = sqlite3_column_int64(st, 2);
	db_done(s, st);
	return rc;
}

/* Every state's soonest open deadline and whose it is, read whole. */
static int soonest_all(struct store *s, struct am_error *e)
{
	sqlite3_stmt *st;
	/* an envelope's clock is CLOCK_SLOTS * its rowid + n (schema 24), so the open
	 * deadlines' index alone leads to each envelope by its rowid: neither
	 * the clock's row nor the envelope's waybill index is read (5.6 against
	 * 14.7 ms CPU at 10M events, 6,300 open deadlines) */
	int rc = db_cached(s, &st, "SELECT v.state, min(c.due_ms), v.waybill FROM clock c INDEXED BY clock_open"
			   " JOIN envelope v ON v.rowid = c.id / " CLOCK_SLOTS_SQL " WHERE c.closed_ms = 0 AND c.fresh = 0"
			   " AND c.id > 0 GROUP BY v.state"
			   /* and the fresh ones (schema 28), merged below */
			   " UNION ALL SELECT v.state, c.due_ms, v.waybill FROM clock c JOIN envelope v"
			   " ON v.rowid = c.id / " CLOCK_SLOTS_SQL " WHERE c.id IN " CLOCK_FRESH_IDS
			   " AND c.closed_ms = 0 AND c.id > 0", e);
	if (rc)
		return rc;
	memset(s->soonest, 0, sizeof s->soonest);
	memset(s->soonest_of, 0, sizeof s->soonest_of);
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		int sv = state_from_name((const char *)sqlite3_column_text(st, 0));
		int64_t due = sqlite3_column_int64(st, 1);
		if (sv < 0 || (s->soonest[sv] && s->soonest[sv] <= due))
			continue;
		s->soonest[sv] = due;
		db_text(st, 2, s->soonest_of[sv], sizeof s->soonest_of[sv]);
	}
	db_done(s, st);
	return step == SQLITE_DONE ? 0 : db_fail(s, e, _("reading the shift"));
}

/* A state whose soonest envelope was touched: its next from the open
 * deadlines' index, walked from the old soonest on (every envelope not
 * touched since is due no sooner). */
static int soonest_again(struct store *s, int sv, struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_cached(s, &st, "SELECT c.due_ms, c.waybill FROM clock c INDEXED BY clock_open"
			   " CROSS JOIN envelope v ON v.waybill = c.waybill WHERE c.closed_ms = 0 AND c.fresh = 0"
			   " AND c.due_ms >= ?1 AND c.waybill <> '' AND v.state = ?2"
			   " UNION ALL SELECT c.due_ms, c.waybill FROM clock c CROSS JOIN envelope v"
			   " ON v.waybill = c.waybill WHERE c.id IN " CLOCK_FRESH_IDS " AND c.closed_ms = 0"
			   " AND c.due_ms >= ?1 AND c.waybill <> '' AND v.state = ?2 ORDER BY 1 LIMIT 1", e);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, s->soonest[sv]);
	sqlite3_bind_text(st, 2, state_name((enum envelope_state)sv), -1, SQLITE_STATIC);
	int step = sqlite3_step(st);
	s->soonest[sv] = 0;
	s->soonest_of[sv][0] = 0;
	if (step == SQLITE_ROW) {
		s->soonest[sv] = sqlite3_column_int64(st, 0);
		db_text(st, 1, s->soonest_of[sv], sizeof s->soonest_of[sv]);
	}
	db_done(s, st);
	return step == SQLITE_ROW || step == SQLITE_DONE ? 0 : db_fail(s, e, _("reading the shift"));
}

/* One touched envelope's soonest open deadline, into its state's. */
static int soonest_merge(struct store *s, const char *waybill, struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_cached(s, &st, "SELECT v.state, c.due_ms FROM envelope v JOIN clock c"
			   " ON c.id BETWEEN v.rowid * 1024 AND v.rowid * 1024 + 1023 AND c.waybill = v.waybill"
			   " AND c.closed_ms = 0 WHERE v.waybill = ?"
			   " ORDER BY c.due_ms LIMIT 1", e);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, waybill, -1, SQLITE_STATIC);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		int sv = state_from_name((const char *)sqlite3_column_text(st, 0));
		int64_t due = sqlite3_column_int64(st, 1);
		if (sv >= 0 && (!s->soonest[sv] || due < s->soonest[sv])) {
			s->soonest[sv] = due;
			snprintf(s->soonest_of[sv], sizeof s->soonest_of[sv], "%s", waybill);
		}
	}
	db_done(s, st);
	return step == SQLITE_ROW || step == SQLITE_DONE ? 0 : db_fail(s, e, _("reading the shift"));
}

/* The envelopes named by the log and the feed since soonest[] was read,
 * into the kept answer.  1: read it whole instead (too many, a step that
 * moves deadlines without naming an envelope, due times moved by a force
 * majeure or a calendar (meta.clocks_moved), a log or feed cut back). */
static int catch_up(struct store *s, struct am_error *e)
{
	char touched[CATCH_UP_MAX][32];
	size_t n = 0;
	int64_t seq, feed, moved;
	sqlite3_stmt *st;
	int rc = last_rows(s, &seq, &feed, &moved, e);
	if (rc)
		return rc;
	if (seq < s->states_seq || feed < s->states_feed || moved != s->states_moved)
		return 1;
	/* events without an envelope that leave every deadline as it was */
	if ((rc = db_cached(s, &st, "SELECT waybill FROM event WHERE seq > ?1 AND seq <= ?2 AND (waybill <> ''"
			    " OR type NOT IN ('shift_opened', 'shift_closed', 'outbox_resent', 'badge_locked',"
			    " 'badge_unlocked', 'act_drawn', 'printed', 'note', 'deadline_missed',"
			    " 'deadline_closed_late', 'force_majeure_document', 'force_majeure_notified'))"
			    " UNION ALL SELECT waybill FROM feed_item WHERE rowid > ?3 AND rowid <= ?4 LIMIT ?5", e)))
		return rc;
	sqlite3_bind_int64(st, 1, s->states_seq);
	sqlite3_bind_int64(st, 2, seq);
	sqlite3_bind_int64(st, 3, s->states_feed);
	sqlite3_bind_int64(st, 4, feed);
	sqlite3_bind_int(st, 5, CATCH_UP_MAX + 1);
	int step, whole = 0;
	while (!whole && (step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *w = (const char *)sqlite3_column_text(st, 0);
		if (!w || !*w || n == CATCH_UP_MAX || strlen(w) >= sizeof touched[0]) {
			whole = 1;
			break;
		}
		size_t i = 0;
		while (i < n && strcmp(touched[i], w))
			i++;
		if (i == n)
			snprintf(touched[n++], sizeof touched[0], "%s", w);
	}
	db_done(s, st);
	if (!whole && step != SQLITE_DONE)
		return db_fail(s, e, _("reading the shift"));
	if (whole)
		return 1;
	for (int sv = 0; sv < ST__COUNT && !rc; sv++)
		for (size_t i = 0; i < n && !rc && s->soonest_of[sv][0]; i++)
			if (!strcmp(s->soonest_of[sv], touched[i])) {
				rc = soonest_again(s, sv, e);
				break;
			}
	for (size_t i = 0; i < n && !rc; i++)
		rc = soonest_merge(s, touched[i], e);
	if (rc)
		return rc;
	s->states_seq = seq;
	s->states_feed = feed;
	return 0;
}

/* Damaged and still here: held aside at the point, from the damaged
 * envelopes' index (CROSS JOIN: in that order; the planner would walk
 * every open deadline instead). */
static int shift_damaged(struct store *s, struct shift_states *out, struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_cached(s, &st, "SELECT count(*), (SELECT min(c.due_ms) FROM envelope w"
			   " INDEXED BY envelope_damaged CROSS JOIN clock c ON c.id BETWEEN w.rowid * 1024"
			   " AND w.rowid * 1024 + 1023 AND c.waybill = w.waybill"
			   " WHERE w.damaged = 1 AND c.closed_ms = 0)"
			   " FROM envelope INDEXED BY envelope_damaged WHERE damaged = 1 AND state IN"
			   " ('handed_to_point', 'accepted', 'returned_to_point', 'expired_removed')", e);
	if (rc)
		return rc;
	if (sqlite3_step(st) == SQLITE_ROW) {
		out->damaged = (size_t)sqlite3_column_int64(st, 0);
		out->damaged_soonest = sqlite3_column_int64(st, 1);
	}
	db_done(s, st);
	return 0;
}

int store_shift_states_counts(struct store *s, struct shift_states *out, struct am_error *e)
{
	memset(out, 0, sizeof *out);
	int rc = store_state_counts(s, out->count, e);
	return rc ? rc : shift_damaged(s, out, e);
}

int store_shift_states(struct store *s, struct shift_states *out, struct am_error *e)
{
	memset(out, 0, sizeof *out);
	int rc = store_state_counts(s, out->count, e);
	if (rc)
		return rc;
	/* kept only outside a transaction: one rolled back leaves no trace */
	unsigned dv = sqlite3_get_autocommit(s->db) ? db_data_version(s) : 0;
	if (!dv || !s->states_known || dv != s->states_dv) {
		s->states_known = false;
		int whole = dv ? 1 : 0;
		if (dv && s->states_seq_known && (whole = catch_up(s, e)) < 0) {
			s->states_seq_known = false;
			return whole;
		}
		if (whole || !dv) {
			if ((rc = last_rows(s, &s->states_seq, &s->states_feed, &s->states_moved, e)) ||
			    (rc = soonest_all(s, e)))
				return rc;
			s->states_seq_known = dv != 0;
		}
		if ((rc = shift_damaged(s, out, e)))
			return rc;
		s->damaged = out->damaged;
		s->damaged_soonest = out->damaged_soonest;
		s->states_known = dv != 0;
		s->states_dv = dv;
	}
	memcpy(out->soonest, s->soonest, sizeof out->soonest);
	out->damaged = s->damaged;
	out->damaged_soonest = s->damaged_soonest;
	return 0;
}

/* The shift's deadlines: open ones, and ones closed after their due time
 * within the shift (a breach stays on the shift even when put right).
 * Each count is read from an index alone (clock_open, clock_late_due):
 * a shift that was never closed may hold a year of late ones. */
static int deadline_totals(struct store *s, int64_t since_ms, int64_t now,
			   struct shift_deadline_totals *t, struct am_error *e)
{
	sqlite3_stmt *st;
	memset(t, 0, sizeof *t);
	/* the open ones: in the index, and the fresh (schema 28) */
#define OPEN_COUNT(cond) "(SELECT count(*) FROM clock WHERE closed_ms = 0 AND fresh = 0 AND " cond ")" \
	" + (SELECT count(*) FROM clock WHERE id IN " CLOCK_FRESH_IDS " AND closed_ms = 0 AND " cond ")"
	int rc = db_prepare(s, &st, "SELECT " OPEN_COUNT("1") ", " OPEN_COUNT("due_ms < ?2") ","
			    " (SELECT count(*) FROM clock WHERE closed_ms > due_ms AND closed_ms >= ?1),"
			    " " OPEN_COUNT("due_ms >= ?2 AND due_ms < ?2 + 86400000"), e);
#undef OPEN_COUNT
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, since_ms);
	sqlite3_bind_int64(st, 2, now);
	if (sqlite3_step(st) == SQLITE_ROW) {
		t->open = (size_t)sqlite3_column_int64(st, 0);
		t->breached_open = (size_t)sqlite3_column_int64(st, 1);
		t->closed_late = (size_t)sqlite3_column_int64(st, 2);
		t->soon = (size_t)sqlite3_column_int64(st, 3);
		t->total = t->open + t->closed_late;
	}
	sqlite3_finalize(st);
	return 0;
}

/* A page: the first offset+limit of each kind, soonest first, from their
 * indexes (ids and due times only), merged, cut to the page, and only
 * then the page's rows read with their envelopes. */
#define SHIFT_PAGE \
	"WITH o AS (" OPEN_CLOCKS("id, due_ms", "1") " ORDER BY due_ms, id LIMIT ?4)," \
	" l AS (SELECT id, due_ms FROM clock WHERE closed_ms > due_ms AND closed_ms >= ?1" \
	"  ORDER BY due_ms, id LIMIT ?4)," \
	" p AS (SELECT id, due_ms FROM o UNION ALL SELECT id, due_ms FROM l ORDER BY due_ms, id LIMIT ?2 OFFSET ?3)" \
	" SELECT c.id, c.clock, c.waybill, c.register_id, c.started_ms, c.due_ms, c.closed_ms," \
	" coalesce(v.state, ''), coalesce(v.damaged, 0) FROM p JOIN clock c ON c.id = p.id" \
	" LEFT JOIN envelope v ON v.waybill = c.waybill AND c.waybill <> '' ORDER BY p.due_ms, p.id"

int store_shift_deadlines(struct store *s, int64_t since_ms, int64_t now, size_t offset,
			  size_t limit, int (*cb)(const struct shift_deadline *, void *), void *arg,
			  struct shift_deadline_totals *totals, struct am_error *e)
{
	sqlite3_stmt *st;
	int rc;
	if (totals && (rc = deadline_totals(s, since_ms, now, totals, e)))
		return rc;
	if (!limit)
		return 0;
	if ((rc = db_prepare(s, &st, SHIFT_PAGE, e)))
		return rc;
	/* limit may be "all" ((size_t)-1 >> 1): keep offset + limit in range */
	int64_t lim = limit > (size_t)INT64_MAX ? INT64_MAX : (int64_t)limit;
	int64_t off = offset > (size_t)INT64_MAX ? INT64_MAX : (int64_t)offset;
	sqlite3_bind_int64(st, 1, since_ms);
	sqlite3_bind_int64(st, 2, lim);
	sqlite3_bind_int64(st, 3, off);
	sqlite3_bind_int64(st, 4, lim > INT64_MAX - off ? INT64_MAX : lim + off);
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct shift_deadline d;
		char name[32];
		memset(&d, 0, sizeof d);
		d.c.id = sqlite3_column_int64(st, 0);
		db_text(st, 1, name, sizeof name);
		int c = clock_from_name(name);
		if (c < 0)
			continue;
		d.c.clock = (enum pilot_clock)c;
		db_text(st, 2, d.c.waybill, sizeof d.c.waybill);
		db_text(st, 3, d.c.register_id, sizeof d.c.register_id);
		d.c.started_ms = sqlite3_column_int64(st, 4);
		d.c.due_ms = sqlite3_column_int64(st, 5);
		d.closed_ms = sqlite3_column_int64(st, 6);
		int sv = state_from_name((const char *)sqlite3_column_text(st, 7));
		d.state = sv > 0 ? (enum envelope_state)sv : ST_NONE;
		d.damaged = sqlite3_column_int(st, 8) != 0;
		if (cb(&d, arg))
			break;
	}
	rc = (step == SQLITE_ROW || step == SQLITE_DONE) ? 0 : db_fail(s, e, _("reading deadlines"));
	sqlite3_finalize(st);
	return rc;
}
