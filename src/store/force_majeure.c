/*
 * force_majeure.c - §37-39: suspensions of the pilot's obligations.
 *
 * A force majeure has a start, an end (0 while it goes on), a reason, the
 * document of the authorised body that confirms it (§38: body, number, date),
 * who recorded it, and its §38 notice clock (3 working days from the start).
 * Each of these is an event.  Every open clock keeps its due time without
 * force majeure (base_due_ms); its due time is that, moved by each force
 * majeure in turn (deadline_extend_by), recomputed whenever one is recorded or
 * ended, and on every sweep while one goes on (the clocks stand still).  The
 * notice clock of a force majeure is never moved by that force majeure.
 * An entry recorded after its notice time is kept and flagged (§39).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "amanat/i18n.h"
#include "amanat/timeutil.h"
#include "store_internal.h"

/* Longer than a year, starting more than a year ago or a month ahead: a
 * typing error, not a force majeure. */
#define FM_MAX_MS (366 * MS_PER_DAY)

struct fm_span {
	char id[64];
	int64_t from, to;
};

/* Every force majeure, oldest start first; an ongoing one ends at now.
 * Every clock opened reads them: the statement is kept (db_cached). */
static int fm_spans(struct store *s, int64_t now, struct fm_span **out, size_t *n, struct am_error *e)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	int rc = db_cached(s, &st, "SELECT id, from_ms, to_ms FROM force_majeure ORDER BY from_ms, id", e);
	if (rc)
		return rc;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (*n == cap) {
			struct fm_span *v = realloc(*out, (cap = cap ? cap * 2 : 8) * sizeof *v);
			if (!v) {
				rc = am_fail(e, AM_ENV, _("out of memory"));
				break;
			}
			*out = v;
		}
		struct fm_span *f = &(*out)[(*n)++];
		db_text(st, 0, f->id, sizeof f->id);
		f->from = sqlite3_column_int64(st, 1);
		f->to = sqlite3_column_int64(st, 2);
		if (!f->to)
			f->to = now > f->from ? now : f->from;
	}
	db_done(s, st);
	if (rc) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

static int64_t extend_all(const struct store *s, enum pilot_clock c, const char *register_id,
			  int64_t started, int64_t due, const struct fm_span *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (c == CLOCK_FORCE_MAJEURE_NOTICE && register_id && strcmp(register_id, v[i].id) == 0)
			continue;	/* §38: the notice is not suspended by its own cause */
		due = deadline_extend_by(s->rules.calendar, c, started, due, v[i].from, v[i].to,
					 s->rules.offset_min);
	}
	return due;
}

int apply_force_majeure(struct store *s, enum pilot_clock c, const char *register_id,
			int64_t started, int64_t *due, struct am_error *e)
{
	struct fm_span *v;
	size_t n;
	int rc = fm_spans(s, now_ms(), &v, &n, e);
	if (rc)
		return rc;
	*due = extend_all(s, c, register_id, started, *due, v, n);
	free(v);
	return 0;
}

bool force_majeure_ongoing(struct store *s)
{
	sqlite3_stmt *st;
	struct am_error e;
	bool yes = false;
	if (db_prepare(s, &st, "SELECT 1 FROM force_majeure WHERE to_ms = 0 LIMIT 1", &e) == 0) {
		yes = sqlite3_step(st) == SQLITE_ROW;
		sqlite3_finalize(st);
	}
	return yes;
}

/* Recompute every open clock's due time from its base (inside a transaction). */
int force_majeure_refresh(struct store *s, int64_t now, struct am_error *e)
{
	struct fm_span *v;
	size_t n;
	sqlite3_stmt *st, *up = NULL;
	int rc = fm_spans(s, now, &v, &n, e);
	if (rc || !s->rules.calendar) {
		free(v);
		return rc;
	}
	struct moved { int64_t id, due; } *moved = NULL;
	size_t n_moved = 0, cap = 0;
	/* every open clock in the index first (schema 28), then read from it */
	if ((rc = clock_fresh_settle(s, e)) ||
	    (rc = db_prepare(s, &st, "SELECT id, clock, register_id, started_ms, base_due_ms, due_ms FROM clock"
			     " WHERE closed_ms = 0 AND fresh = 0", e))) {
		free(v);
		return rc;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		char name[32], reg[REG_ID_MAX];
		db_text(st, 1, name, sizeof name);
		db_text(st, 2, reg, sizeof reg);
		int c = clock_from_name(name);
		int64_t base = sqlite3_column_int64(st, 4), old = sqlite3_column_int64(st, 5);
		if (c < 0 || !base)
			continue;
		int64_t due = extend_all(s, (enum pilot_clock)c, reg, sqlite3_column_int64(st, 3), base, v, n);
		if (due == old)
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
		moved[n_moved++].due = due;
	}
	sqlite3_finalize(st);
	free(v);
	/* Updated after the walk: changing rows while a query reads them by
	 * the due_ms index would visit them again. */
	if (!rc && n_moved && (rc = db_prepare(s, &up, "UPDATE clock SET due_ms = ? WHERE id = ?", e)) == 0) {
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
	if (!rc && n_moved)
		rc = db_exec(s, CLOCKS_MOVED_SQL, e);
	return rc;
}

/* Append one force-majeure event with a payload packed by payload_pack (NULL: out of
 * memory); the payload is freed either way. */
static int fm_append(struct store *s, enum event_type type, const char *id, char *payload,
		     const struct event_ctx *ctx, struct am_error *e)
{
	int rc = payload ? event_append(s, type, "", id, payload, ctx, e) : am_fail(e, AM_ENV, _("out of memory"));
	free(payload);
	return rc;
}

int store_force_majeure_check(int64_t from, int64_t to, int64_t now, struct am_error *e)
{
	if (from > now + 31 * MS_PER_DAY)
		return am_fail(e, AM_REFUSED, _("force majeure: the start is more than a month ahead; check the date"));
	if (from < now - FM_MAX_MS)
		return am_fail(e, AM_REFUSED, _("force majeure: the start is more than a year ago; check the date"));
	if (to && to <= from)
		return am_fail(e, AM_REFUSED, _("force majeure: --to must be after --from"));
	if (to && to - from > FM_MAX_MS)
		return am_fail(e, AM_REFUSED, _("force majeure longer than a year is refused: check the dates, or record it in parts as it is confirmed"));
	return 0;
}

int store_force_majeure(struct store *s, int64_t from_ms, int64_t to_ms, const char *reason,
			const struct event_ctx *ctx, char *fm_id, size_t fm_len, struct am_error *e)
{
	sqlite3_stmt *st;
	char id[64];
	int rc;
	int64_t now = db_now(ctx);
	if ((rc = store_force_majeure_check(from_ms, to_ms, now, e)))
		return rc;
	if (!reason || !*reason)
		return am_fail(e, AM_REFUSED, _("force majeure needs a --reason (§39: documented, or it cannot be relied on)"));
	int64_t notice = s->rules.calendar
		? deadline_due(s->rules.calendar, CLOCK_FORCE_MAJEURE_NOTICE, from_ms, s->rules.offset_min) : 0;
	bool late = notice && now > notice;
	const char *by = ctx && ctx->actor ? ctx->actor : "";
	if ((rc = db_begin(s, e)))
		return rc;
	snprintf(id, sizeof id, "FM-%s-%lld", s->device, (long long)now);
	if ((rc = db_prepare(s, &st, "INSERT INTO force_majeure(id, from_ms, to_ms, reason, created_ms,"
			     " notice_due_ms, notice_late, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", e)))
		goto fail;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, from_ms);
	sqlite3_bind_int64(st, 3, to_ms);
	sqlite3_bind_text(st, 4, reason, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, now);
	sqlite3_bind_int64(st, 6, notice);
	sqlite3_bind_int(st, 7, late);
	sqlite3_bind_text(st, 8, by, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(s, e, _("recording force majeure"));
	sqlite3_finalize(st);
	if (rc || (rc = force_majeure_refresh(s, now, e)))
		goto fail;
	rc = fm_append(s, EV_FORCE_MAJEURE, id,
		       payload_pack("{s:s, s:I, s:I, s:s, s:I, s:b, s:s}", "id", id, "from_ms", (json_int_t)from_ms,
				    "to_ms", (json_int_t)to_ms, "reason", reason, "notice_due_ms", (json_int_t)notice,
				    "notice_late", late, "recorded_by", by),
		       ctx, e);
	if (rc || (rc = clock_open(s, CLOCK_FORCE_MAJEURE_NOTICE, "", id, from_ms, ctx, e)))
		goto fail;
	if ((rc = db_commit(s, e)))
		return rc;
	snprintf(fm_id, fm_len, "%s", id);
	return 0;
fail:
	db_rollback(s);
	return rc;
}

/* Read one force majeure's times inside the transaction. */
static int fm_get(struct store *s, const char *id, int64_t *from, int64_t *to, int64_t *notified,
		  struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(s, &st, "SELECT from_ms, to_ms, notified_ms FROM force_majeure WHERE id = ?", e);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		*from = sqlite3_column_int64(st, 0);
		*to = sqlite3_column_int64(st, 1);
		*notified = sqlite3_column_int64(st, 2);
	} else {
		rc = am_fail(e, AM_REFUSED, _("no force majeure %s (see 'amanat force-majeure list')"), id);
	}
	sqlite3_finalize(st);
	return rc;
}

static int fm_update(struct store *s, const char *sql, const char *id, int64_t v, const char *a,
		     const char *b, const char *c, struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(s, &st, sql, e);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, v);
	sqlite3_bind_text(st, 3, a ? a : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, b ? b : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, c ? c : "", -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(s, e, _("recording force majeure"));
	sqlite3_finalize(st);
	return rc;
}

int store_force_majeure_end(struct store *s, const char *id, int64_t to_ms,
			    const struct event_ctx *ctx, struct am_error *e)
{
	int64_t from, to, notified, now = db_now(ctx);
	int rc = db_begin(s, e);
	if (rc)
		return rc;
	if ((rc = fm_get(s, id, &from, &to, &notified, e)))
		goto fail;
	if (to) {
		rc = am_fail(e, AM_REFUSED, _("force majeure %s has already ended"), id);
		goto fail;
	}
	if (to_ms > now + MS_PER_MINUTE) {
		rc = am_fail(e, AM_REFUSED, _("force majeure: the end is in the future; record it when it happens"));
		goto fail;
	}
	if ((rc = store_force_majeure_check(from, to_ms, now > from ? now : from, e)))
		goto fail;
	if ((rc = fm_update(s, "UPDATE force_majeure SET to_ms = ?2 WHERE id = ?1", id, to_ms, NULL, NULL,
			    NULL, e)) || (rc = force_majeure_refresh(s, now, e)))
		goto fail;
	rc = fm_append(s, EV_FORCE_MAJEURE_ENDED, id,
		       payload_pack("{s:s, s:I, s:I}", "id", id, "from_ms", (json_int_t)from, "to_ms", (json_int_t)to_ms),
		       ctx, e);
	if (rc)
		goto fail;
	return db_commit(s, e);
fail:
	db_rollback(s);
	return rc;
}

int store_force_majeure_document(struct store *s, const char *id, const char *body,
				 const char *number, const char *date, const struct event_ctx *ctx,
				 struct am_error *e)
{
	int64_t from, to, notified, day;
	if (!body || !*body || !number || !*number || !date || date_parse(date, &day))
		return am_fail(e, AM_REFUSED, _("the confirming document needs the body that issued it, its number and its date (YYYY-MM-DD) (§38)"));
	int rc = db_begin(s, e);
	if (rc)
		return rc;
	if ((rc = fm_get(s, id, &from, &to, &notified, e)) ||
	    (rc = fm_update(s, "UPDATE force_majeure SET doc_body = ?3, doc_number = ?4, doc_date = ?5"
			    " WHERE id = ?1 AND ?2 = ?2", id, 0, body, number, date, e)))
		goto fail;
	rc = fm_append(s, EV_FORCE_MAJEURE_DOCUMENT, id,
		       payload_pack("{s:s, s:s, s:s, s:s}", "id", id, "body", body, "number", number, "date", date),
		       ctx, e);
	if (rc)
		goto fail;
	return db_commit(s, e);
fail:
	db_rollback(s);
	return rc;
}

int store_force_majeure_notify(struct store *s, const char *id, const char *to_whom,
			       const struct event_ctx *ctx, struct am_error *e)
{
	int64_t from, to, notified, now = db_now(ctx);
	if (!to_whom || !*to_whom)
		return am_fail(e, AM_REFUSED, _("say whom the force majeure was reported to (§38: the responsible units)"));
	int rc = db_begin(s, e);
	if (rc)
		return rc;
	if ((rc = fm_get(s, id, &from, &to, &notified, e)))
		goto fail;
	if (notified) {
		rc = am_fail(e, AM_REFUSED, _("the notice of force majeure %s is already recorded"), id);
		goto fail;
	}
	if ((rc = fm_update(s, "UPDATE force_majeure SET notified_ms = ?2, notified_to = ?3 WHERE id = ?1", id,
			    now, to_whom, NULL, NULL, e)))
		goto fail;
	rc = fm_append(s, EV_FORCE_MAJEURE_NOTIFIED, id, payload_pack("{s:s, s:s}", "id", id, "to", to_whom), ctx, e);
	if (rc || (rc = clock_close(s, CLOCK_FORCE_MAJEURE_NOTICE, "", id, now, ctx, e)))
		goto fail;
	return db_commit(s, e);
fail:
	db_rollback(s);
	return rc;
}

int store_force_majeure_each(struct store *s, int (*cb)(const struct force_majeure *, void *),
			     void *arg, struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(s, &st, "SELECT id, from_ms, to_ms, reason, created_ms, notice_due_ms, notice_late,"
			    " notified_ms, notified_to, recorded_by, doc_body, doc_number, doc_date"
			    " FROM force_majeure ORDER BY from_ms DESC, id", e);
	if (rc)
		return rc;
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct force_majeure f;
		memset(&f, 0, sizeof f);
		db_text(st, 0, f.id, sizeof f.id);
		f.from_ms = sqlite3_column_int64(st, 1);
		f.to_ms = sqlite3_column_int64(st, 2);
		f.reason = (const char *)sqlite3_column_text(st, 3);
		f.created_ms = sqlite3_column_int64(st, 4);
		f.notice_due_ms = sqlite3_column_int64(st, 5);
		f.notice_late = sqlite3_column_int(st, 6) != 0;
		f.notified_ms = sqlite3_column_int64(st, 7);
		f.notified_to = (const char *)sqlite3_column_text(st, 8);
		f.recorded_by = (const char *)sqlite3_column_text(st, 9);
		f.doc_body = (const char *)sqlite3_column_text(st, 10);
		f.doc_number = (const char *)sqlite3_column_text(st, 11);
		f.doc_date = (const char *)sqlite3_column_text(st, 12);
		if (cb(&f, arg))
			break;
	}
	rc = (step == SQLITE_ROW || step == SQLITE_DONE) ? 0 : db_fail(s, e, _("reading force majeure"));
	sqlite3_finalize(st);
	return rc;
}
