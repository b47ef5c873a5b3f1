/*
 * test_tally_kept.c - a register's live tally is kept between draws
 * (src/store/register.c: its lines counted once, its scans as of the data
 * version).  After every kind of change, by this connection or another,
 * it must equal a fresh count from the tables.
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

static char dir[] = "/tmp/amanat-tally.XXXXXX";
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

static long count(const char *sql, const char *reg)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, reg, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	long n = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

/* s's tally of reg (twice: the kept answer) against the tables. */
static void same_as_fresh(struct store *s, const char *reg)
{
	struct tally_summary a, b;
	struct am_error e;
	assert_int_equal(store_tally_get(s, reg, &a, &e), 0);
	assert_int_equal(store_tally_get(s, reg, &b, &e), 0);
	assert_memory_equal(&a, &b, sizeof a);
	long lines = count("SELECT count(*) FROM register_line WHERE register_id = ?", reg);
	/* rows, and (schema 27) the matched scans marked on envelope rows */
	long matched = count("SELECT (SELECT count(*) FROM register_scan WHERE register_id = ?1 AND result = 'matched')"
			     " + (SELECT count(*) FROM envelope v JOIN event e ON e.seq = v.tally_seq"
			     " WHERE v.tally_seq > 0 AND e.register_id = ?1)", reg);
	long damaged = count("SELECT count(*) FROM register_scan WHERE register_id = ? AND result = 'damaged'", reg);
	long unexpected = count("SELECT count(*) FROM register_scan WHERE register_id = ? AND result = 'unexpected'",
				reg);
	assert_int_equal(a.expected, lines);
	assert_int_equal(a.matched, matched);
	assert_int_equal(a.damaged, damaged);
	assert_int_equal(a.unexpected, unexpected);
	assert_int_equal(a.missing, lines - matched - damaged);
	assert_int_equal(a.needs_act, a.missing || unexpected || damaged);
}

static void kept_tally_follows_every_change(void **state)
{
	(void)state;
	struct store *s, *other;
	struct am_error e;
	struct event_ctx ctx = { "clerk", "KP", 1770000000000LL, NULL };
	enum scan_result res;
	struct reg r1, r2;
	assert_int_equal(store_open(path, &s, &e), 0);
	assert_int_equal(store_init(s, "DEV-T", "KP", &e), 0);
	fixture_register(&r1, "R-A", 40000000, 12);
	fixture_register(&r2, "R-B", 41000000, 5);
	assert_int_equal(store_register_import(s, &r1, &ctx, &e), 0);
	assert_int_equal(store_register_import(s, &r2, &ctx, &e), 0);
	same_as_fresh(s, "R-A");
	for (int i = 0; i < 6; i++) {	/* scans by this connection */
		assert_int_equal(store_tally_scan(s, "R-A", r1.lines[i].waybill, &ctx, &res, NULL, 0, &e), 0);
		same_as_fresh(s, "R-A");
	}
	char stray[14];
	fixture_s10(49000000, stray);
	assert_int_equal(store_tally_scan(s, "R-A", stray, &ctx, &res, NULL, 0, &e), 0);
	assert_int_equal(res, SCAN_UNEXPECTED);
	same_as_fresh(s, "R-A");
	/* another register in between, then back */
	assert_int_equal(store_tally_scan(s, "R-B", r2.lines[0].waybill, &ctx, &res, NULL, 0, &e), 0);
	same_as_fresh(s, "R-B");
	same_as_fresh(s, "R-A");
	/* another connection (another process: the data version moves) */
	assert_int_equal(store_open(path, &other, &e), 0);
	assert_int_equal(store_tally_scan(other, "R-A", r1.lines[7].waybill, &ctx, &res, NULL, 0, &e), 0);
	assert_int_equal(store_tally_damaged(other, "R-A", r1.lines[8].waybill, &ctx, &e), 0);
	same_as_fresh(s, "R-A");
	/* a damaged mark on one scanned already, by this connection */
	assert_int_equal(store_tally_damaged(s, "R-A", r1.lines[0].waybill, &ctx, &e), 0);
	same_as_fresh(s, "R-A");
	/* a refused scan changes nothing */
	assert_int_equal(store_tally_scan(s, "R-A", r1.lines[1].waybill, &ctx, &res, NULL, 0, &e), 0);
	assert_int_equal(res, SCAN_DUPLICATE);
	same_as_fresh(s, "R-A");
	/* finished: the act's counts are the tally's */
	struct tally_summary sum;
	char act[64];
	assert_int_equal(store_tally_finish(other, "R-A", NULL, 0, &ctx, &sum, act, sizeof act, &e), 0);
	same_as_fresh(s, "R-A");
	struct tally_summary now;
	assert_int_equal(store_tally_get(s, "R-A", &now, &e), 0);
	assert_int_equal(now.matched, sum.matched);
	assert_int_equal(now.missing, sum.missing);
	assert_int_equal(store_tally_get(s, "R-NONE", &now, &e), AM_REFUSED);
	store_close(other);
	store_close(s);
	register_free(&r1);
	register_free(&r2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(kept_tally_follows_every_change),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
