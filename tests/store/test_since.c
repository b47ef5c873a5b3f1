/*
 * test_since.c - the readers that ask "what happened since T" (a person's
 * count, the recent lines, the newest event) find the log's first event
 * that late through event_hour (schema 22) instead of an index of times.
 * Each answer is compared with the same question asked of every row of the
 * log, over times that step back (a clock set back), jump hours ahead and
 * stay in one hour, after a log cut back by hand and written on, and with
 * the table as the migration makes it from the log alone.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <sqlite3.h>
#include "amanat/health.h"
#include "amanat/store.h"
#include "support/store_fixture.h"

#define H 3600000LL
#define T0 1774000000000LL	/* 2026-03-20, some hour and minutes in */

static char dir[] = "/tmp/amanat-since.XXXXXX";
static char path[256];

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

static int64_t raw_int(sqlite3 *db, const char *sql, int64_t bind)
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_bind_parameter_count(st) > 0)
		sqlite3_bind_int64(st, 1, bind);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int64_t v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int add_count(const char *actor, size_t n, void *arg)
{
	(void)actor;
	*(size_t *)arg += n;
	return 0;
}

static int count_row(const struct event_row *r, void *arg)
{
	(void)r;
	(*(int64_t *)arg)++;
	return 0;
}

static void append(struct store *s, const char *actor, int64_t at, long n)
{
	struct am_error e;
	char code[16];
	snprintf(code, sizeof code, "X%ld", n);
	struct event_ctx ctx = { actor, "KP", at, NULL };
	if (store_append_event(s, EV_SCAN_UNEXPECTED, code, "", "{}", &ctx, &e))
		fail_msg("append: %s", e.msg);
}

/* Every reader, for since = every time in the log, one before and after,
 * and each hour's start around them, against the same question over all
 * rows. */
static void compare_all(struct store *s, sqlite3 *raw)
{
	struct am_error e;
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(raw, "SELECT DISTINCT at_ms FROM event", -1, &st, NULL), SQLITE_OK);
	int64_t probes[4096];
	size_t n = 0;
	while (sqlite3_step(st) == SQLITE_ROW && n + 6 <= sizeof probes / sizeof probes[0]) {
		int64_t at = sqlite3_column_int64(st, 0);
		probes[n++] = at;
		probes[n++] = at - 1;
		probes[n++] = at + 1;
		probes[n++] = at / H * H;
		probes[n++] = (at / H + 1) * H;
		probes[n++] = (at / H - 1) * H;
	}
	sqlite3_finalize(st);
	probes[n++] = 0;
	probes[n++] = INT64_MAX / 2;
	for (size_t i = 0; i < n; i++) {
		int64_t t = probes[i];
		size_t mine = 0;
		assert_int_equal(store_actor_counts(s, t, add_count, &mine, &e), 0);
		int64_t want = raw_int(raw, "SELECT count(*) FROM event NOT INDEXED WHERE at_ms >= ?1 AND waybill <> ''"
				       " AND type NOT IN ('registered', 'printed', 'note', 'deadline_missed',"
				       " 'deadline_closed_late')", t);
		if ((int64_t)mine != want)
			fail_msg("actor counts since %lld: %zu, the log says %lld", (long long)t, mine, (long long)want);
		int64_t lines = 0;
		assert_int_equal(store_recent_events(s, "A", t, UINT32_MAX, 1 << 20, count_row, &lines, &e), 0);
		want = raw_int(raw, "SELECT count(*) FROM event NOT INDEXED WHERE at_ms >= ?1 AND actor = 'A'", t);
		if (lines != want)
			fail_msg("recent lines since %lld: %lld, the log says %lld", (long long)t, (long long)lines,
				 (long long)want);
	}
	int64_t newest = -1;
	assert_int_equal(store_newest_event(s, &newest, &e), 0);
	assert_int_equal(newest, raw_int(raw, "SELECT coalesce(max(at_ms), 0) FROM event NOT INDEXED", 0));
}

/* The table as appends keep it is the table the migration makes from the
 * log alone. */
static void same_as_migration(sqlite3 *raw)
{
	int64_t differ = raw_int(raw, "SELECT count(*) FROM ("
				 "SELECT hour, seq FROM event_hour EXCEPT SELECT hour, min(seq) FROM (SELECT seq,"
				 " max(at_ms) OVER (ORDER BY seq) / 3600000 AS hour FROM event) GROUP BY hour"
				 " UNION ALL "
				 "SELECT hour, min(seq) FROM (SELECT seq, max(at_ms) OVER (ORDER BY seq) / 3600000 AS hour"
				 " FROM event) GROUP BY hour EXCEPT SELECT hour, seq FROM event_hour)", 0);
	assert_int_equal(differ, 0);
}

static void test_since_matches_the_log(void **state)
{
	struct store *s;
	struct am_error e;
	sqlite3 *raw;
	(void)state;
	unlink(path);
	if (store_open(path, &s, &e))
		fail_msg("open: %s", e.msg);
	assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
	/* an empty log: nothing since any time */
	compare_all(s, raw);
	/* forward within an hour, across hours, a jump of a day, the clock
	 * set back two hours and then forward again, the same millisecond */
	static const int64_t steps[] = { 0, 1000, 60000, H, H + 5, 3 * H, 27 * H, 25 * H, 25 * H + 1, 26 * H,
					 27 * H, 27 * H, 28 * H - 1, 28 * H, 20 * H, 29 * H };
	long n = 0;
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
		append(s, (i & 1) ? "A" : "B", T0 + steps[i], n++);
	/* a register's events, many at one time (event_append_many) */
	struct reg r;
	memset(&r, 0, sizeof r);
	snprintf(r.id, sizeof r.id, "R-SINCE");
	r.kind = REG_INBOUND;
	snprintf(r.from, sizeof r.from, "SC");
	snprintf(r.to, sizeof r.to, "KP");
	r.formed_at = T0;
	for (long i = 0; i < 3; i++) {
		struct register_line l = { "", "APP", "PM-1", "Almaty", "" };
		fixture_s10(12345670 + i, l.waybill);
		assert_int_equal(register_add_line(&r, &l), 0);
	}
	struct event_ctx ctx = { "A", "KP", T0 + 40 * H, NULL };
	if (store_register_import(s, &r, &ctx, &e))
		fail_msg("import: %s", e.msg);
	register_free(&r);
	append(s, "A", T0 + 40 * H + 7, n++);
	compare_all(s, raw);
	same_as_migration(raw);

	/* a log cut back by hand (its last events and the hours they
	 * reached) and written on at earlier times than before the cut */
	assert_int_equal(sqlite3_exec(raw, "DROP TRIGGER event_no_delete;"
				      "DELETE FROM event WHERE seq > (SELECT max(seq) - 6 FROM event);",
				      NULL, NULL, NULL), SQLITE_OK);
	store_close(s);
	if (store_open(path, &s, &e))
		fail_msg("open: %s", e.msg);
	append(s, "A", T0 + 26 * H + 30, n++);
	append(s, "B", T0 + 27 * H + 30, n++);
	append(s, "A", T0 + 31 * H, n++);
	compare_all(s, raw);
	same_as_migration(raw);
	store_close(s);
	sqlite3_close(raw);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_since_matches_the_log),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
