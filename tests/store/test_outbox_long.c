/*
 * test_outbox_long.c - the outbox's depth when it is long (event.c,
 * outbox_depth_now: past DEPTH_COUNTED pending events a sync's marking
 * carries the depth on instead of counting the outbox under the write
 * lock).  After every marking, by this process or another one between its
 * reads, acknowledged or rejected, in order or in the middle, with the
 * memo spoilt, with an event marked by hand (wrong until the outbox is
 * short again, then right), the depth a fresh handle reads is the unsent
 * events SQLite itself counts.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <sqlite3.h>
#include "amanat/store.h"
#include "amanat/timeutil.h"
#include "support/store_fixture.h"

static char dir[] = "/tmp/amanat-outbox-long.XXXXXX";
static char path[256];

#define LINES 6000		/* past DEPTH_COUNTED (4096) */

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

static struct store *open_one(void)
{
	struct store *s;
	struct am_error e;
	if (store_open(path, &s, &e))
		fail_msg("%s", e.msg);
	return s;
}

static size_t truth(void)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM event WHERE sync = 0", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	size_t n = (size_t)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

static void sql(const char *text)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, text, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

/* The depth as a handle opened now reads it (from the marking's memo) and
 * as the one given keeps it. */
static size_t depth_of(struct store *s, const char *when)
{
	struct am_error e;
	size_t kept, fresh;
	struct store *f = open_one();
	assert_int_equal(store_outbox_stats(f, &fresh, NULL, NULL, &e), 0);
	assert_int_equal(store_outbox_stats(s, &kept, NULL, NULL, &e), 0);
	store_close(f);
	if (kept != fresh)
		fail_msg("%s: the outbox kept %zu, read now %zu", when, kept, fresh);
	return fresh;
}

static void right(struct store *s, const char *when)
{
	size_t d = depth_of(s, when), t = truth();
	if (d != t)
		fail_msg("%s: the outbox says %zu, the log has %zu unsent", when, d, t);
}

/* n of the pending events, every step-th from the skip-th on, marked. */
struct pick { struct outbox_mark *m; size_t n, max, skip, step, i; enum sync_state state; };
static int pick(const struct event_row *r, void *arg)
{
	struct pick *p = arg;
	size_t i = p->i++;
	if (p->n < p->max && i >= p->skip && (i - p->skip) % p->step == 0) {
		snprintf(p->m[p->n].uuid, sizeof p->m[p->n].uuid, "%s", r->uuid);
		p->m[p->n].state = p->state;
		snprintf(p->m[p->n].reason, sizeof p->m[p->n].reason, "test");
		p->n++;
	}
	return 0;
}

static void mark(struct store *s, size_t max, size_t skip, size_t step, enum sync_state state)
{
	struct am_error e;
	struct pick p = { calloc(max, sizeof *p.m), 0, max, skip, step, 0, state };
	assert_non_null(p.m);
	assert_int_equal(store_outbox_batch(s, skip + max * step, pick, &p, &e), 0);
	assert_int_equal(p.n, max);
	if (store_outbox_mark_many(s, p.m, p.n, &e))
		fail_msg("marking: %s", e.msg);
	free(p.m);
}

static void long_outbox(void **state)
{
	(void)state;
	struct am_error e;
	struct reg r;
	struct event_ctx ctx = { "K-1", "KP", 0, NULL };
	struct store *a = open_one(), *b;
	fixture_register(&r, "R-LONG", 40211870, LINES);
	assert_int_equal(store_register_import(a, &r, &ctx, &e), 0);
	register_free(&r);
	size_t first = truth();
	assert_true(first >= LINES);
	right(a, "imported");
	/* a sync's answers, in order: the depth is carried on */
	mark(a, 500, 0, 1, SYNC_ACKED);
	right(a, "500 acknowledged");
	assert_int_equal(depth_of(a, "again"), first - 500);
	/* in the middle, some rejected: the watermark stays */
	mark(a, 300, 10, 3, SYNC_DEAD);
	right(a, "300 rejected in the middle");
	/* another process marks between this one's reads and markings */
	b = open_one();
	mark(b, 200, 5, 2, SYNC_ACKED);
	right(a, "another process marked");
	mark(a, 200, 0, 1, SYNC_ACKED);
	right(a, "marked after the other");
	store_close(b);
	/* a memo that does not hold and a handle that kept nothing: counted */
	sql("UPDATE meta SET value = '1 2 u 3' WHERE key = 'outbox_depth'");
	b = open_one();
	mark(b, 100, 0, 1, SYNC_ACKED);
	right(b, "after a spoilt memo");
	store_close(b);
	/* one marked by hand in between: the long outbox may carry it wrong,
	 * the short one is counted again */
	sql("UPDATE event SET sync = 1 WHERE seq = (SELECT max(seq) FROM event WHERE sync = 0)");
	mark(a, 100, 0, 1, SYNC_ACKED);
	while (truth() > 4000)
		mark(a, 500, 0, 1, SYNC_ACKED);
	mark(a, 10, 0, 1, SYNC_ACKED);
	right(a, "short again after a hand's mark");
	/* dead letters sent again: counted */
	size_t back = 0;
	struct event_ctx desk = { "S-1", "KP", 0, NULL };
	assert_int_equal(store_outbox_resend_by(a, NULL, &desk, &back, &e), 0);
	assert_true(back >= 300);
	right(a, "dead letters back");
	store_close(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(long_outbox),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
