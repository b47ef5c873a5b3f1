/*
 * test_tally_marks.c - a matched scan against an open register is a mark on
 * its envelope's row (schema 27, src/store/register.c), not a row of
 * register_scan: the page that row cost each scan is not written.  Every
 * reader still sees the scan where it saw it before: the tally, the list
 * of scans with their times and who scanned, the lines missing, the list of
 * registers; the finish writes the marks as rows with the scans' own times;
 * a scan against another register (the hand-back) writes the first
 * register's mark out before it marks the row again; verify agrees
 * throughout.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sqlite3.h>
#include "amanat/store.h"
#include "support/store_fixture.h"

static char dir[] = "/tmp/amanat-marks.XXXXXX";
static char path[300];

static int setup(void **state)
{
	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/t.db", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return fixture_rmtree(dir);
}

/* One number from the file, read by a connection of its own. */
static long long one(const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	long long n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

struct seen {
	char code[8][32];
	char actor[8][32];
	int64_t at[8];
	enum tally_mark result[8];
	int n;
};

static int scan_seen(const struct tally_scan_row *r, void *arg)
{
	struct seen *v = arg;
	if (v->n < 8) {
		snprintf(v->code[v->n], sizeof v->code[0], "%s", r->code);
		snprintf(v->actor[v->n], sizeof v->actor[0], "%s", r->actor);
		v->at[v->n] = r->at_ms;
		v->result[v->n] = r->result;
	}
	v->n++;
	return 0;
}

static int missing_seen(const char *waybill, void *arg)
{
	(void)waybill;
	(*(int *)arg)++;
	return 0;
}

static void verified(struct store *s)
{
	size_t n;
	struct am_error e;
	if (store_verify(s, &n, &e))
		fail_msg("verify: %s", e.msg);
}

static void step(struct store *s, enum event_type type, const char *waybill, struct event_ctx *ctx)
{
	struct am_error e;
	struct transition t = { .type = type, .waybill = waybill, .courier = "C-1" };
	ctx->at_ms += 1000;
	if (store_apply(s, &t, ctx, &e))
		fail_msg("%s: %s", waybill, e.msg);
}

static void marks_read_as_rows_and_finish_as_rows(void **state)
{
	(void)state;
	struct store *s;
	struct am_error e;
	struct event_ctx ctx = { "clerk", "KP", 1770000000000LL, NULL };
	enum scan_result res;
	struct reg r;
	assert_int_equal(store_open(path, &s, &e), 0);
	assert_int_equal(store_init(s, "DEV-M", "KP", &e), 0);
	fixture_register(&r, "R-A", 40000000, 6);
	assert_int_equal(store_register_import(s, &r, &ctx, &e), 0);

	/* three matched scans by two people, one unexpected */
	for (int i = 0; i < 3; i++) {
		ctx.actor = i == 1 ? "other" : "clerk";
		ctx.at_ms += 1000;
		assert_int_equal(store_tally_scan(s, "R-A", r.lines[i].waybill, &ctx, &res, NULL, 0, &e), 0);
		assert_int_equal(res, SCAN_MATCHED);
	}
	char stray[14];
	fixture_s10(49000000, stray);
	ctx.at_ms += 1000;
	assert_int_equal(store_tally_scan(s, "R-A", stray, &ctx, &res, NULL, 0, &e), 0);
	assert_int_equal(res, SCAN_UNEXPECTED);
	/* the matched ones are marks, the unexpected one a row */
	assert_int_equal(one("SELECT count(*) FROM register_scan WHERE register_id = 'R-A'"), 1);
	assert_int_equal(one("SELECT count(*) FROM envelope v JOIN event e ON e.seq = v.tally_seq"
			     " WHERE e.register_id = 'R-A' AND e.type = 'accepted' AND e.waybill = v.waybill"), 3);
	assert_int_equal(one("SELECT n FROM log_head WHERE kind = -1 AND name = 'R-A'"), 3);
	/* a second scan of a marked one is a duplicate, and writes nothing */
	assert_int_equal(store_tally_scan(s, "R-A", r.lines[1].waybill, &ctx, &res, NULL, 0, &e), 0);
	assert_int_equal(res, SCAN_DUPLICATE);

	struct tally_summary sum;
	assert_int_equal(store_tally_get(s, "R-A", &sum, &e), 0);
	assert_int_equal(sum.expected, 6);
	assert_int_equal(sum.matched, 3);
	assert_int_equal(sum.unexpected, 1);
	assert_int_equal(sum.missing, 3);
	struct register_info info;
	assert_int_equal(store_register_get(s, "R-A", &info, NULL, &e), 0);
	assert_int_equal(info.n_scanned, 3);
	assert_int_equal(info.n_unexpected, 1);
	int missing = 0;
	assert_int_equal(store_tally_missing(s, "R-A", 0, missing_seen, &missing, &e), 0);
	assert_int_equal(missing, 3);
	/* newest first, each with its own time and who scanned it */
	struct seen v = { 0 };
	assert_int_equal(store_tally_scans(s, "R-A", scan_seen, &v, &e), 0);
	assert_int_equal(v.n, 4);
	assert_string_equal(v.code[0], stray);
	assert_int_equal(v.result[0], TALLY_UNEXPECTED);
	assert_string_equal(v.code[1], r.lines[2].waybill);
	assert_string_equal(v.code[2], r.lines[1].waybill);
	assert_string_equal(v.actor[2], "other");
	assert_int_equal(v.result[2], TALLY_MATCHED);
	assert_int_equal(v.at[2], 1770000000000LL + 2000);
	assert_string_equal(v.code[3], r.lines[0].waybill);
	verified(s);

	/* one marked scanned is found damaged: its mark becomes a damaged row */
	assert_int_equal(store_tally_damaged(s, "R-A", r.lines[0].waybill, &ctx, &e), 0);
	assert_int_equal(one("SELECT n FROM log_head WHERE kind = -1 AND name = 'R-A'"), 2);
	assert_int_equal(one("SELECT count(*) FROM register_scan WHERE register_id = 'R-A' AND result = 'damaged'"
			     " AND at_ms = 1770000001000"), 1);
	assert_int_equal(store_tally_get(s, "R-A", &sum, &e), 0);
	assert_int_equal(sum.matched, 2);
	assert_int_equal(sum.damaged, 1);
	verified(s);

	/* finished: the marks are rows with the scans' times, the rows clean */
	char act[64];
	assert_int_equal(store_tally_finish(s, "R-A", NULL, 0, &ctx, &sum, act, sizeof act, &e), 0);
	assert_int_equal(sum.matched, 2);
	assert_int_equal(sum.missing, 3);
	assert_int_equal(one("SELECT count(*) FROM envelope WHERE tally_seq <> 0"), 0);
	assert_int_equal(one("SELECT count(*) FROM log_head WHERE kind = -1"), 0);
	assert_int_equal(one("SELECT count(*) FROM register_scan WHERE register_id = 'R-A' AND result = 'matched'"), 2);
	assert_int_equal(one("SELECT at_ms FROM register_scan WHERE register_id = 'R-A' AND result = 'matched'"
			     " AND actor = 'other'"), 1770000002000LL);
	assert_int_equal(store_register_get(s, "R-A", &info, NULL, &e), 0);
	assert_int_equal(info.n_scanned, 3);	/* matched and damaged, as before */
	/* §18: the register of accepted documents lists the two matched */
	assert_int_equal(one("SELECT count(*) FROM register_line WHERE register_id = 'R-A-ACC'"), 2);
	memset(&v, 0, sizeof v);
	assert_int_equal(store_tally_scans(s, "R-A", scan_seen, &v, &e), 0);
	assert_int_equal(v.n, 4);
	assert_string_equal(v.code[2], r.lines[1].waybill);
	assert_string_equal(v.actor[2], "other");
	verified(s);
	store_close(s);
	register_free(&r);
}

static void a_mark_is_written_out_before_another_register_marks_the_row(void **state)
{
	(void)state;
	struct store *s;
	struct am_error e;
	struct event_ctx ctx = { "clerk", "KP", 1771000000000LL, NULL };
	enum scan_result res;
	struct reg r, ret;
	assert_int_equal(store_open(path, &s, &e), 0);
	fixture_register(&r, "R-B", 41000000, 3);
	assert_int_equal(store_register_import(s, &r, &ctx, &e), 0);
	for (int i = 0; i < 3; i++) {
		ctx.at_ms += 1000;
		assert_int_equal(store_tally_scan(s, "R-B", r.lines[i].waybill, &ctx, &res, NULL, 0, &e), 0);
	}
	/* R-B is left open; its first envelope goes out and comes back */
	step(s, EV_OUT_FOR_DELIVERY, r.lines[0].waybill, &ctx);
	step(s, EV_RETURNED_TO_POINT, r.lines[0].waybill, &ctx);
	ctx.at_ms += 1000;
	assert_int_equal(store_register_create_return(s, "RET-1", NULL, &ctx, &ret, &e), 0);
	ctx.at_ms += 1000;
	assert_int_equal(store_tally_scan(s, "RET-1", r.lines[0].waybill, &ctx, &res, NULL, 0, &e), 0);
	assert_int_equal(res, SCAN_MATCHED);
	/* R-B's scan is a row now, with its own time; the row marked for RET-1 */
	assert_int_equal(one("SELECT at_ms FROM register_scan WHERE register_id = 'R-B' AND result = 'matched'"),
			 1771000001000LL);
	assert_int_equal(one("SELECT n FROM log_head WHERE kind = -1 AND name = 'R-B'"), 2);
	assert_int_equal(one("SELECT n FROM log_head WHERE kind = -1 AND name = 'RET-1'"), 1);
	struct tally_summary sum;
	assert_int_equal(store_tally_get(s, "R-B", &sum, &e), 0);
	assert_int_equal(sum.matched, 3);
	assert_int_equal(sum.missing, 0);
	assert_int_equal(store_tally_get(s, "RET-1", &sum, &e), 0);
	assert_int_equal(sum.matched, 1);
	assert_int_equal(store_tally_scan(s, "R-B", r.lines[0].waybill, &ctx, &res, NULL, 0, &e), 0);
	assert_int_equal(res, SCAN_DUPLICATE);
	verified(s);
	store_close(s);
	register_free(&r);
	register_free(&ret);
}

/* The last scans of reg as they were read before schema 29: every row and
 * every mark of the register sorted, newest first, "code result at actor"
 * a line (at most n lines). */
static void all_sorted(const char *reg, char *out, size_t len, int n)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	size_t used = 0;
	out[0] = '\0';
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
		"SELECT code, result, at_ms, actor, seq FROM register_scan WHERE register_id = ?1"
		" UNION ALL SELECT v.waybill, 'matched', e.at_ms, e.actor, v.tally_seq FROM register_line l"
		" JOIN envelope v ON v.waybill = l.waybill JOIN event e ON e.seq = v.tally_seq"
		" WHERE l.register_id = ?1 AND v.tally_seq > 0 AND e.register_id = ?1 ORDER BY 3 DESC, 5 DESC",
		-1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, reg, -1, SQLITE_STATIC);
	for (int i = 0; i < n && sqlite3_step(st) == SQLITE_ROW; i++)
		used += (size_t)snprintf(out + used, len - used, "%s %s %lld %s\n", sqlite3_column_text(st, 0),
					 sqlite3_column_text(st, 1), (long long)sqlite3_column_int64(st, 2),
					 sqlite3_column_text(st, 3));
	sqlite3_finalize(st);
	sqlite3_close(db);
}

struct lines {
	char text[8192];
	size_t used;
	int n, most;
};

static int scan_line(const struct tally_scan_row *r, void *arg)
{
	struct lines *l = arg;
	static const char *const names[] = { "matched", "unexpected", "damaged" };
	l->used += (size_t)snprintf(l->text + l->used, sizeof l->text - l->used, "%s %s %lld %s\n", r->code,
				    names[r->result], (long long)r->at_ms, r->actor);
	return ++l->n >= l->most;
}

/* store_tally_scans against the full sort, whole and cut after 1 and 3 */
static void same_as_sorted(struct store *s, const char *reg, int expect)
{
	struct am_error e;
	char want[8192];
	static const int cut[] = { 1, 3, 1000 };
	for (size_t i = 0; i < sizeof cut / sizeof cut[0]; i++) {
		int most = cut[i];
		struct lines got = { .most = most };
		assert_int_equal(store_tally_scans(s, reg, scan_line, &got, &e), 0);
		all_sorted(reg, want, sizeof want, most);
		assert_string_equal(got.text, want);
		if (most == 1000)
			assert_int_equal(got.n, expect);
	}
}

/* Schema 29: the last scans are read newest first, not sorted whole at each
 * drawing: the rows from their index, the marks by walking the log back
 * from its end for as long as the register is (twice its lines and 2,048),
 * the marks older than that from the register's lines.  The same list,
 * in the same order, as every row and mark sorted, on each side of that
 * bound and across it. */
static void last_scans_newest_first_on_both_sides_of_the_walk(void **state)
{
	(void)state;
	struct store *s;
	struct am_error e;
	struct event_ctx ctx = { "clerk", "KP", 1772000000000LL, NULL };
	enum scan_result res;
	struct reg r, fill, more;
	char stray[14];
	assert_int_equal(store_open(path, &s, &e), 0);
	fixture_register(&r, "R-C", 42000000, 6);
	assert_int_equal(store_register_import(s, &r, &ctx, &e), 0);
	same_as_sorted(s, "R-C", 0);
	/* two marks and an unexpected row, then 2,100 events of another register */
	for (int i = 0; i < 2; i++) {
		ctx.at_ms += 1000;
		assert_int_equal(store_tally_scan(s, "R-C", r.lines[i].waybill, &ctx, &res, NULL, 0, &e), 0);
		assert_int_equal(res, SCAN_MATCHED);
	}
	fixture_s10(49100000, stray);
	ctx.at_ms += 1000;
	assert_int_equal(store_tally_scan(s, "R-C", stray, &ctx, &res, NULL, 0, &e), 0);
	same_as_sorted(s, "R-C", 3);
	ctx.at_ms += 1000;
	fixture_register(&fill, "R-FILL", 43000000, 2100);
	assert_int_equal(store_register_import(s, &fill, &ctx, &e), 0);
	/* R-C's marks are beyond the walk now: read from its lines */
	same_as_sorted(s, "R-C", 3);
	/* one mark on each side of the bound, a damaged row among them */
	ctx.at_ms += 1000;
	assert_int_equal(store_tally_scan(s, "R-C", r.lines[4].waybill, &ctx, &res, NULL, 0, &e), 0);
	ctx.at_ms += 1000;
	assert_int_equal(store_tally_damaged(s, "R-C", r.lines[5].waybill, &ctx, &e), 0);
	ctx.at_ms += 1000;
	assert_int_equal(store_tally_scan(s, "R-C", r.lines[2].waybill, &ctx, &res, NULL, 0, &e), 0);
	same_as_sorted(s, "R-C", 6);
	/* a big register scanned now: its marks at the log's end */
	for (int i = 0; i < 40; i++) {
		ctx.at_ms += 1000;
		assert_int_equal(store_tally_scan(s, "R-FILL", fill.lines[i * 50].waybill, &ctx, &res, NULL, 0, &e), 0);
	}
	same_as_sorted(s, "R-FILL", 40);
	same_as_sorted(s, "R-C", 6);
	/* more than the walk covers after R-FILL's marks: the older from its lines */
	fixture_register(&more, "R-MORE", 44000000, 6400);
	assert_int_equal(store_register_import(s, &more, &ctx, &e), 0);
	ctx.at_ms += 1000;
	assert_int_equal(store_tally_scan(s, "R-FILL", fill.lines[1].waybill, &ctx, &res, NULL, 0, &e), 0);
	same_as_sorted(s, "R-FILL", 41);
	/* finished: rows only, newest first from their index */
	struct tally_summary sum;
	char act[64];
	assert_int_equal(store_tally_finish(s, "R-C", NULL, 0, &ctx, &sum, act, sizeof act, &e), 0);
	same_as_sorted(s, "R-C", 6);
	assert_int_equal(one("SELECT count(*) FROM pragma_index_list('register_scan')"
			     " WHERE name = 'register_scan_recent'"), 1);
	verified(s);
	store_close(s);
	register_free(&r);
	register_free(&fill);
	register_free(&more);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(marks_read_as_rows_and_finish_as_rows),
		cmocka_unit_test(a_mark_is_written_out_before_another_register_marks_the_row),
		cmocka_unit_test(last_scans_newest_first_on_both_sides_of_the_walk),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
