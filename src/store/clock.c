/*
 * clock.c - the open deadlines of envelopes and registers.
 *
 * A clock row is opened when its event happens (due time from deadline.h,
 * pushed by any force majeure already recorded) and closed by the event that
 * ends it.  Listing open clocks soonest first is then one indexed query.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "amanat/i18n.h"
#include "store_internal.h"

/* Force majeure recorded before the clock started still pushes it if the
 * suspension runs through the clock's interval. */
static int apply_force_majeure(struct store *s, int64_t started, int64_t *due, struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_cached(s, &st, "SELECT from_ms, to_ms FROM force_majeure ORDER BY from_ms", e);
	if (rc)
		return rc;
	while (sqlite3_step(st) == SQLITE_ROW)
		*due = deadline_extend(started, *due, sqlite3_column_int64(st, 0),
				       sqlite3_column_int64(st, 1));
	db_done(s, st);
	return 0;
}

int clock_open(struct store *s, enum pilot_clock c, const char *waybill,
	       const char *register_id, int64_t started_ms, struct am_error *e)
{
	sqlite3_stmt *st;
	int rc;
	if (!s->rules.calendar)
		return 0;
	int64_t due = deadline_due(s->rules.calendar, c, started_ms, s->rules.offset_min);
	if ((rc = apply_force_majeure(s, started_ms, &due, e)))
		return rc;
	/* One open clock of a kind per envelope or register. */
	if ((rc = clock_close(s, (int)c, waybill, register_id, started_ms, e)))
		return rc;
	if ((rc = db_cached(s, &st, "INSERT INTO clock(clock, waybill, register_id, started_ms, due_ms)"
			     " VALUES (?, ?, ?, ?, ?)", e)))
		return rc;
	sqlite3_bind_text(st, 1, clock_name(c), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, waybill ? waybill : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, register_id ? register_id : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, started_ms);
	sqlite3_bind_int64(st, 5, due);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(s, e, _("opening a deadline"));
	db_done(s, st);
	return rc;
}

int clock_close(struct store *s, int c, const char *waybill, const char *register_id,
		int64_t at_ms, struct am_error *e)
{
	sqlite3_stmt *st;
	int rc;
	/* Two statements, so that each walks its own index: a register's clocks
	 * (waybill '') are found by register_id, not among every register's. */
	if (waybill && *waybill)
		rc = db_cached(s, &st, "UPDATE clock SET closed_ms = ?1 WHERE closed_ms = 0"
			       " AND (?2 IS NULL OR clock = ?2) AND waybill = ?3 AND register_id = ?4", e);
	else
		rc = db_cached(s, &st, "UPDATE clock SET closed_ms = ?1 WHERE closed_ms = 0"
			       " AND (?2 IS NULL OR clock = ?2) AND waybill = ?3 AND register_id = ?4"
			       " AND register_id <> ''", e);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, at_ms ? at_ms : 1);
	if (c >= 0)
		sqlite3_bind_text(st, 2, clock_name((enum pilot_clock)c), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, waybill ? waybill : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, register_id ? register_id : "", -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(s, e, _("closing a deadline"));
	db_done(s, st);
	return rc;
}

int store_clock_due(struct store *s, const char *waybill, enum pilot_clock c, int64_t *due_ms,
		    struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_cached(s, &st, "SELECT due_ms FROM clock WHERE closed_ms = 0 AND waybill = ? AND clock = ?", e);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, waybill, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, clock_name(c), -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		*due_ms = sqlite3_column_int64(st, 0);
	else
		rc = am_fail(e, AM_REFUSED, _("no open %s deadline for %s"), clock_name(c), waybill);
	db_done(s, st);
	return rc;
}

int store_clock_each(struct store *s, int (*cb)(const struct clock_row *, void *), void *arg,
		     struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(s, &st, "SELECT id, clock, waybill, register_id, started_ms, due_ms FROM clock"
			    " WHERE closed_ms = 0 ORDER BY due_ms, id", e);
	if (rc)
		return rc;
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct clock_row r;
		char name[32];
		memset(&r, 0, sizeof r);
		r.id = sqlite3_column_int64(st, 0);
		db_text(st, 1, name, sizeof name);
		int c = clock_from_name(name);
		if (c < 0)
			continue;
		r.clock = (enum pilot_clock)c;
		db_text(st, 2, r.waybill, sizeof r.waybill);
		db_text(st, 3, r.register_id, sizeof r.register_id);
		r.started_ms = sqlite3_column_int64(st, 4);
		r.due_ms = sqlite3_column_int64(st, 5);
		if (cb(&r, arg))
			break;
	}
	rc = (step == SQLITE_ROW || step == SQLITE_DONE) ? 0 : db_fail(s, e, _("reading deadlines"));
	sqlite3_finalize(st);
	return rc;
}

int store_force_majeure(struct store *s, int64_t from_ms, int64_t to_ms, const char *reason,
			const struct event_ctx *ctx, char *fm_id, size_t fm_len, struct am_error *e)
{
	sqlite3_stmt *st, *up;
	char id[64], *payload;
	int rc;
	if (to_ms <= from_ms)
		return am_fail(e, AM_REFUSED, _("force majeure: --to must be after --from"));
	if (!reason || !*reason)
		return am_fail(e, AM_REFUSED, _("force majeure needs a --reason (§39: documented, or it cannot be relied on)"));
	if ((rc = db_begin(s, e)))
		return rc;
	int64_t now = db_now(ctx);
	snprintf(id, sizeof id, "FM-%s-%lld", s->device, (long long)now);
	if ((rc = db_prepare(s, &st, "INSERT INTO force_majeure(id, from_ms, to_ms, reason, created_ms)"
			     " VALUES (?, ?, ?, ?, ?)", e)))
		goto fail;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, from_ms);
	sqlite3_bind_int64(st, 3, to_ms);
	sqlite3_bind_text(st, 4, reason, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, now);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(s, e, _("recording force majeure"));
	sqlite3_finalize(st);
	if (rc)
		goto fail;
	/* Push every open clock that runs through the suspension.  The new due
	 * times are collected first: updating the rows while a query walks the
	 * due_ms index would visit them again. */
	if ((rc = db_prepare(s, &st, "SELECT id, started_ms, due_ms FROM clock WHERE closed_ms = 0", e)))
		goto fail;
	struct moved { int64_t id, due; } *moved = NULL;
	size_t n_moved = 0, cap = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		int64_t due = sqlite3_column_int64(st, 2);
		int64_t pushed = deadline_extend(sqlite3_column_int64(st, 1), due, from_ms, to_ms);
		if (pushed == due)
			continue;
		if (n_moved == cap) {
			struct moved *m = realloc(moved, (cap = cap ? cap * 2 : 64) * sizeof *m);
			if (!m) {
				rc = am_fail(e, AM_ENV, _("out of memory"));
				break;
			}
			moved = m;
		}
		moved[n_moved].id = sqlite3_column_int64(st, 0);
		moved[n_moved++].due = pushed;
	}
	sqlite3_finalize(st);
	if (!rc && (rc = db_prepare(s, &up, "UPDATE clock SET due_ms = ? WHERE id = ?", e)) == 0) {
		for (size_t i = 0; i < n_moved && !rc; i++) {
			sqlite3_bind_int64(up, 1, moved[i].due);
			sqlite3_bind_int64(up, 2, moved[i].id);
			if (sqlite3_step(up) != SQLITE_DONE)
				rc = db_fail(s, e, _("moving a deadline"));
			sqlite3_reset(up);
		}
		sqlite3_finalize(up);
	}
	free(moved);
	if (rc)
		goto fail;
	if ((rc = clock_open(s, CLOCK_FORCE_MAJEURE_NOTICE, "", id, from_ms, e)))
		goto fail;
	payload = payload_pack("{s:s, s:I, s:I, s:s}", "id", id, "from_ms", (json_int_t)from_ms,
			       "to_ms", (json_int_t)to_ms, "reason", reason);
	rc = payload ? event_append(s, EV_FORCE_MAJEURE, "", id, payload, ctx, e)
		     : am_fail(e, AM_ENV, _("out of memory"));
	free(payload);
	if (rc)
		goto fail;
	if ((rc = db_commit(s, e)))
		return rc;
	snprintf(fm_id, fm_len, "%s", id);
	return 0;
fail:
	db_rollback(s);
	return rc;
}
