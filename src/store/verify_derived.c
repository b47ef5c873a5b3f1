/*
 * verify_derived.c - the derived tables (envelope, envelope_count,
 * register_scan, shift_work) against the full check's replay of the log.
 *
 * The tables are read once, in the full check's read transaction, while
 * its threads still walk the log (vfy_derived_read): each row's key, state
 * and cell go into an order-free digest (two 64-bit sums of a mix of them),
 * and the envelopes are counted by state.  Once the replay is whole, the
 * same digests of its maps are compared (vfy_derived_check): equal digests
 * and counts mean the same rows; when they differ, or the point hub's feed
 * changed envelopes this log does not hold, the tables are compared row by
 * row against the replay, which names what differs (the words the check
 * always used), so a digest only ever spares that walk, never decides a
 * difference.  Reading the tables was a quarter of a full check (a random
 * look-up in the replay's maps per row, and envelope_count's GROUP BY).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "amanat/i18n.h"
#include "verify_internal.h"

/* ---- order-free digests ------------------------------------------------- */

static inline uint64_t mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static void digest_add(struct vfy_digest *d, uint64_t key, unsigned state, uint64_t cell)
{
	uint64_t x = mix64(key ^ mix64(cell ^ ((uint64_t)state << 56) ^ 0x9e3779b97f4a7c15ULL));
	d->a += x;
	d->b += mix64(x ^ 0xd6e8feb86659fd93ULL);
	d->n++;
}

static bool digest_same(const struct vfy_digest *x, const struct vfy_digest *y)
{
	return x->a == y->a && x->b == y->b && x->n == y->n;
}

/* An envelope state from its name and length (-1: none). */
static int state_of(const char *name, size_t len)
{
	for (int i = 0; name && i < ST__COUNT; i++) {
		const char *n = state_name((enum envelope_state)i);
		if (n[0] == name[0] && strlen(n) == len && memcmp(n, name, len) == 0)
			return i;
	}
	return -1;
}

#define STATE_ODD 255		/* a state name no envelope can have */

int vfy_differs(struct am_error *e, const char *table, const char *what, const char *detail)
{
	return am_fail(e, AM_REFUSED, _("derived table %s differs from a replay of the event log: %s %s"),
		       table, what, detail);
}

/* Envelopes the point hub's feed changed (feed.c: another terminal's step,
 * applied through the same transition table, not in this log): their rows
 * cannot be a replay of this log alone and are not compared. */
static int load_feed(struct store *s, struct map *feed, struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(s, &st, "SELECT DISTINCT waybill FROM feed_item WHERE applied = 1 AND waybill <> ''", e);
	if (rc)
		return rc;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *w = (const char *)sqlite3_column_text(st, 0);
		if (!map_get(feed, fnv(w ? w : "", (size_t)sqlite3_column_bytes(st, 0), "", 0), true)) {
			rc = am_fail(e, AM_ENV, _("out of memory"));
			break;
		}
	}
	sqlite3_finalize(st);
	return rc;
}

/* Every envelope row against the replay, one by one: the check that names
 * what differs. */
static int check_envelopes(struct store *s, struct replay *r, struct am_error *e)
{
	sqlite3_stmt *st;
	struct map feed = { NULL, 0, 0 };
	int rc = load_feed(s, &feed, e), step = SQLITE_DONE;
	if (rc)
		return rc;
	if ((rc = db_prepare(s, &st, "SELECT waybill, state, cell FROM envelope", e))) {
		free(feed.v);
		return rc;
	}
	size_t rows = 0, fed = 0;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *w = (const char *)sqlite3_column_text(st, 0);
		size_t wl = (size_t)sqlite3_column_bytes(st, 0);
		uint64_t key = fnv(w ? w : "", wl, "", 0);
		rows++;
		const char *state = (const char *)sqlite3_column_text(st, 1);
		const char *cell = (const char *)sqlite3_column_text(st, 2);
		struct slot *v = map_get(&r->env, key, false);
		char detail[200];
		if (map_get(&feed, key, false)) {
			fed += v != NULL;
			rows--;
			continue;
		}
		if (!v) {
			rc = vfy_differs(e, "envelope", w, _("is there but the log never registered it"));
			break;
		}
		v->seen = 1;
		int sv = state ? state_from_name(state) : -1;
		if (sv != v->state) {
			snprintf(detail, sizeof detail, _("is %s there, the log says %s"), state ? state : "",
				 state_name((enum envelope_state)v->state));
			rc = vfy_differs(e, "envelope", w, detail);
			break;
		}
		uint64_t ch = cell && *cell ? fnv(cell, strlen(cell), "", 0) : 0;
		if (ch != v->cell) {
			rc = vfy_differs(e, "envelope", w, _("has another cell than the log placed it in"));
			break;
		}
	}
	sqlite3_finalize(st);
	free(feed.v);
	if (rc)
		return rc;
	if (step != SQLITE_DONE)
		return db_fail(s, e, _("reading envelopes"));
	if (rows + fed != r->env.n)
		return vfy_differs(e, "envelope", "", _("rows are missing: the log registered more envelopes"));
	return 0;
}

/* The register of envelope row v's mark (TALLY_REG), NULL for a row
 * without one, and "?" for a mark that is no scan of that envelope in the
 * log. */
#define MARK_OF(v) "CASE WHEN " v ".tally_seq > 0 THEN coalesce(" TALLY_REG(v) ", '?') END"

/* The scans: register_scan's rows and the matched scans of open registers
 * marked on envelope rows. */
#define SCANS_SQL "SELECT register_id, code, result FROM register_scan UNION ALL" \
	" SELECT " MARK_OF("v") ", waybill, 'matched' FROM envelope v WHERE v.tally_seq > 0"

/* Scans the log records (matched, unexpected) against register_scan, one
 * by one. */
static int check_scans(struct store *s, struct replay *r, struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(s, &st, SCANS_SQL, e), step;
	if (rc)
		return rc;
	size_t rows = 0;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *reg = (const char *)sqlite3_column_text(st, 0);
		const char *code = (const char *)sqlite3_column_text(st, 1);
		const char *res = (const char *)sqlite3_column_text(st, 2);
		struct slot *sc = map_get(&r->scan, fnv(reg ? reg : "", (size_t)sqlite3_column_bytes(st, 0),
						       code ? code : "", (size_t)sqlite3_column_bytes(st, 1)), false);
		int want = res && !strcmp(res, "matched") ? 1 : res && !strcmp(res, "unexpected") ? 2 : 3;
		if (!sc) {
			if (want == 3)	/* a damaged mark may precede its event */
				continue;
			rc = vfy_differs(e, "register_scan", code ? code : "", _("is there but the log has no such scan"));
			break;
		}
		rows++;
		sc->seen = 1;
		if (want != 3 && sc->state != 3 && want != sc->state) {
			rc = vfy_differs(e, "register_scan", code ? code : "", _("has another result than the log"));
			break;
		}
	}
	sqlite3_finalize(st);
	if (rc)
		return rc;
	if (step != SQLITE_DONE)
		return db_fail(s, e, _("reading scans"));
	if (rows != r->scan.n)
		return vfy_differs(e, "register_scan", "", _("rows are missing: the log has more scans"));
	return 0;
}

/* envelope_count (kept by triggers) against the envelope table it counts;
 * a register being imported counts once finished (register_import.c).
 * By SQL: when the envelope table has a state no envelope can be in. */
static int check_counts(struct store *s, struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(s, &st, "SELECT coalesce(c.state, v.state), coalesce(c.n, 0), coalesce(v.n, 0)"
			    " FROM envelope_count c FULL JOIN (SELECT state, count(*) AS n FROM envelope e"
			    "  WHERE NOT (e.state = 'registered' AND EXISTS (SELECT 1 FROM register r"
			    "   WHERE r.id = e.register_id AND r.imported_at = 0)) GROUP BY state) v"
			    " ON v.state = c.state WHERE coalesce(c.n, 0) <> coalesce(v.n, 0) LIMIT 1", e);
	if (rc)
		return rc;
	if (sqlite3_step(st) == SQLITE_ROW) {
		char detail[120], name[32];
		db_text(st, 0, name, sizeof name);
		snprintf(detail, sizeof detail, _("says %zu, the log gives %zu"), (size_t)sqlite3_column_int64(st, 1),
			 (size_t)sqlite3_column_int64(st, 2));
		rc = vfy_differs(e, "envelope_count", name, detail);
	}
	sqlite3_finalize(st);
	return rc;
}

/* shift_work (kept by a trigger) against the replay of every shift. */
static int check_work(struct store *s, struct replay *r, struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(s, &st, "SELECT shift, actor, total, accepted, handed, placed, returned FROM shift_work", e);
	if (rc)
		return rc;
	size_t rows = 0;
	int step;
	char detail[200];
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t shift = sqlite3_column_int64(st, 0);
		const char *actor = (const char *)sqlite3_column_text(st, 1);
		struct work *w = vfy_work_get(r, shift, actor ? actor : "", (size_t)sqlite3_column_bytes(st, 1), false);
		bool same = w != NULL;
		for (int i = 0; same && i < 5; i++)
			same = (size_t)sqlite3_column_int64(st, 2 + i) == w->n[i];
		if (!same) {
			snprintf(detail, sizeof detail, _("the work of %s in shift %lld is not what the log counts"),
				 actor ? actor : "", (long long)shift);
			rc = vfy_differs(e, "shift_work", "", detail);
			break;
		}
		rows++;
	}
	sqlite3_finalize(st);
	if (rc)
		return rc;
	if (step != SQLITE_DONE)
		return db_fail(s, e, _("reading the shift"));
	if (rows != r->work.n)
		return vfy_differs(e, "shift_work", "", _("rows are missing: the log has more work"));
	return 0;
}

/* ---- the fast pass ------------------------------------------------------ */

/* Registers still being imported (their envelopes are not counted yet). */
static int unfinished_registers(struct store *s, struct map *regs, struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(s, &st, "SELECT id FROM register WHERE imported_at = 0", e), step;
	if (rc)
		return rc;
	while ((step = sqlite3_step(st)) == SQLITE_ROW)
		if (!map_get(regs, fnv((const char *)sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0), "", 0),
			     true)) {
			rc = am_fail(e, AM_ENV, _("out of memory"));
			break;
		}
	if (!rc && step != SQLITE_DONE)
		rc = db_fail(s, e, _("reading registers"));
	sqlite3_finalize(st);
	return rc;
}

/* The tables' rows go to an aggregate function inside SQLite, as the log's
 * do in verify_full.c (no sqlite3_column_* call a column: 0.09 against
 * 0.15 CPU-s for both tables at 1M events); the pass comes in as a pointer
 * bound to ?1. */
#define DIGEST_FN "amanat_verify_digest"
#define DIGEST_PASS "amanat_verify_digest_pass"

struct pass {
	struct vfy_derived *d;
	const struct map *regs;	/* registers being imported */
	bool scans;		/* register_scan's rows, else envelope's */
};

static const char *arg_text(sqlite3_value *v, size_t *len)
{
	const char *t = (const char *)sqlite3_value_text(v);
	*len = t ? (size_t)sqlite3_value_bytes(v) : 0;
	return t ? t : "";
}

/* A matched scan marked on an envelope row (register, waybill): into the
 * scans' digest, and counted. */
static void mark_row(const struct pass *p, const char *reg, size_t rl, const char *code, size_t cl)
{
	digest_add(&p->d->scan, fnv(reg, rl, code, cl), 1, 0);
	p->d->marks++;
}

/* log_head's count of each open register's marked scans (kind -1) against
 * its marks (on the rows of its lines: a matched scan is of one), and all
 * of them against the marks the digest met (d->marks). */
static int check_marks(struct store *s, const struct vfy_derived *d, struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(s, &st, "SELECT h.name, h.n, (SELECT count(*) FROM register_line l JOIN envelope v"
			    " ON v.waybill = l.waybill WHERE l.register_id = h.name AND v.tally_seq > 0"
			    " AND " MARK_OF("v") " = h.name)"
			    " FROM log_head h WHERE h.kind = -1 AND h.shift = 0", e), step;
	if (rc)
		return rc;
	int64_t sum = 0;
	char detail[120];
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t kept = sqlite3_column_int64(st, 1), marks = sqlite3_column_int64(st, 2);
		sum += kept;
		if (kept != marks) {
			snprintf(detail, sizeof detail, _("says %zu, the log gives %zu"), (size_t)kept, (size_t)marks);
			rc = vfy_differs(e, "register_scan", (const char *)sqlite3_column_text(st, 0), detail);
			break;
		}
	}
	sqlite3_finalize(st);
	if (rc)
		return rc;
	if (step != SQLITE_DONE)
		return db_fail(s, e, _("reading scans"));
	if (sum != (int64_t)d->marks) {
		snprintf(detail, sizeof detail, _("says %zu, the log gives %zu"), (size_t)sum, d->marks);
		return vfy_differs(e, "register_scan", "", detail);
	}
	return 0;
}

/* An envelope row (waybill, state, cell, MARK_OF[, register_id]): into
 * the digest and the count by state; its mark into the scans'. */
static void envelope_row(const struct pass *p, int argc, sqlite3_value **v)
{
	size_t wl, sl, cl, ml;
	const char *w = arg_text(v[0], &wl), *state = arg_text(v[1], &sl), *cell = arg_text(v[2], &cl);
	const char *mark = arg_text(v[3], &ml);
	if (ml)
		mark_row(p, mark, ml, w, wl);
	int sv = state_of(state, sl);
	digest_add(&p->d->env, fnv(w, wl, "", 0), sv < 0 ? STATE_ODD : (unsigned)sv, cl ? fnv(cell, cl, "", 0) : 0);
	if (sv < 0) {
		p->d->odd_state = true;
		return;
	}
	if (sv == ST_REGISTERED && argc > 4) {
		size_t rl;
		const char *reg = arg_text(v[4], &rl);
		if (map_get((struct map *)p->regs, fnv(reg, rl, "", 0), false))
			return;	/* counted once its register is */
	}
	p->d->count[sv]++;
}

/* A register_scan row (register_id, code, result): the result as the
 * replay keeps it; (register, waybill, NULL): a mark (the envelope rows'
 * pass did not run). */
static void scan_row(const struct pass *p, sqlite3_value **v)
{
	size_t rl, cl, xl;
	const char *reg = arg_text(v[0], &rl), *code = arg_text(v[1], &cl), *res = arg_text(v[2], &xl);
	if (sqlite3_value_type(v[2]) == SQLITE_NULL) {
		mark_row(p, reg, rl, code, cl);
		return;
	}
	unsigned want = xl == 7 && !memcmp(res, "matched", 7) ? 1 : xl == 10 && !memcmp(res, "unexpected", 10) ? 2 : 3;
	digest_add(&p->d->scan, fnv(reg, rl, code, cl), want, 0);
}

static void digest_row(sqlite3_context *cx, int argc, sqlite3_value **v)
{
	const struct pass *p = argc >= 4 ? sqlite3_value_pointer(v[0], DIGEST_PASS) : NULL;
	if (!p)
		sqlite3_result_error(cx, "verify: no digest", -1);
	else if (p->scans)
		scan_row(p, v + 1);
	else
		envelope_row(p, argc - 1, v + 1);
}

static void digest_end(sqlite3_context *cx)
{
	sqlite3_result_null(cx);
}

/* sql's rows through the function (made on the store's connection once). */
static int digest_pass(struct store *s, const char *sql, struct pass *p, const char *what, struct am_error *e)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK &&
	    (sqlite3_create_function(s->db, DIGEST_FN, -1, SQLITE_UTF8, NULL, NULL, digest_row, digest_end) != SQLITE_OK
	     || sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK))
		return db_fail(s, e, what);
	sqlite3_bind_pointer(st, 1, p, DIGEST_PASS, NULL);
	int step = sqlite3_step(st);
	sqlite3_finalize(st);
	return step == SQLITE_ROW ? 0 : db_fail(s, e, what);
}

/* The envelope table's digest and its count by state; register_scan's digest. */
static int read_tables(struct store *s, struct vfy_derived *d, struct am_error *e)
{
	struct map regs = { NULL, 0, 0 };
	struct pass p = { d, &regs, false };
	int rc = d->fed ? 0 : unfinished_registers(s, &regs, e);
	if (!rc && !d->fed)
		rc = digest_pass(s, regs.n ? "SELECT " DIGEST_FN "(?1, waybill, state, cell, " MARK_OF("v") ", register_id)"
				 " FROM envelope v"
				 : "SELECT " DIGEST_FN "(?1, waybill, state, cell, " MARK_OF("v") ") FROM envelope v", &p,
				 _("reading envelopes"), e);
	p.scans = true;
	/* the marks come with the envelope rows; without that pass, here */
	if (!rc)
		rc = digest_pass(s, d->fed ? "SELECT " DIGEST_FN "(?1, r, c, x) FROM (SELECT register_id r, code c, result x"
				 " FROM register_scan UNION ALL SELECT " MARK_OF("v") ", waybill, NULL FROM envelope v"
				 " WHERE v.tally_seq > 0)"
				 : "SELECT " DIGEST_FN "(?1, register_id, code, result) FROM register_scan", &p,
				 _("reading scans"), e);
	free(regs.v);
	return rc;
}

int vfy_derived_read(struct store *s, struct vfy_derived *d, struct am_error *e)
{
	sqlite3_stmt *st;
	memset(d, 0, sizeof *d);
	int rc = db_prepare(s, &st, "SELECT EXISTS (SELECT 1 FROM feed_item WHERE applied = 1 AND waybill <> '')", e);
	if (rc)
		return rc;
	d->fed = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if ((rc = read_tables(s, d, e)))
		return rc;
	if ((rc = db_prepare(s, &st, "SELECT state, n FROM envelope_count", e)))
		return rc;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_blob(st, 0);
		int sv = state_of(name, (size_t)sqlite3_column_bytes(st, 0));
		int64_t n = sqlite3_column_int64(st, 1);
		if (sv >= 0 && !d->kept_seen[sv]) {
			d->kept[sv] = n;
			d->kept_seen[sv] = true;
		} else if (n != 0) {
			d->odd_state = true;	/* a count of no state: the SQL check names it */
		}
	}
	sqlite3_finalize(st);
	d->read = true;
	return 0;
}

/* envelope_count against the counts read with the envelopes. */
static int counts_differ(const struct vfy_derived *d, struct am_error *e)
{
	for (int i = 0; i < ST__COUNT; i++) {
		int64_t kept = d->kept_seen[i] ? d->kept[i] : 0;
		if (kept == (int64_t)d->count[i])
			continue;
		char detail[120];
		snprintf(detail, sizeof detail, _("says %zu, the log gives %zu"), (size_t)kept, d->count[i]);
		return vfy_differs(e, "envelope_count", state_name((enum envelope_state)i), detail);
	}
	return 0;
}

static void map_digest(const struct map *m, struct vfy_digest *d, bool cells)
{
	memset(d, 0, sizeof *d);
	for (size_t i = 0; i < m->cap; i++) {
		const struct slot *v = map_slot(m, i);
		if (v->key)
			digest_add(d, v->key, v->state, cells ? v->cell : 0);
	}
}

/* The derived tables against a full replay, in the order a reader would
 * look: envelopes, their counts, scans, each person's work.  d: what
 * vfy_derived_read found (read now when it was not). */
int vfy_derived_check(struct store *s, struct replay *r, struct vfy_derived *d, struct am_error *e)
{
	struct vfy_digest replayed;
	int rc = d->read ? 0 : vfy_derived_read(s, d, e);
	if (rc)
		return rc;
	map_digest(&r->env, &replayed, true);
	if (d->fed || !digest_same(&replayed, &d->env))
		rc = check_envelopes(s, r, e);
	if (!rc)
		rc = d->fed || d->odd_state ? check_counts(s, e) : counts_differ(d, e);
	map_digest(&r->scan, &replayed, false);
	if (!rc && !digest_same(&replayed, &d->scan))
		rc = check_scans(s, r, e);
	if (!rc)
		rc = check_marks(s, d, e);
	if (!rc)
		rc = check_work(s, r, e);
	return rc;
}
