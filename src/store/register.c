/*
 * register.c - registers in the store: import, listing, scans against them
 * (acceptance for inbound, hand-back for return) and finishing with the
 * summary, the discrepancy act and the §18 register of accepted documents.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "amanat/i18n.h"
#include "amanat/timeutil.h"
#include "store_internal.h"

/* The matched scans of an open register marked on its envelopes' rows
 * (schema 27), as log_head counts them (kind -1).  A mark is the row's
 * tally_seq, the scan's event (> 0): the register is that event's
 * (TALLY_REG).  MARKED(v, reg): row v carries a mark of register reg. */
#define MARKED(v, reg) v ".tally_seq > 0 AND " TALLY_REG(v) " = " reg
#define MARKS_OF(reg) "coalesce((SELECT h.n FROM log_head h WHERE h.kind = -1 AND h.shift = 0" \
	" AND h.name = " reg "), 0)"
/* The marks of register reg found from its lines: each line's envelope v
 * marked by a scan e of reg (a finish writes them all as rows). */
#define MARKS_BY_LINES(reg) " FROM register_line l JOIN envelope v ON v.waybill = l.waybill" \
	" JOIN event e ON e.seq = v.tally_seq WHERE l.register_id = " reg " AND v.tally_seq > 0" \
	" AND e.register_id = " reg

#define INFO_SQL "SELECT r.id, r.kind, r.sender, r.receiver, r.formed_at, r.imported_at," \
	" r.finished_at, r.act," \
	" CASE WHEN k.register_id IS NOT NULL THEN k.n_lines" \
	"  ELSE (SELECT count(*) FROM register_line l WHERE l.register_id = r.id) END," \
	" CASE WHEN k.register_id IS NOT NULL THEN k.n_scanned" \
	"  ELSE (SELECT count(*) FROM register_scan c WHERE c.register_id = r.id AND c.result <> 'unexpected')" \
	"  + " MARKS_OF("r.id") " END," \
	" CASE WHEN k.register_id IS NOT NULL THEN k.n_unexpected" \
	"  ELSE (SELECT count(*) FROM register_scan c WHERE c.register_id = r.id AND c.result = 'unexpected') END" \
	" FROM register r LEFT JOIN register_count k ON k.register_id = r.id"

/* A register whose import is under way (imported_at 0: register_import.c)
 * is not there yet for any reader. */

static int summary_query(struct store *s, const char *reg_id, struct tally_summary *sum,
			 struct am_error *e);

/* A finished register's counts are frozen in register_count (schema 5); an
 * open one counts its lines and scans live.  The list of a year's
 * registers then reads one row each, not every line and scan of the year. */
static int freeze_counts(struct store *s, const char *reg_id, struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(s, &st, "INSERT OR REPLACE INTO register_count VALUES (?1,"
			    " (SELECT count(*) FROM register_line WHERE register_id = ?1),"
			    " (SELECT count(*) FROM register_scan WHERE register_id = ?1 AND result <> 'unexpected'),"
			    " (SELECT count(*) FROM register_scan WHERE register_id = ?1 AND result = 'unexpected'))", e);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, reg_id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(s, e, _("finishing the register"));
	sqlite3_finalize(st);
	return rc;
}

static void info_from(sqlite3_stmt *st, struct register_info *i)
{
	char kind[16];
	memset(i, 0, sizeof *i);
	db_text(st, 0, i->id, sizeof i->id);
	db_text(st, 1, kind, sizeof kind);
	int k = register_kind_from_name(kind);
	i->kind = k < 0 ? REG_INBOUND : (enum register_kind)k;
	db_text(st, 2, i->from, sizeof i->from);
	db_text(st, 3, i->to, sizeof i->to);
	i->formed_at = sqlite3_column_int64(st, 4);
	i->imported_at = sqlite3_column_int64(st, 5);
	i->finished_at = sqlite3_column_int64(st, 6);
	db_text(st, 7, i->act, sizeof i->act);
	i->n_lines = (size_t)sqlite3_column_int64(st, 8);
	i->n_scanned = (size_t)sqlite3_column_int64(st, 9);
	i->n_unexpected = (size_t)sqlite3_column_int64(st, 10);
}

int store_register_each(struct store *s, int (*cb)(const struct register_info *, void *),
			void *arg, struct am_error *e)
{
	sqlite3_stmt *st;
	/* the newest first; two imported in the same millisecond (a script,
	 * a clock set by hand) in the order they came */
	int rc = db_prepare(s, &st, INFO_SQL " WHERE r.imported_at <> 0 ORDER BY r.imported_at DESC, r.rowid DESC", e);
	if (rc)
		return rc;
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct register_info i;
		info_from(st, &i);
		if (cb(&i, arg))
			break;
	}
	rc = (step == SQLITE_ROW || step == SQLITE_DONE) ? 0 : db_fail(s, e, _("reading registers"));
	sqlite3_finalize(st);
	return rc;
}

/* A line from the columns waybill, application, postomat, city, iin. */
static void line_from(sqlite3_stmt *st, struct register_line *l)
{
	db_text(st, 0, l->waybill, sizeof l->waybill);
	db_text(st, 1, l->application, sizeof l->application);
	db_text(st, 2, l->postomat, sizeof l->postomat);
	db_text(st, 3, l->city, sizeof l->city);
	db_text(st, 4, l->iin, sizeof l->iin);
}

int store_register_get(struct store *s, const char *id, struct register_info *info,
		       struct reg *lines, struct am_error *e)
{
	sqlite3_stmt *st;
	struct register_info tmp;
	/* an open register's counts are the kept tally's (summary_query), not
	 * counted here at every draw of the tally screen */
	int rc = db_cached(s, &st, "SELECT r.id, r.kind, r.sender, r.receiver, r.formed_at, r.imported_at,"
			   " r.finished_at, r.act, coalesce(k.n_lines, 0), coalesce(k.n_scanned, 0),"
			   " coalesce(k.n_unexpected, 0), k.register_id IS NOT NULL"
			   " FROM register r LEFT JOIN register_count k ON k.register_id = r.id"
			   " WHERE r.id = ? AND r.imported_at <> 0", e);
	if (rc)
		return rc;
	if (!info)
		info = &tmp;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	int step = sqlite3_step(st);
	bool frozen = false;
	if (step == SQLITE_ROW) {
		info_from(st, info);
		frozen = sqlite3_column_int(st, 11) != 0;
	}
	db_done(s, st);
	if (step != SQLITE_ROW)
		return step == SQLITE_DONE ? am_fail(e, AM_REFUSED, _("no register %s here: import it first (amanat register import FILE)"), id)
					   : db_fail(s, e, _("reading the register"));
	if (!frozen) {
		struct tally_summary sum;
		if ((rc = summary_query(s, info->id, &sum, e)))
			return rc;
		info->n_lines = sum.expected;
		info->n_scanned = sum.matched + sum.damaged;
		info->n_unexpected = sum.unexpected;
	}
	if (!lines)
		return 0;
	memset(lines, 0, sizeof *lines);
	snprintf(lines->id, sizeof lines->id, "%s", info->id);
	lines->kind = info->kind;
	snprintf(lines->from, sizeof lines->from, "%s", info->from);
	snprintf(lines->to, sizeof lines->to, "%s", info->to);
	lines->formed_at = info->formed_at;
	/* an inbound line's fields are its envelope's (register_rows.c); a
	 * return line names another register's envelope and holds its own */
	if ((rc = db_prepare(s, &st, "SELECT l.waybill, coalesce(v.application, l.application),"
			     " coalesce(v.postomat, l.postomat), coalesce(v.city, l.city), coalesce(v.iin, l.iin)"
			     " FROM register_line l LEFT JOIN envelope v ON v.waybill = l.waybill"
			     " AND v.register_id = l.register_id WHERE l.register_id = ? ORDER BY l.line", e)))
		return rc;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct register_line l;
		line_from(st, &l);
		if (register_add_line(lines, &l)) {
			step = SQLITE_NOMEM;
			break;
		}
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE) {
		register_free(lines);
		return step == SQLITE_NOMEM ? am_fail(e, AM_ENV, _("out of memory"))
					    : db_fail(s, e, _("reading register lines"));
	}
	return 0;
}

/* ---- scans -------------------------------------------------------------- */

static int scan_lookup(struct store *s, const char *reg, const char *code, bool *on_register,
		       bool *scanned, bool *marked, struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_cached(s, &st, "SELECT (SELECT count(*) FROM register_line WHERE register_id = ?1 AND waybill = ?2),"
			    " (SELECT count(*) FROM register_scan WHERE register_id = ?1 AND code = ?2),"
			    " EXISTS (SELECT 1 FROM envelope v WHERE v.waybill = ?2 AND " MARKED("v", "?1") ")", e);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, reg, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, code, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW)
		rc = db_fail(s, e, _("reading the register"));
	else {
		*on_register = sqlite3_column_int(st, 0) > 0;
		*marked = sqlite3_column_int(st, 2) != 0;
		*scanned = sqlite3_column_int(st, 1) > 0 || *marked;
	}
	db_done(s, st);
	return rc;
}

static int scan_record(struct store *s, const char *reg, const char *code, const char *result,
		       const struct event_ctx *ctx, struct am_error *e)
{
	sqlite3_stmt *st;
	/* seq: the event just appended for this scan (the order of scans
	 * within one millisecond) */
	int rc = db_cached(s, &st, "INSERT INTO register_scan(register_id, code, result, at_ms, actor, seq)"
			    " VALUES (?,?,?,?,?,?) ON CONFLICT(register_id, code) DO UPDATE SET result = excluded.result", e);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, reg, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, result, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, db_now(ctx));
	sqlite3_bind_text(st, 5, ctx && ctx->actor ? ctx->actor : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, s->chain_seq);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(s, e, _("saving the scan"));
	db_done(s, st);
	return rc;
}

/* The count of reg's matched scans marked on envelope rows (log_head,
 * kind -1) moved by by. */
static int marks_add(struct store *s, const char *reg, int by, struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_cached(s, &st, "INSERT INTO log_head(kind, name, n) VALUES (-1, ?1, ?2)"
			    " ON CONFLICT(kind, shift, name) DO UPDATE SET n = n + excluded.n", e);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, reg, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, by);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(s, e, _("saving the scan"));
	db_done(s, st);
	return rc;
}

/* Each statement of sql with a bound to ?1 and b (when given) to ?2, in
 * order; cached: statements of the scan path (db_cached), else prepared for
 * the once (a finish). */
static int run_each(struct store *s, const char *const *sql, size_t n, const char *a, const char *b,
		    bool cached, const char *what, struct am_error *e)
{
	int rc = 0;
	for (size_t i = 0; i < n && !rc; i++) {
		sqlite3_stmt *st;
		if ((rc = cached ? db_cached(s, &st, sql[i], e) : db_prepare(s, &st, sql[i], e)))
			break;
		sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
		if (b)
			sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
		rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(s, e, what);
		if (cached)
			db_done(s, st);
		else
			sqlite3_finalize(st);
	}
	return rc;
}

/* The matched scan marked on waybill's row (schema 27) written as
 * register_scan's row, as scan_record would have written it then (its
 * time and who from the scan's event), and the mark cleared: before the
 * envelope is scanned against another register, or marked damaged. */
static int mark_flush(struct store *s, const char *waybill, const char *reg, struct am_error *e)
{
	static const char *const sql[] = {
		"INSERT INTO register_scan(register_id, code, result, at_ms, actor, seq)"
		" SELECT e.register_id, v.waybill, 'matched', e.at_ms, e.actor, v.tally_seq"
		" FROM envelope v JOIN event e ON e.seq = v.tally_seq WHERE v.waybill = ?1 AND v.tally_seq > 0"
		" AND e.register_id = ?2",
		"UPDATE envelope AS v SET tally_seq = 0 WHERE v.waybill = ?1 AND " MARKED("v", "?2"),
	};
	int rc = run_each(s, sql, sizeof sql / sizeof sql[0], waybill, reg, true, _("saving the scan"), e);
	return rc ? rc : marks_add(s, reg, -1, e);
}

/* Every mark of reg (the lines of reg whose rows carry it) written as
 * register_scan's rows and cleared: the register is finished. */
static int marks_flush_all(struct store *s, const char *reg, struct am_error *e)
{
	static const char *const sql[] = {
		"INSERT INTO register_scan(register_id, code, result, at_ms, actor, seq)"
		" SELECT ?1, v.waybill, 'matched', e.at_ms, e.actor, v.tally_seq" MARKS_BY_LINES("?1"),
		"UPDATE envelope AS v SET tally_seq = 0 WHERE v.waybill IN (SELECT waybill FROM register_line"
		" WHERE register_id = ?1) AND " MARKED("v", "?1"),
		"DELETE FROM log_head WHERE kind = -1 AND shift = 0 AND name = ?1",
	};
	return run_each(s, sql, sizeof sql / sizeof sql[0], reg, NULL, false, _("finishing the register"), e);
}

static int open_register(struct store *s, const char *reg_id, struct register_info *info,
			 struct am_error *e)
{
	int rc = store_register_get(s, reg_id, info, NULL, e);
	if (rc)
		return rc;
	if (info->kind == REG_ACCEPTANCE)
		return am_fail(e, AM_REFUSED, _("%s is a register of accepted documents: scan against the inbound register"), reg_id);
	if (info->finished_at)
		return am_fail(e, AM_REFUSED, _("register %s is already finished: nothing more can be scanned against it"), reg_id);
	return 0;
}

/* open_register for the scan path: only what a scan needs (kind, finished,
 * whether anything was scanned yet), not the line counts of the register;
 * with a code also whether it is on the register and already scanned: one
 * statement for all of it. */
static int scan_register_code(struct store *s, const char *reg_id, const char *code,
			      struct register_info *info, bool *on_register, bool *scanned,
			      char *mark, size_t marklen, struct am_error *e)
{
	sqlite3_stmt *st;
	/* scanned: a row, or a mark on the envelope's row (schema 27); mark:
	 * the register the envelope's row is marked for, if any */
	int rc = code ? db_cached(s, &st, "SELECT kind, finished_at, EXISTS (SELECT 1 FROM register_scan"
				  " WHERE register_id = ?1) OR " MARKS_OF("?1") " > 0,"
				  " EXISTS (SELECT 1 FROM register_line WHERE register_id = ?1"
				  " AND waybill = ?2), EXISTS (SELECT 1 FROM register_scan WHERE register_id = ?1"
				  " AND code = ?2), (SELECT " TALLY_REG("v") " FROM envelope v WHERE v.waybill = ?2)"
				  " FROM register WHERE id = ?1 AND imported_at <> 0", e)
		      : db_cached(s, &st, "SELECT kind, finished_at, EXISTS (SELECT 1 FROM register_scan"
				  " WHERE register_id = ?1) OR " MARKS_OF("?1") " > 0"
				  " FROM register WHERE id = ?1 AND imported_at <> 0", e);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, reg_id, -1, SQLITE_STATIC);
	if (code)
		sqlite3_bind_text(st, 2, code, -1, SQLITE_STATIC);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		char kind[16];
		memset(info, 0, sizeof *info);
		snprintf(info->id, sizeof info->id, "%s", reg_id);
		db_text(st, 0, kind, sizeof kind);
		int k = register_kind_from_name(kind);
		info->kind = k < 0 ? REG_INBOUND : (enum register_kind)k;
		info->finished_at = sqlite3_column_int64(st, 1);
		info->n_scanned = (size_t)sqlite3_column_int(st, 2);	/* 0 or 1: enough to know the first */
		if (code) {
			db_text(st, 5, mark, marklen);
			*on_register = sqlite3_column_int(st, 3) != 0;
			*scanned = sqlite3_column_int(st, 4) != 0 || strcmp(mark, reg_id) == 0;
		}
	}
	db_done(s, st);
	if (step != SQLITE_ROW)
		return open_register(s, reg_id, info, e);	/* the full check says why */
	if (info->kind == REG_ACCEPTANCE || info->finished_at)
		return open_register(s, reg_id, info, e);
	return 0;
}

static int scan_register(struct store *s, const char *reg_id, struct register_info *info,
			 struct am_error *e)
{
	return scan_register_code(s, reg_id, NULL, info, NULL, NULL, NULL, 0, e);
}

/* The first scan of an inbound register: the State Corp courier is here,
 * and the delivery clocks stop. */
static int first_scan(struct store *s, const struct register_info *info,
		      const struct event_ctx *ctx, struct am_error *e)
{
	if (info->n_scanned + info->n_unexpected || info->kind != REG_INBOUND)
		return 0;
	int64_t now = db_now(ctx);
	int rc = clock_close(s, CLOCK_TO_POINT, "", info->id, now, ctx, e);
	return rc ? rc : clock_close(s, CLOCK_COURIER_DELIVERY, "", info->id, now, ctx, e);
}

int store_tally_scan(struct store *s, const char *reg_id, const char *code,
		     const struct event_ctx *ctx, enum scan_result *res, char *why, size_t whylen,
		     struct am_error *e)
{
	struct register_info info;
	bool on_register = false, scanned = false;
	char dummy[8], mark[REG_ID_MAX] = "";
	int rc;
	if (!why) {
		why = dummy;
		whylen = sizeof dummy;
	}
	why[0] = '\0';
	if (waybill_validate(&s->rules.waybill, code, why, whylen) != 0) {
		/* nothing is written for a bad code; a wrong register still
		 * says so first */
		if ((rc = scan_register(s, reg_id, &info, e)))
			return rc;
		*res = SCAN_INVALID;
		return 0;
	}
	/* A good code: the register is read once, inside the write
	 * transaction (one truth per register: a finish by another process
	 * just before is seen); an unknown or finished one is refused there. */
	if ((rc = db_begin(s, e)))
		return rc;
	if ((rc = scan_register_code(s, reg_id, code, &info, &on_register, &scanned, mark, sizeof mark, e)))
		goto fail;
	*res = scan_classify(true, on_register, scanned);
	if (*res == SCAN_DUPLICATE) {
		db_rollback(s);
		return 0;
	}
	if ((rc = first_scan(s, &info, ctx, e)))
		goto fail;
	if (*res == SCAN_MATCHED) {
		struct transition t = { .type = info.kind == REG_INBOUND ? EV_ACCEPTED : EV_HANDED_BACK,
					.waybill = code, .register_id = reg_id };
		/* marked on the envelope's row, which the step writes anyway
		 * (schema 27); a mark of another register written out first */
		if (mark[0] && (rc = mark_flush(s, code, mark, e)))
			goto fail;
		s->tally_mark = true;
		rc = envelope_apply(s, &t, ctx, e);
		s->tally_mark = false;
		if (rc || (rc = marks_add(s, reg_id, 1, e)))
			goto fail;
	} else {
		if ((rc = event_append(s, EV_SCAN_UNEXPECTED, code, reg_id, "{}", ctx, e)) ||
		    (rc = scan_record(s, reg_id, code, "unexpected", ctx, e)))
			goto fail;
	}
	return db_commit(s, e);
fail:
	db_rollback(s);
	return rc;
}

static void summary_from(struct store *s, struct tally_summary *sum)
{
	memset(sum, 0, sizeof *sum);
	sum->expected = s->tally_lines;
	sum->matched = s->tally_n[0];
	sum->damaged = s->tally_n[1];
	sum->unexpected = s->tally_n[2];
	sum->missing = sum->expected > sum->matched + sum->damaged ? sum->expected - sum->matched - sum->damaged : 0;
	sum->needs_act = sum->missing || sum->unexpected || sum->damaged;
}

/* The tally of reg_id: its scans counted in one pass by result; its lines
 * counted once (they do not change once it is imported).  Kept as of the
 * data version (any commit to the file, by anyone, moves it) outside a
 * transaction: a redraw with no commit in between counts nothing. */
static int summary_query(struct store *s, const char *reg_id, struct tally_summary *sum,
			 struct am_error *e)
{
	sqlite3_stmt *st;
	unsigned dv = sqlite3_get_autocommit(s->db) ? db_data_version(s) : 0;
	bool same = strcmp(s->tally_reg, reg_id) == 0;
	if (dv && same && dv == s->tally_dv) {
		summary_from(s, sum);
		return 0;
	}
	int rc = 0;
	if (!same || !s->tally_lines) {
		if ((rc = db_cached(s, &st, "SELECT count(*) FROM register_line WHERE register_id = ?", e)))
			return rc;
		sqlite3_bind_text(st, 1, reg_id, -1, SQLITE_STATIC);
		rc = sqlite3_step(st) == SQLITE_ROW ? 0 : db_fail(s, e, _("reading the tally"));
		size_t lines = (size_t)sqlite3_column_int64(st, 0);
		db_done(s, st);
		if (rc)
			return rc;
		if (strlen(reg_id) < sizeof s->tally_reg)
			snprintf(s->tally_reg, sizeof s->tally_reg, "%s", reg_id);
		else
			s->tally_reg[0] = '\0';	/* too long to keep: counted each time */
		s->tally_lines = lines;
	}
	s->tally_dv = 0;
	memset(s->tally_n, 0, sizeof s->tally_n);
	if ((rc = db_cached(s, &st, "SELECT result, count(*) FROM register_scan WHERE register_id = ? GROUP BY result",
			    e)))
		return rc;
	sqlite3_bind_text(st, 1, reg_id, -1, SQLITE_STATIC);
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *r = (const char *)sqlite3_column_text(st, 0);
		int k = !r ? -1 : !strcmp(r, "matched") ? 0 : !strcmp(r, "damaged") ? 1 : !strcmp(r, "unexpected") ? 2 : -1;
		if (k >= 0)
			s->tally_n[k] = (size_t)sqlite3_column_int64(st, 1);
	}
	db_done(s, st);
	if (step != SQLITE_DONE)
		return db_fail(s, e, _("reading the tally"));
	if ((rc = db_cached(s, &st, "SELECT " MARKS_OF("?1"), e)))
		return rc;
	sqlite3_bind_text(st, 1, reg_id, -1, SQLITE_STATIC);
	if ((step = sqlite3_step(st)) == SQLITE_ROW)
		s->tally_n[0] += (size_t)sqlite3_column_int64(st, 0);
	db_done(s, st);
	if (step != SQLITE_ROW)
		return db_fail(s, e, _("reading the tally"));
	s->tally_dv = strcmp(s->tally_reg, reg_id) == 0 ? dv : 0;
	summary_from(s, sum);
	return 0;
}

/* Only whether the register is there: its counts are the summary's. */
int store_tally_get(struct store *s, const char *reg_id, struct tally_summary *sum,
		    struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_cached(s, &st, "SELECT 1 FROM register WHERE id = ? AND imported_at <> 0", e);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, reg_id, -1, SQLITE_STATIC);
	int step = sqlite3_step(st);
	db_done(s, st);
	if (step != SQLITE_ROW)
		return step == SQLITE_DONE ? am_fail(e, AM_REFUSED, _("no register %s here: import it first (amanat register import FILE)"), reg_id)
					   : db_fail(s, e, _("reading the register"));
	return summary_query(s, reg_id, sum, e);
}

/* Mark one listed envelope damaged: a scanned one keeps its state and gets
 * the damaged note; one not scanned was received damaged, not accepted. */
static int mark_damaged(struct store *s, const struct register_info *info, const char *code,
			const struct event_ctx *ctx, struct am_error *e)
{
	bool on_register = false, scanned = false, marked = false;
	int rc = scan_lookup(s, info->id, code, &on_register, &scanned, &marked, e);
	if (rc || (marked && (rc = mark_flush(s, code, info->id, e))))
		return rc;	/* a matched scan marked: its row, which scan_record marks damaged */
	if (!on_register)
		return am_fail(e, AM_REFUSED, _("damaged %s is not on register %s: scan it as unexpected instead"), code, info->id);
	struct transition t = { .type = EV_DAMAGED, .waybill = code, .register_id = info->id };
	if (!scanned && info->kind == REG_INBOUND) {
		t.type = EV_HANDED_TO_POINT;
		t.reason = "damaged";
		if ((rc = envelope_apply(s, &t, ctx, e)))
			return rc;
		t.type = EV_DAMAGED;
	}
	if ((rc = envelope_apply(s, &t, ctx, e)))
		return rc;
	return scan_record(s, info->id, code, "damaged", ctx, e);
}

int store_tally_damaged(struct store *s, const char *reg_id, const char *code,
			const struct event_ctx *ctx, struct am_error *e)
{
	struct register_info info;
	char why[200];
	int rc;
	if ((rc = open_register(s, reg_id, &info, e)))
		return rc;
	if (waybill_validate(&s->rules.waybill, code, why, sizeof why))
		return am_fail(e, AM_REFUSED, "%s: %s", code, why);
	if ((rc = db_begin(s, e)))
		return rc;
	sqlite3_stmt *st;
	if ((rc = db_prepare(s, &st, "SELECT 1 FROM register_scan WHERE register_id = ? AND code = ?"
			     " AND result = 'damaged'", e)))
		goto fail;
	sqlite3_bind_text(st, 1, reg_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, code, -1, SQLITE_STATIC);
	bool already = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	if (already) {
		rc = am_fail(e, AM_REFUSED, _("%s is already marked damaged"), code);
		goto fail;
	}
	if ((rc = first_scan(s, &info, ctx, e)) || (rc = mark_damaged(s, &info, code, ctx, e)))
		goto fail;
	return db_commit(s, e);
fail:
	db_rollback(s);
	return rc;
}

/* One of the two lists store_tally_scans merges: a statement stepped on
 * demand, its current row kept in row (has: a row is there). */
struct scan_stream {
	sqlite3_stmt *st;
	bool has;
	int64_t seq;
	struct tally_scan_row row;
};

static int stream_next(struct store *s, struct scan_stream *c, bool marks, struct am_error *e)
{
	int step = sqlite3_step(c->st);
	c->has = step == SQLITE_ROW;
	if (!c->has)
		return step == SQLITE_DONE ? 0 : db_fail(s, e, _("reading the register"));
	char result[16] = "matched";
	db_text(c->st, 0, c->row.code, sizeof c->row.code);
	if (!marks)
		db_text(c->st, 4, result, sizeof result);
	c->row.result = !strcmp(result, "matched") ? TALLY_MATCHED
		      : !strcmp(result, "damaged") ? TALLY_DAMAGED : TALLY_UNEXPECTED;
	c->row.at_ms = sqlite3_column_int64(c->st, 1);
	db_text(c->st, 2, c->row.actor, sizeof c->row.actor);
	c->seq = sqlite3_column_int64(c->st, 3);
	return 0;
}

/* The marks of an open register (schema 27), newest first: the log read
 * back from its end, where a register being scanned has its newest scans,
 * for at most a walk as long as the register (a register scanned long ago
 * under a busy log); the older marks then from its lines.  Whatever the
 * register's size, the tally screen's few last scans cost a few rows.
 * Marks come in the log's order (a clock set back shows its scans in the
 * order they were made), merged with the rows by time. */
#define MARKS_NEWEST "SELECT e.waybill, e.at_ms, e.actor, e.seq FROM event e" \
	" JOIN envelope v ON v.waybill = e.waybill AND v.tally_seq = e.seq" \
	" WHERE e.seq >= ?2 AND e.register_id = ?1 AND e.waybill <> '' ORDER BY e.seq DESC"
#define MARKS_OLDER "SELECT v.waybill, e.at_ms, e.actor, v.tally_seq" MARKS_BY_LINES("?1") \
	" AND v.tally_seq < ?2 ORDER BY v.tally_seq DESC"

/* The next mark: from the walk back while it lasts, then from the lines. */
static int marks_next(struct store *s, struct scan_stream *m, bool *walking, const char *reg_id,
		      int64_t low, struct am_error *e)
{
	int rc = stream_next(s, m, true, e);
	if (rc || m->has || !*walking || low <= 1)
		return rc;
	*walking = false;	/* rare: the newest marks are not near the log's end */
	sqlite3_finalize(m->st);
	m->st = NULL;
	if ((rc = db_prepare(s, &m->st, MARKS_OLDER, e)))
		return rc;
	sqlite3_bind_text(m->st, 1, reg_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(m->st, 2, low);
	return stream_next(s, m, true, e);
}

int store_tally_scans(struct store *s, const char *reg_id,
		      int (*cb)(const struct tally_scan_row *, void *), void *arg,
		      struct am_error *e)
{
	struct tally_summary sum;
	struct scan_stream rows = { 0 }, marks = { 0 };
	int64_t marks_left = 0, low = 0;
	sqlite3_stmt *st;
	/* how many marks there are (kept) and where the walk back stops: as
	 * many events as two for each line of the register, and some */
	int rc = summary_query(s, reg_id, &sum, e);
	if (!rc && !(rc = db_cached(s, &st, "SELECT " MARKS_OF("?1") ", (SELECT max(seq) FROM event)", e))) {
		sqlite3_bind_text(st, 1, reg_id, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW) {
			marks_left = sqlite3_column_int64(st, 0);
			low = sqlite3_column_int64(st, 1) - 2 * (int64_t)sum.expected - 2048;
		} else {
			rc = db_fail(s, e, _("reading the register"));
		}
		db_done(s, st);
	}
	if (rc)
		return rc;
	/* the rows (unexpected, damaged, and the matched scans of a finished
	 * register or written before schema 27), newest first by their index */
	if ((rc = db_prepare(s, &rows.st, "SELECT code, at_ms, actor, seq, result FROM register_scan"
			     " WHERE register_id = ?1 ORDER BY at_ms DESC, seq DESC", e)))
		return rc;
	sqlite3_bind_text(rows.st, 1, reg_id, -1, SQLITE_STATIC);
	bool walking = true;
	if (marks_left > 0 && !(rc = db_prepare(s, &marks.st, MARKS_NEWEST, e))) {
		sqlite3_bind_text(marks.st, 1, reg_id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(marks.st, 2, low > 1 ? low : 1);
		rc = marks_next(s, &marks, &walking, reg_id, low, e);
	}
	if (!rc)
		rc = stream_next(s, &rows, false, e);
	while (!rc && (rows.has || marks.has)) {
		bool mark = marks.has && (!rows.has || marks.row.at_ms > rows.row.at_ms
					  || (marks.row.at_ms == rows.row.at_ms && marks.seq > rows.seq));
		if (cb(mark ? &marks.row : &rows.row, arg))
			break;
		if (!mark)
			rc = stream_next(s, &rows, false, e);
		else if (--marks_left <= 0)	/* every mark counted is shown */
			marks.has = false;
		else
			rc = marks_next(s, &marks, &walking, reg_id, low, e);
	}
	sqlite3_finalize(rows.st);
	sqlite3_finalize(marks.st);
	return rc;
}

#define MISSING_SQL "SELECT waybill FROM register_line l WHERE register_id = ?1 AND NOT EXISTS" \
	" (SELECT 1 FROM register_scan c WHERE c.register_id = ?1 AND c.code = l.waybill) AND NOT EXISTS" \
	" (SELECT 1 FROM envelope v WHERE v.waybill = l.waybill AND " MARKED("v", "?1") ") ORDER BY line"

int store_tally_missing(struct store *s, const char *reg_id, size_t skip,
			int (*cb)(const char *waybill, void *), void *arg, struct am_error *e)
{
	sqlite3_stmt *st;
	/* no scan row at all: unexpected scans are of codes not on the register */
	int rc = db_prepare(s, &st, MISSING_SQL " LIMIT -1 OFFSET ?2", e);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, reg_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, skip > INT64_MAX ? INT64_MAX : (sqlite3_int64)skip);
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		char waybill[64];
		db_text(st, 0, waybill, sizeof waybill);
		if (cb(waybill, arg))
			break;
	}
	rc = step == SQLITE_ROW || step == SQLITE_DONE ? 0 : db_fail(s, e, _("reading the register"));
	sqlite3_finalize(st);
	return rc;
}

static json_t *codes_where(struct store *s, const char *sql, const char *reg_id)
{
	sqlite3_stmt *st;
	json_t *a = json_array();
	if (!a || sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return a;
	sqlite3_bind_text(st, 1, reg_id, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(a, json_string((const char *)sqlite3_column_text(st, 0)));
	sqlite3_finalize(st);
	return a;
}

static int draw_discrepancy(struct store *s, const struct register_info *info,
			    const struct tally_summary *sum, const struct event_ctx *ctx,
			    char *act_id, size_t act_len, struct am_error *e)
{
	json_t *body = json_pack("{s:s, s:s, s:s, s:s, s:I, s:I}", "register", info->id,
				 "kind", register_kind_name(info->kind), "from", info->from, "to", info->to,
				 "expected", (json_int_t)sum->expected, "matched", (json_int_t)sum->matched);
	if (!body)
		return am_fail(e, AM_ENV, _("out of memory"));
	json_object_set_new(body, "missing", codes_where(s, MISSING_SQL, info->id));
	json_object_set_new(body, "unexpected", codes_where(s, "SELECT code FROM register_scan WHERE"
				" register_id = ?1 AND result = 'unexpected' ORDER BY at_ms", info->id));
	json_object_set_new(body, "damaged", codes_where(s, "SELECT code FROM register_scan WHERE"
				" register_id = ?1 AND result = 'damaged' ORDER BY at_ms", info->id));
	char *text = json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(body);
	if (!text)
		return am_fail(e, AM_ENV, _("out of memory"));
	/* stored as its msgid: each reader (the act's copies in their
	 * languages, the screens) translates it, whoever drew the act */
	int rc = act_create(s, "discrepancy", info->id, "", N_("acceptance does not match the register"),
			    2, text, ctx, act_id, act_len, e);
	free(text);
	return rc;
}

/* §18: the register of accepted documents, formed from the matched lines. */
static int form_acceptance_register(struct store *s, const struct register_info *info,
				    int64_t now, struct am_error *e)
{
	struct reg all, acc;
	int rc = store_register_get(s, info->id, NULL, &all, e);
	if (rc)
		return rc;
	memset(&acc, 0, sizeof acc);
	snprintf(acc.id, sizeof acc.id, "%s-ACC", info->id);
	acc.kind = REG_ACCEPTANCE;
	snprintf(acc.from, sizeof acc.from, "%s", info->to);
	snprintf(acc.to, sizeof acc.to, "%s", info->from);
	acc.formed_at = now;
	sqlite3_stmt *st;
	if ((rc = db_prepare(s, &st, "SELECT 1 FROM register_scan WHERE register_id = ? AND code = ? AND result = 'matched'", e)))
		goto out;
	for (size_t i = 0; i < all.n_lines && !rc; i++) {
		sqlite3_bind_text(st, 1, info->id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, all.lines[i].waybill, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW && register_add_line(&acc, &all.lines[i]))
			rc = am_fail(e, AM_ENV, _("out of memory"));
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	if (!rc)
		rc = register_insert(s, &acc, now, now, e);
	if (!rc)
		rc = freeze_counts(s, acc.id, e);
out:
	register_free(&all);
	register_free(&acc);
	return rc;
}

int store_tally_finish(struct store *s, const char *reg_id, const char *const *damaged,
		       size_t n_damaged, const struct event_ctx *ctx, struct tally_summary *sum,
		       char *act_id, size_t act_len, struct am_error *e)
{
	struct register_info info;
	int rc;
	char act[64] = "";
	if ((rc = open_register(s, reg_id, &info, e)))
		return rc;
	if ((rc = db_begin(s, e)))
		return rc;
	/* read again under the write lock: a second finish, or scans committed
	 * since the check above, are seen (the act must agree with the log) */
	if ((rc = open_register(s, reg_id, &info, e)))
		goto fail;
	int64_t now = db_now(ctx);
	for (size_t i = 0; i < n_damaged; i++)
		if ((rc = mark_damaged(s, &info, damaged[i], ctx, e)))
			goto fail;
	/* its matched scans marked on envelope rows become its rows: a
	 * finished register reads as before schema 27 */
	if ((rc = marks_flush_all(s, reg_id, e)) || (rc = summary_query(s, reg_id, sum, e)))
		goto fail;
	if (sum->needs_act && (rc = draw_discrepancy(s, &info, sum, ctx, act, sizeof act, e)))
		goto fail;
	if (info.kind == REG_INBOUND && (rc = form_acceptance_register(s, &info, now, e)))
		goto fail;
	char *payload = payload_pack("{s:I, s:I, s:I, s:I, s:I, s:s}", "expected", (json_int_t)sum->expected,
				     "matched", (json_int_t)sum->matched, "missing", (json_int_t)sum->missing,
				     "unexpected", (json_int_t)sum->unexpected, "damaged", (json_int_t)sum->damaged,
				     "act", act);
	rc = payload ? event_append(s, EV_REGISTER_FINISHED, "", reg_id, payload, ctx, e)
		     : am_fail(e, AM_ENV, _("out of memory"));
	free(payload);
	if (rc)
		goto fail;
	sqlite3_stmt *st;
	if ((rc = db_prepare(s, &st, "UPDATE register SET finished_at = ?1, act = ?2 WHERE id = ?3", e)))
		goto fail;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_text(st, 2, act, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, reg_id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(s, e, _("finishing the register"));
	sqlite3_finalize(st);
	if (rc || (rc = freeze_counts(s, reg_id, e)) || (rc = clock_close(s, -1, "", reg_id, now, ctx, e)))
		goto fail;
	if ((rc = db_commit(s, e)))
		return rc;
	snprintf(act_id, act_len, "%s", act);
	return 0;
fail:
	db_rollback(s);
	return rc;
}

int store_register_create_return(struct store *s, const char *id, const char *to,
				 const struct event_ctx *ctx, struct reg *out, struct am_error *e)
{
	sqlite3_stmt *st;
	int rc;
	memset(out, 0, sizeof *out);
	snprintf(out->id, sizeof out->id, "%s", id);
	out->kind = REG_RETURN;
	snprintf(out->from, sizeof out->from, "%s", ctx && ctx->place && *ctx->place ? ctx->place : "point");
	snprintf(out->to, sizeof out->to, "%s", to && *to ? to : "State Corp");
	out->formed_at = db_now(ctx);
	/* Every envelope back at the point (returned or received damaged) that
	 * is not on an open return register yet: the open registers' lines read
	 * once (a subquery per envelope read every register's lines: a year's
	 * worth for each envelope). */
	if ((rc = db_prepare(s, &st, "SELECT waybill, application, postomat, city, iin FROM envelope e"
			     " WHERE state IN ('returned_to_point', 'handed_to_point', 'brought_back') AND " STATE_LISTED
			     " AND waybill NOT IN"
			     " (SELECT l.waybill FROM register r JOIN register_line l ON l.register_id = r.id"
			     "  WHERE r.kind = 'return' AND r.finished_at = 0)"
			     " ORDER BY waybill", e)))
		return rc;
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct register_line l;
		line_from(st, &l);
		if (register_add_line(out, &l)) {
			sqlite3_finalize(st);
			register_free(out);
			return am_fail(e, AM_ENV, _("out of memory"));
		}
	}
	sqlite3_finalize(st);
	if (out->n_lines == 0)
		return am_fail(e, AM_REFUSED, _("no envelope is waiting to go back to State Corp"));
	if ((rc = store_register_import(s, out, ctx, e)))
		register_free(out);
	return rc;
}
