/*
 * clock.c - the open deadlines of envelopes and registers.
 *
 * A clock row is opened when its event happens (due time from deadline.h,
 * pushed by any force majeure already recorded) and closed by the event that
 * ends it.  Listing open clocks soonest first is then one indexed query.
 *
 * A breach is a fact in the log, not a colour on a screen: the first run (CLI
 * command or UI tick) that sees an open clock past its due time writes
 * deadline_missed; closing a clock after its due time writes
 * deadline_closed_late with how late.  The clock row keeps missed_ms, so the
 * breaches of a period are one query however they ended.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "amanat/i18n.h"
#include "amanat/timeutil.h"
#include "store_internal.h"

/* Keeping periods (clock_is_keeping): their end is nobody's breach. */
#define KEEPING "('storage', 'issuance-storage')"

/* The payload of a deadline event: which clock, when it started and was due. */
static char *clock_payload(struct store *s, const char *clock, const char *waybill,
			   int64_t started, int64_t due, int64_t closed)
{
	char iso[40];
	time_format_iso(due, s->rules.offset_min, iso, sizeof iso);
	int c = clock_from_name(clock);
	json_t *o = json_pack("{s:s, s:i, s:I, s:I, s:s}", "clock", clock,
			      "paragraph", c >= 0 ? clock_paragraph((enum pilot_clock)c) : 0,
			      "started_ms", (json_int_t)started, "due_ms", (json_int_t)due, "due", iso);
	if (!o)
		return NULL;
	if (waybill && *waybill) {	/* §9: the application beside the waybill */
		struct envelope v;
		struct am_error ignore;
		if (store_envelope_get(s, waybill, &v, &ignore) == 0 && v.application[0])
			json_object_set_new(o, "application", json_string(v.application));
	}
	if (closed) {
		json_object_set_new(o, "closed_ms", json_integer(closed));
		json_object_set_new(o, "late_minutes", json_integer((closed - due) / MS_PER_MINUTE));
	}
	char *text = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	return text;
}

/* A breach is a fact: write deadline_missed for clock row id (once), and
 * when closed is set, deadline_closed_late with how late it was closed. */
static int clock_breach(struct store *s, int64_t id, const char *clock, const char *waybill,
			const char *register_id, int64_t started, int64_t due, bool missed_before,
			int64_t closed, const struct event_ctx *ctx, struct am_error *e)
{
	/* at the time of the step or sweep that saw it (a run for a given
	 * time, as the year's generator's evenings, writes that time) */
	struct event_ctx sys = { "amanat", ctx && ctx->place ? ctx->place : "", ctx ? ctx->at_ms : 0, NULL };
	int rc = 0;
	if (!missed_before) {
		char *p = clock_payload(s, clock, waybill, started, due, 0);
		rc = p ? event_append(s, EV_DEADLINE_MISSED, waybill, register_id, p, &sys, e)
		       : am_fail(e, AM_ENV, _("out of memory"));
		free(p);
		if (rc)
			return rc;
		sqlite3_stmt *st;
		if ((rc = db_prepare(s, &st, "UPDATE clock SET missed_ms = ? WHERE id = ?", e)))
			return rc;
		sqlite3_bind_int64(st, 1, db_now(&sys));
		sqlite3_bind_int64(st, 2, id);
		rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(s, e, _("recording a breached deadline"));
		sqlite3_finalize(st);
		if (rc)
			return rc;
	}
	if (closed) {
		char *p = clock_payload(s, clock, waybill, started, due, closed);
		rc = p ? event_append(s, EV_DEADLINE_CLOSED_LATE, waybill, register_id, p, ctx, e)
		       : am_fail(e, AM_ENV, _("out of memory"));
		free(p);
	}
	return rc;
}

int clock_fresh_settle(struct store *s, struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_cached(s, &st, "UPDATE clock SET fresh = 0 WHERE id IN " CLOCK_FRESH_IDS, e);
	if (rc)
		return rc;
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(s, e, _("opening a deadline"));
	db_done(s, st);
	if (rc || (rc = db_cached(s, &st, "DELETE FROM log_head WHERE kind = -2", e)))
		return rc;
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(s, e, _("opening a deadline"));
	db_done(s, st);
	s->fresh_known = rc == 0;
	s->fresh_n = 0;
	return rc;
}

/* The fresh clocks listed now. */
static int fresh_count(struct store *s, struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_cached(s, &st, "SELECT count(*) FROM log_head WHERE kind = -2", e);
	if (rc)
		return rc;
	int step = sqlite3_step(st);
	s->fresh_n = step == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	s->fresh_known = step == SQLITE_ROW;
	db_done(s, st);
	return step == SQLITE_ROW ? 0 : db_fail(s, e, _("opening a deadline"));
}

/* List the fresh clock id (schema 28), and put the list into clock_open
 * once it is CLOCK_FRESH_MAX long. */
static int fresh_add(struct store *s, int64_t id, struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = s->fresh_known ? 0 : fresh_count(s, e);
	if (rc || (rc = db_cached(s, &st, "INSERT INTO log_head(kind, shift) VALUES (-2, ?1)", e)))
		return rc;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(s, e, _("opening a deadline"));
	db_done(s, st);
	if (rc || ++s->fresh_n < CLOCK_FRESH_MAX || (rc = fresh_count(s, e)))
		return rc;
	return s->fresh_n >= CLOCK_FRESH_MAX ? clock_fresh_settle(s, e) : 0;
}

int clock_open(struct store *s, enum pilot_clock c, const char *waybill, const char *register_id,
	       int64_t started_ms, const struct event_ctx *ctx, struct am_error *e)
{
	return clock_open_from(s, c, waybill, register_id, started_ms, started_ms, ctx, e);
}

/* Close the open clocks of kind c (every kind: -1) of a waybill or (waybill
 * "") a register at at_ms, writing the breaches of those closed late.  For
 * a waybill, *next gets the id its next clock takes (schema 24: CLOCKS_OF;
 * 0 when it has no envelope row or every slot is taken). */
static int close_open(struct store *s, int c, const char *waybill, const char *register_id,
		      int64_t at_ms, const struct event_ctx *ctx, int64_t *next, struct am_error *e)
{
	sqlite3_stmt *st;
	/* A register's clocks (waybill '') are found by register_id (the
	 * partial index clock_register needs "register_id <> ''" to be used);
	 * an envelope's by its range of ids, every clock it ever had, so that
	 * the same read gives the next free id (b: the range's first, NULL
	 * for an envelope without clocks). */
	bool by_reg = !waybill || !*waybill;
	int rc = by_reg ? db_cached(s, &st, "SELECT id, clock, started_ms, due_ms, missed_ms, closed_ms, 0, 1 FROM clock"
				    " WHERE closed_ms = 0 AND (?1 IS NULL OR clock = ?1) AND waybill = ?2"
				    " AND register_id = ?3 AND register_id <> ''", e)
			: db_cached(s, &st, "SELECT c.id, c.clock, c.started_ms, c.due_ms, c.missed_ms, c.closed_ms, v.b,"
				    " c.register_id = ?3 FROM (SELECT rowid * " CLOCK_SLOTS_SQL " AS b FROM envelope WHERE waybill = ?2) v"
				    " LEFT JOIN clock c ON c.id BETWEEN v.b AND v.b + 1023 AND c.waybill = ?2", e);
	if (rc)
		return rc;
	if (c >= 0)
		sqlite3_bind_text(st, 1, clock_name((enum pilot_clock)c), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, waybill ? waybill : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, register_id ? register_id : "", -1, SQLITE_STATIC);
	/* Closing late is rare: collect the late rows, then write their events. */
	struct late { int64_t id, started, due, missed; char clock[32]; } late[CLOCK__COUNT];
	size_t n_late = 0, n_open = 0;
	int64_t base = 0, last = -1;
	const char *want = c >= 0 ? clock_name((enum pilot_clock)c) : NULL;
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		char name[32];
		base = sqlite3_column_int64(st, 6);
		if (sqlite3_column_type(st, 0) == SQLITE_NULL)
			continue;	/* an envelope without clocks yet */
		if (!by_reg && sqlite3_column_int64(st, 0) > last)
			last = sqlite3_column_int64(st, 0);
		db_text(st, 1, name, sizeof name);
		if (sqlite3_column_int64(st, 5) != 0 || !sqlite3_column_int(st, 7) || (want && strcmp(name, want) != 0))
			continue;
		n_open++;
		int kind = clock_from_name(name);
		if (sqlite3_column_int64(st, 3) >= at_ms || n_late == CLOCK__COUNT ||
		    (kind >= 0 && clock_is_keeping((enum pilot_clock)kind)))
			continue;
		struct late *l = &late[n_late++];
		l->id = sqlite3_column_int64(st, 0);
		snprintf(l->clock, sizeof l->clock, "%s", name);
		l->started = sqlite3_column_int64(st, 2);
		l->due = sqlite3_column_int64(st, 3);
		l->missed = sqlite3_column_int64(st, 4);
	}
	db_done(s, st);
	if (step != SQLITE_DONE && step != SQLITE_ROW)
		return db_fail(s, e, _("reading deadlines"));
	if (next)
		*next = by_reg || !base ? 0 : last < base ? base : last + 1 < base + CLOCK_SLOTS ? last + 1 : 0;
	if (n_open == 0)	/* most steps: nothing open of that kind (an acceptance's scan) */
		return 0;
	for (size_t i = 0; ctx && i < n_late; i++)	/* no ctx: a step another terminal took */
		if ((rc = clock_breach(s, late[i].id, late[i].clock, waybill, register_id, late[i].started,
				       late[i].due, late[i].missed != 0, at_ms, ctx, e)))
			return rc;
	if ((rc = by_reg ? db_cached(s, &st, "UPDATE clock SET closed_ms = ?1 WHERE closed_ms = 0"
				     " AND (?2 IS NULL OR clock = ?2) AND waybill = ?3 AND register_id = ?4"
				     " AND register_id <> ''", e)
			 : db_cached(s, &st, "UPDATE clock SET closed_ms = ?1 WHERE id BETWEEN ?5 AND ?5 + 1023"
				     " AND closed_ms = 0 AND (?2 IS NULL OR clock = ?2) AND waybill = ?3 AND register_id = ?4", e)))
		return rc;
	sqlite3_bind_int64(st, 1, at_ms ? at_ms : 1);
	if (c >= 0)
		sqlite3_bind_text(st, 2, clock_name((enum pilot_clock)c), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, waybill ? waybill : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, register_id ? register_id : "", -1, SQLITE_STATIC);
	if (!by_reg)
		sqlite3_bind_int64(st, 5, base);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(s, e, _("closing a deadline"));
	db_done(s, st);
	return rc;
}

int clock_open_from(struct store *s, enum pilot_clock c, const char *waybill,
		    const char *register_id, int64_t started_ms, int64_t basis_ms,
		    const struct event_ctx *ctx, struct am_error *e)
{
	sqlite3_stmt *st;
	int rc;
	int64_t id = 0;
	bool by_reg = !waybill || !*waybill;
	if (!s->rules.calendar)
		return 0;
	int64_t base = deadline_due(s->rules.calendar, c, basis_ms, s->rules.offset_min);
	int64_t due = base;
	if ((rc = apply_force_majeure(s, c, register_id, started_ms, &due, e)))
		return rc;
	/* One open clock of a kind per envelope or register. */
	if ((rc = close_open(s, (int)c, waybill, register_id, started_ms, ctx, &id, e)))
		return rc;
	if (!by_reg && !id)
		return am_fail(e, AM_REFUSED, _("%s: no deadline can be opened for it (no envelope, or %d deadlines already)"),
			       waybill, CLOCK_SLOTS);
	/* an envelope's clock by its id (close_open); a register's below
	 * every id so far */
	if ((rc = by_reg ? db_cached(s, &st, "INSERT INTO clock(id, clock, waybill, register_id, started_ms, due_ms,"
				     " base_due_ms, basis_ms) VALUES (min(coalesce((SELECT min(id) FROM clock), 0), 0) - 1,"
				     " ?1, ?2, ?3, ?4, ?5, ?6, ?7)", e)
			 : db_cached(s, &st, "INSERT INTO clock(id, clock, waybill, register_id, started_ms, due_ms,"
				     " base_due_ms, basis_ms, fresh) VALUES (?8, ?1, ?2, ?3, ?4, ?5, ?6, ?7, 1)", e)))
		return rc;
	sqlite3_bind_text(st, 1, clock_name(c), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, waybill ? waybill : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, register_id ? register_id : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, started_ms);
	sqlite3_bind_int64(st, 5, due);
	sqlite3_bind_int64(st, 6, base);
	sqlite3_bind_int64(st, 7, basis_ms);
	if (!by_reg)
		sqlite3_bind_int64(st, 8, id);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(s, e, _("opening a deadline"));
	db_done(s, st);
	return rc || by_reg ? rc : fresh_add(s, id, e);
}

int clock_close(struct store *s, int c, const char *waybill, const char *register_id,
		int64_t at_ms, const struct event_ctx *ctx, struct am_error *e)
{
	return close_open(s, c, waybill, register_id, at_ms, ctx, NULL, e);
}

int store_deadlines_sweep(struct store *s, const struct event_ctx *ctx, size_t *n,
			  struct am_error *e)
{
	sqlite3_stmt *st;
	int64_t now = db_now(ctx);
	int rc, step;
	*n = 0;
	/* While a force majeure goes on the clocks stand still: their due times
	 * move on with it. */
	bool ongoing = force_majeure_ongoing(s);
	if (!ongoing) {
		/* Most runs find nothing: look before taking the write lock. */
		if ((rc = db_prepare(s, &st, OPEN_CLOCKS("1", "missed_ms = 0 AND due_ms <= ?1 AND clock NOT IN " KEEPING)
				     " LIMIT 1", e)))
			return rc;
		sqlite3_bind_int64(st, 1, now);
		step = sqlite3_step(st);
		sqlite3_finalize(st);
		if (step != SQLITE_ROW)
			return step == SQLITE_DONE ? 0 : db_fail(s, e, _("reading deadlines"));
	}
	if ((rc = db_begin(s, e)))
		return rc;
	if (ongoing && (rc = force_majeure_refresh(s, now, e)))
		goto fail;
	if ((rc = db_prepare(s, &st, OPEN_CLOCKS("id, clock, waybill, register_id, started_ms, due_ms",
					       "missed_ms = 0 AND due_ms <= ?1 AND clock NOT IN " KEEPING)
			     " ORDER BY due_ms, id", e)))
		goto fail;
	sqlite3_bind_int64(st, 1, now);
	struct row { int64_t id, started, due; char clock[32], waybill[32], reg[REG_ID_MAX]; } *rows = NULL;
	size_t cap = 0;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			struct row *r = realloc(rows, (cap = cap ? cap * 2 : 16) * sizeof *r);
			if (!r) {
				rc = am_fail(e, AM_ENV, _("out of memory"));
				break;
			}
			rows = r;
		}
		struct row *r = &rows[(*n)++];
		r->id = sqlite3_column_int64(st, 0);
		db_text(st, 1, r->clock, sizeof r->clock);
		db_text(st, 2, r->waybill, sizeof r->waybill);
		db_text(st, 3, r->reg, sizeof r->reg);
		r->started = sqlite3_column_int64(st, 4);
		r->due = sqlite3_column_int64(st, 5);
	}
	sqlite3_finalize(st);
	if (!rc && step != SQLITE_DONE)
		rc = db_fail(s, e, _("reading deadlines"));
	for (size_t i = 0; i < *n && !rc; i++)
		rc = clock_breach(s, rows[i].id, rows[i].clock, rows[i].waybill, rows[i].reg,
				  rows[i].started, rows[i].due, false, 0, ctx, e);
	free(rows);
	if (rc)
		goto fail;
	return db_commit(s, e);
fail:
	*n = 0;
	db_rollback(s);
	return rc;
}

int store_clock_due(struct store *s, const char *waybill, enum pilot_clock c, int64_t *due_ms,
		    struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(s, &st, "SELECT due_ms FROM clock WHERE " CLOCKS_OF("?1")
			    " AND closed_ms = 0 AND clock = ?2", e);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, waybill, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, clock_name(c), -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		*due_ms = sqlite3_column_int64(st, 0);
	else
		rc = am_fail(e, AM_REFUSED, _("no open %s deadline for %s"), clock_name(c), waybill);
	sqlite3_finalize(st);
	return rc;
}

static int clock_rows(struct store *s, sqlite3_stmt *st,
		      int (*cb)(const struct clock_row *, void *), void *arg, struct am_error *e)
{
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
		r.closed_ms = sqlite3_column_int64(st, 6);
		r.missed_ms = sqlite3_column_int64(st, 7);
		r.beyond_calendar = s->rules.calendar && !calendar_covers(s->rules.calendar,
			(r.due_ms - 1 + (int64_t)s->rules.offset_min * MS_PER_MINUTE) / MS_PER_DAY);
		if (cb(&r, arg))
			break;
	}
	int rc = (step == SQLITE_ROW || step == SQLITE_DONE) ? 0 : db_fail(s, e, _("reading deadlines"));
	sqlite3_finalize(st);
	return rc;
}

#define CLOCK_COLS "id, clock, waybill, register_id, started_ms, due_ms, closed_ms, missed_ms"

int store_clock_each(struct store *s, int (*cb)(const struct clock_row *, void *), void *arg,
		     struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(s, &st, OPEN_CLOCKS(CLOCK_COLS, "1") " ORDER BY due_ms, id", e);
	return rc ? rc : clock_rows(s, st, cb, arg, e);
}

int store_breach_each(struct store *s, int64_t since_ms, int64_t now_ms_,
		      int (*cb)(const struct clock_row *, void *), void *arg, struct am_error *e)
{
	sqlite3_stmt *st;
	/* Written down (missed_ms), or past due and not yet seen by a sweep
	 * (a fresh one of those from the list, schema 28). */
	int rc = db_prepare(s, &st, "SELECT " CLOCK_COLS " FROM clock WHERE due_ms >= ?1 AND"
			    " (missed_ms <> 0 OR (closed_ms = 0 AND fresh = 0 AND due_ms < ?2) OR closed_ms > due_ms)"
			    " AND clock NOT IN " KEEPING
			    " UNION ALL SELECT " CLOCK_COLS " FROM clock WHERE id IN " CLOCK_FRESH_IDS
			    " AND closed_ms = 0 AND missed_ms = 0 AND due_ms >= ?1 AND due_ms < ?2"
			    " AND clock NOT IN " KEEPING
			    " ORDER BY due_ms, id", e);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, since_ms);
	sqlite3_bind_int64(st, 2, now_ms_);
	return clock_rows(s, st, cb, arg, e);
}

int store_waybill_clocks(struct store *s, const char *waybill, bool breached, int64_t now_ms_,
			 int (*cb)(const struct clock_row *, void *), void *arg, struct am_error *e)
{
	sqlite3_stmt *st;
	/* by the envelope's range of ids: its few clocks, not the year's */
	int rc = db_prepare(s, &st, breached
			    ? "SELECT " CLOCK_COLS " FROM clock WHERE " CLOCKS_OF("?1") " AND"
			      " (missed_ms <> 0 OR (closed_ms = 0 AND due_ms < ?2) OR closed_ms > due_ms)"
			      " AND clock NOT IN " KEEPING " ORDER BY due_ms, id"
			    : "SELECT " CLOCK_COLS " FROM clock WHERE " CLOCKS_OF("?1")
			      " AND closed_ms = 0 ORDER BY due_ms, id", e);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, waybill, -1, SQLITE_STATIC);
	if (breached)
		sqlite3_bind_int64(st, 2, now_ms_);
	return clock_rows(s, st, cb, arg, e);
}

int store_clock_each_all(struct store *s, int64_t now_ms_,
			 int (*cb)(const struct clock_row *, void *), void *arg, struct am_error *e)
{
	sqlite3_stmt *st;
	/* the open fresh ones (schema 28) not already among the breached */
	int rc = db_prepare(s, &st, "SELECT " CLOCK_COLS " FROM clock WHERE (closed_ms = 0 AND fresh = 0) OR"
			    " ((missed_ms <> 0 OR closed_ms > due_ms) AND clock NOT IN " KEEPING ")"
			    " UNION ALL SELECT " CLOCK_COLS " FROM clock WHERE id IN " CLOCK_FRESH_IDS
			    " AND closed_ms = 0 AND NOT (missed_ms <> 0 AND clock NOT IN " KEEPING ")"
			    " ORDER BY due_ms, id", e);
	(void)now_ms_;
	return rc ? rc : clock_rows(s, st, cb, arg, e);
}
