/*
 * test_hotpath.c - the machinery that makes the scan path fast must not
 * change what is stored: cached statements under nesting, the chain's end
 * kept per transaction (a rollback and another writer in between), batches
 * whose refused operations leave nothing, checkpoints only when idle,
 * envelope_count kept by triggers, a hub's answers marked without an
 * fsync of their own while every other commit keeps it, and verify after all
 * of it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <jansson.h>
#include "amanat/store.h"
#include "support/store_fixture.h"
#include "amanat/timeutil.h"
#include "store/store_internal.h"	/* the connection, to ask its synchronous */

static char dir[] = "/tmp/amanat-hot.XXXXXX";
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

static struct store *open_at(const char *p)
{
	struct store *s;
	struct am_error e;
	if (store_open(p, &s, &e))
		fail_msg("open: %s", e.msg);
	return s;
}

static size_t count_state(struct store *s, enum envelope_state st)
{
	size_t counts[ST__COUNT];
	struct am_error e;
	assert_int_equal(store_state_counts(s, counts, &e), 0);
	return counts[st];
}

static void verify_ok(struct store *s)
{
	size_t n;
	struct am_error e;
	if (store_verify(s, &n, &e))
		fail_msg("verify: %s", e.msg);
}

/* Two connections append in turn: each transaction reads the chain's end
 * afresh, so neither overwrites the other's head. */
static void test_two_writers_keep_one_chain(void **state)
{
	(void)state;
	struct store *a = open_at(path), *b = open_at(path);
	struct event_ctx ctx = { "t", "KP", 0, NULL };
	struct am_error e;
	for (int i = 0; i < 20; i++) {
		assert_int_equal(store_append_event(i % 3 ? a : b, EV_NOTE, "", "", "{\"n\":1}", &ctx, &e), 0);
	}
	verify_ok(a);
	verify_ok(b);
	store_close(a);
	store_close(b);
}

/* A refused scan and a duplicate roll back; the next scans chain on. */
static void test_rollback_forgets_the_chain_end(void **state)
{
	(void)state;
	struct store *s = open_at(path);
	struct reg r;
	struct am_error e;
	struct event_ctx ctx = { "t", "KP", 0, NULL };
	enum scan_result res;
	fixture_register(&r, "R-ROLL", 20000000, 5);
	assert_int_equal(store_register_import(s, &r, &ctx, &e), 0);
	assert_int_equal(store_tally_scan(s, "R-ROLL", r.lines[0].waybill, &ctx, &res, NULL, 0, &e), 0);
	assert_int_equal(res, SCAN_MATCHED);
	assert_int_equal(store_tally_scan(s, "R-ROLL", r.lines[0].waybill, &ctx, &res, NULL, 0, &e), 0);
	assert_int_equal(res, SCAN_DUPLICATE);
	struct transition bad = { .type = EV_PLACED, .waybill = r.lines[1].waybill };
	assert_int_not_equal(store_apply(s, &bad, &ctx, &e), 0);	/* registered: cannot be placed */
	assert_int_equal(store_tally_scan(s, "R-ROLL", r.lines[1].waybill, &ctx, &res, NULL, 0, &e), 0);
	assert_int_equal(res, SCAN_MATCHED);
	assert_int_equal(count_state(s, ST_ACCEPTED), 2);
	assert_int_equal(count_state(s, ST_REGISTERED), 3);
	verify_ok(s);
	register_free(&r);
	store_close(s);
}

/* In a batch a refused operation leaves nothing; the rest is committed
 * once, and a batch rolled back leaves nothing at all. */
static void test_batch(void **state)
{
	(void)state;
	struct store *s = open_at(path);
	struct reg r, r2;
	struct am_error e;
	struct event_ctx ctx = { "t", "KP", 0, NULL };
	fixture_register(&r, "R-BATCH", 21000000, 4);
	assert_int_equal(store_batch_begin(s, &e), 0);
	assert_int_not_equal(store_batch_begin(s, &e), 0);	/* not nested */
	assert_int_equal(store_register_import(s, &r, &ctx, &e), 0);
	struct transition bad = { .type = EV_COLLECTED, .waybill = r.lines[0].waybill };
	assert_int_not_equal(store_apply(s, &bad, &ctx, &e), 0);
	enum scan_result res;
	assert_int_equal(store_tally_scan(s, "R-BATCH", r.lines[0].waybill, &ctx, &res, NULL, 0, &e), 0);
	assert_int_equal(store_batch_end(s, true, &e), 0);
	assert_int_equal(count_state(s, ST_ACCEPTED), 3);	/* 2 from the test before */
	verify_ok(s);

	fixture_register(&r2, "R-GONE", 22000000, 3);
	assert_int_equal(store_batch_begin(s, &e), 0);
	assert_int_equal(store_register_import(s, &r2, &ctx, &e), 0);
	assert_int_equal(store_batch_end(s, false, &e), 0);
	struct register_info info;
	assert_int_not_equal(store_register_get(s, "R-GONE", &info, NULL, &e), 0);
	verify_ok(s);
	/* and the chain goes on after the rolled-back batch */
	assert_int_equal(store_append_event(s, EV_NOTE, "", "", "{}", &ctx, &e), 0);
	verify_ok(s);
	register_free(&r);
	register_free(&r2);
	store_close(s);
}

/* Commits leave frames in the WAL; store_idle copies them back. */
static void test_checkpoint_when_idle(void **state)
{
	(void)state;
	struct store *s = open_at(path);
	struct event_ctx ctx = { "t", "KP", 0, NULL };
	struct am_error e;
	assert_int_equal(store_idle(s) >= 0, 1);
	for (int i = 0; i < 5; i++)
		assert_int_equal(store_append_event(s, EV_NOTE, "", "", "{}", &ctx, &e), 0);
	assert_true(store_wal_frames(s) > 0);
	assert_int_equal(store_idle(s), 0);	/* a burst goes on: not yet */
	usleep(2100000);
	assert_int_equal(store_idle(s), 1);	/* a pause: now */
	assert_int_equal(store_wal_frames(s), 0);
	assert_int_equal(store_idle(s), 0);	/* nothing more to do */
	verify_ok(s);
	store_close(s);
}

/* The quick check walks only what is newer than the last full one. */
static void test_verify_quick(void **state)
{
	(void)state;
	struct store *s = open_at(path);
	struct event_ctx ctx = { "t", "KP", 0, NULL };
	struct am_error e;
	size_t n, all;
	int64_t from;
	assert_int_equal(store_verify(s, &all, &e), 0);
	assert_int_equal(store_verify_quick(s, &n, &from, &e), 0);
	assert_int_equal(n, 0);
	assert_int_equal(from, (int64_t)all);
	for (int i = 0; i < 3; i++)
		assert_int_equal(store_append_event(s, EV_NOTE, "", "", "{}", &ctx, &e), 0);
	assert_int_equal(store_verify_quick(s, &n, &from, &e), 0);
	assert_int_equal(n, 3);
	assert_int_equal(from, (int64_t)all);
	store_close(s);
}

/* The registered event's payload is written without jansson on the import
 * path: it must be byte for byte what jansson writes (the hash chain and
 * the hub read it), quotes, backslashes, slashes and Cyrillic included. */
static int payload_of(const struct event_row *r, void *arg)
{
	if (r->type == EV_REGISTERED)
		snprintf(arg, 1024, "%s", r->payload);
	return 0;
}

static void test_registered_payload_as_jansson(void **state)
{
	(void)state;
	static const char *const texts[][3] = {
		{ "APP-1", "PM-1", "Almaty" },
		{ "A\"quoted\"", "PM\\back\\slash", "a/b" },
		{ "", "", "" },
		{ "Ө-12", "ПМ-Алматы", "Алматы, Абая 1" },
	};
	struct store *s = open_at(path);
	struct event_ctx ctx = { "t", "KP", 0, NULL };
	struct am_error e;
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		struct reg r;
		char id[32], got[1024] = "";
		snprintf(id, sizeof id, "R-PAYLOAD-%zu", i);
		fixture_register(&r, id, 23000000 + (long)i, 1);
		snprintf(r.lines[0].application, sizeof r.lines[0].application, "%s", texts[i][0]);
		snprintf(r.lines[0].postomat, sizeof r.lines[0].postomat, "%s", texts[i][1]);
		snprintf(r.lines[0].city, sizeof r.lines[0].city, "%s", texts[i][2]);
		assert_int_equal(store_register_import(s, &r, &ctx, &e), 0);
		assert_int_equal(store_event_each(s, r.lines[0].waybill, false, payload_of, got, &e), 0);
		json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "application", texts[i][0], "postomat", texts[i][1],
				      "city", texts[i][2], "to", "registered");
		char *want = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
		assert_string_equal(got, want);
		free(want);
		json_decref(o);
		register_free(&r);
	}
	verify_ok(s);
	store_close(s);
}

static int take_mark(const struct event_row *r, void *arg)
{
	struct outbox_mark *m = arg;
	while (m->uuid[0])
		m++;
	snprintf(m->uuid, sizeof m->uuid, "%s", r->uuid);
	m->state = SYNC_ACKED;
	return 0;
}

static int synchronous(struct store *s)
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(s->db, "PRAGMA synchronous", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* A hub's answers commit with synchronous=NORMAL (a lost acknowledgement
 * is sent again and answered "duplicate"); the connection is FULL again
 * after them, for the next scan, and after a failed answer too. */
static void test_acks_relaxed_then_full(void **state)
{
	(void)state;
	char own[300];
	snprintf(own, sizeof own, "%s/acks.db", dir);
	struct store *s = open_at(own);
	struct event_ctx ctx = { "t", "KP", 0, NULL };
	struct am_error e;
	static struct outbox_mark m[40];
	size_t depth = 0;
	assert_int_equal(synchronous(s), 2);
	for (int i = 0; i < 40; i++)
		assert_int_equal(store_append_event(s, EV_NOTE, "", "", "{\"n\":1}", &ctx, &e), 0);
	memset(m, 0, sizeof m);
	assert_int_equal(store_outbox_batch(s, 40, take_mark, m, &e), 0);
	assert_true(m[39].uuid[0]);
	assert_int_equal(store_outbox_mark_many(s, m, 40, &e), 0);
	assert_int_equal(synchronous(s), 2);
	assert_int_equal(store_outbox_stats(s, &depth, NULL, NULL, &e), 0);
	assert_int_equal(depth, 0);
	/* inside a batch nothing is relaxed, and it stays FULL */
	assert_int_equal(store_append_event(s, EV_NOTE, "", "", "{\"n\":2}", &ctx, &e), 0);
	memset(m, 0, sizeof m);
	assert_int_equal(store_outbox_batch(s, 40, take_mark, m, &e), 0);
	assert_int_equal(store_batch_begin(s, &e), 0);
	assert_int_equal(store_outbox_mark_many(s, m, 1, &e), 0);
	assert_int_equal(store_batch_end(s, true, &e), 0);
	assert_int_equal(synchronous(s), 2);
	verify_ok(s);
	store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_writers_keep_one_chain),
		cmocka_unit_test(test_rollback_forgets_the_chain_end),
		cmocka_unit_test(test_batch),
		cmocka_unit_test(test_checkpoint_when_idle),
		cmocka_unit_test(test_verify_quick),
		cmocka_unit_test(test_registered_payload_as_jansson),
		cmocka_unit_test(test_acks_relaxed_then_full),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
