/*
 * test_verify_ranges.c - the full verify walks the log in ranges on
 * several threads (src/store/verify_full.c).  Whatever the ranges, it must
 * pass a sound log, replay envelopes whose lives cross ranges the way one
 * walk does, and name the same seq for a break: a changed record (its
 * hash no longer the next one's prev_hash), a changed link, a missing
 * event, in the first range, a middle one, the last, and where two meet.
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
#include "amanat/shift.h"
#include "amanat/timeutil.h"
#include "store/verify_internal.h"

static char dir[] = "/tmp/amanat-vranges.XXXXXX";
static char base[300], path[300];
static int64_t n_events;

static void step(struct store *s, enum event_type t, const char *w, const char *cell, struct event_ctx *ctx)
{
	struct am_error e;
	struct transition tr = { .type = t, .waybill = w, .postomat = "PM-1", .cell = cell, .courier = "C-1",
				 .force = true, .reason = t == EV_PLACED ? "cell-full" : NULL };
	if (store_apply(s, &tr, ctx, &e))
		fail_msg("%s %s: %s", event_name(t), w, e.msg);
}

/* Three registers of 30, scanned, delivered, placed and collected in an
 * interleaved order, with shifts closed between: each envelope's life is
 * spread over the log, so small ranges cut through most of them. */
static void build(const char *p)
{
	struct store *s;
	struct am_error e;
	struct event_ctx ctx = { "clerk", "KP", 1770000000000LL, NULL };
	assert_int_equal(store_open(p, &s, &e), 0);
	assert_int_equal(store_init(s, "DEV-R", "KP", &e), 0);
	struct reg r[3];
	char id[3][16];
	for (int k = 0; k < 3; k++) {
		snprintf(id[k], sizeof id[k], "R-%d", k);
		fixture_register(&r[k], id[k], 30000000 + k * 100, 30);
		if (store_register_import(s, &r[k], &ctx, &e))
			fail_msg("import: %s", e.msg);
	}
	for (int i = 0; i < 30; i++)
		for (int k = 0; k < 3; k++) {
			enum scan_result res;
			ctx.actor = i % 2 ? "clerk" : "other";
			ctx.at_ms += 1000;
			assert_int_equal(store_tally_scan(s, id[k], r[k].lines[i].waybill, &ctx, &res, NULL, 0, &e), 0);
			if (i % 5 == 4 && k == 1) {
				char unexpected[14];
				fixture_s10(39000000 + i, unexpected);
				assert_int_equal(store_tally_scan(s, id[k], unexpected, &ctx, &res, NULL, 0, &e), 0);
			}
		}
	struct point_shift ps;
	assert_int_equal(store_point_shift(s, &ps, &e), 0);
	assert_int_equal(store_point_shift_close(s, ps.number, "", &ctx, NULL, &e), 0);
	for (int i = 0; i < 30; i++)
		for (int k = 0; k < 3; k++)
			if ((i + k) % 3 != 0)
				step(s, EV_OUT_FOR_DELIVERY, r[k].lines[i].waybill, NULL, &ctx);
	for (int i = 29; i >= 0; i--)
		for (int k = 0; k < 3; k++) {
			char cell[8];
			snprintf(cell, sizeof cell, "C%d", i * 3 + k);
			if ((i + k) % 3 != 0)
				step(s, EV_PLACED, r[k].lines[i].waybill, cell, &ctx);
		}
	assert_int_equal(store_point_shift(s, &ps, &e), 0);
	assert_int_equal(store_point_shift_close(s, ps.number, "", &ctx, NULL, &e), 0);
	for (int i = 0; i < 30; i += 2)
		for (int k = 0; k < 3; k++)
			if ((i + k) % 3 != 0)
				step(s, EV_COLLECTED, r[k].lines[i].waybill, NULL, &ctx);
	int64_t seq;
	char head[65];
	assert_int_equal(store_chain_head(s, &seq, head, &e), 0);
	n_events = seq;
	store_close(s);
	for (int k = 0; k < 3; k++)
		register_free(&r[k]);
}

static int setup(void **state)
{
	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(base, sizeof base, "%s/base.db", dir);
	snprintf(path, sizeof path, "%s/t.db", dir);
	build(base);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return fixture_rmtree(dir);
}

/* A fresh copy of the built log, with sql run on it (triggers dropped). */
static void copy_with(const char *sql)
{
	const char *step[] = { "DROP TRIGGER event_no_update; DROP TRIGGER event_no_delete;", sql };
	fixture_copy(base, path, step, sql ? 2 : 0);
}

/* verify with ranges of `range` events on `threads` threads. */
static int run(int64_t range, int threads, size_t *n, char msg[512])
{
	struct store *s;
	struct am_error e;
	assert_int_equal(store_open(path, &s, &e), 0);
	memset(&e, 0, sizeof e);
	int rc = vfy_full(s, range, threads, n, &e);
	snprintf(msg, 512, "%s", rc ? e.msg : "");
	store_close(s);
	return rc;
}

static const int64_t ranges[] = { 1, 2, 7, 50, 64, 1000000 };

static void sound_log_passes_whatever_the_ranges(void **state)
{
	(void)state;
	assert_true(n_events > 300);
	copy_with(NULL);
	for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++)
		for (int t = 1; t <= 3; t++) {
			size_t n = 0;
			char msg[512];
			if (run(ranges[i], t, &n, msg))
				fail_msg("ranges of %lld on %d threads: %s", (long long)ranges[i], t, msg);
			assert_int_equal(n, (size_t)n_events);
		}
	size_t n;
	struct store *s;
	struct am_error e;
	assert_int_equal(store_open(path, &s, &e), 0);
	assert_int_equal(store_verify(s, &n, &e), 0);	/* the command's own ranges */
	assert_int_equal(n, (size_t)n_events);
	store_close(s);
}

/* The replay crosses ranges: a derived row changed is still found. */
static void derived_rows_checked_across_ranges(void **state)
{
	(void)state;
	char msg[512];
	size_t n;
	copy_with("UPDATE envelope SET cell = 'C999' WHERE state = 'placed' AND rowid = (SELECT min(rowid) FROM envelope"
		  " WHERE state = 'placed')");
	for (int t = 1; t <= 3; t++) {
		assert_int_equal(run(7, t, &n, msg), AM_REFUSED);
		assert_non_null(strstr(msg, "envelope"));
		assert_non_null(strstr(msg, "another cell"));
	}
	copy_with("UPDATE envelope SET state = 'accepted' WHERE state = 'collected' AND rowid = (SELECT max(rowid)"
		  " FROM envelope WHERE state = 'collected')");
	assert_int_equal(run(7, 2, &n, msg), AM_REFUSED);
	assert_non_null(strstr(msg, "is accepted there, the log says collected"));
	copy_with("UPDATE log_head SET n = n + 1 WHERE kind = 2 AND shift = 2 AND name = 'clerk'");
	assert_int_equal(run(7, 2, &n, msg), AM_REFUSED);
	assert_non_null(strstr(msg, "shift_work"));
	/* a matched scan (a mark on its envelope's row while its register is
	 * open, schema 27) taken off, an unexpected one's row changed */
	copy_with("UPDATE envelope SET tally_seq = 0 WHERE rowid = (SELECT min(rowid) FROM envelope WHERE tally_seq > 0)");
	assert_int_equal(run(7, 2, &n, msg), AM_REFUSED);
	assert_non_null(strstr(msg, "register_scan"));
	copy_with("UPDATE register_scan SET result = 'matched' WHERE (register_id, code) = (SELECT register_id, code"
		  " FROM register_scan WHERE result = 'unexpected' ORDER BY code LIMIT 1)");
	assert_int_equal(run(7, 2, &n, msg), AM_REFUSED);
	assert_non_null(strstr(msg, "another result"));
}

/* sql changes the log; verify must say want (with %lld the seq) for each
 * range size and thread count. */
static void expect_break(const char *sql_fmt, int64_t seq, int64_t range, const char *want_fmt, int64_t named)
{
	char sql[300], want[200], msg[512];
	snprintf(sql, sizeof sql, sql_fmt, (long long)seq);
	snprintf(want, sizeof want, want_fmt, (long long)named, (long long)named + 1);
	copy_with(sql);
	for (int t = 1; t <= 3; t++) {
		size_t n = 0;
		int rc = run(range, t, &n, msg);
		if (rc != AM_REFUSED || !strstr(msg, want))
			fail_msg("%s, ranges of %lld on %d threads: got %d \"%s\", want \"%s\"", sql, (long long)range,
				 t, rc, msg, want);
		assert_int_equal(n, (size_t)(named - 1));
	}
}

#define CHANGED "UPDATE event SET payload = '{\"x\":1}' WHERE seq = %lld"
#define LINK "UPDATE event SET prev_hash = replace(prev_hash, substr(prev_hash, 1, 1), 'z') WHERE seq = %lld"
#define GONE "DELETE FROM event WHERE seq = %lld"
#define AT "event chain broken at event %lld: it or the event before it was changed"
#define MISSING "event %lld is missing (found %lld next)"

static void breaks_named_by_seq_in_every_range(void **state)
{
	(void)state;
	const int64_t R = 50;
	int64_t mid = (n_events / R / 2) * R;	/* a middle range's last seq */
	int64_t last_lo = ((n_events - 1) / R) * R + 1;
	/* a changed record: the next one's link names it */
	expect_break(CHANGED, 3, R, AT, 4);			/* first range */
	expect_break(CHANGED, mid - 20, R, AT, mid - 19);	/* a middle one */
	expect_break(CHANGED, last_lo + 1, R, AT, last_lo + 2);	/* the last range */
	expect_break(CHANGED, mid, R, AT, mid + 1);		/* where two meet */
	expect_break(CHANGED, 1, R, AT, 2);			/* the very first record */
	/* a changed link */
	expect_break(LINK, 1, R, AT, 1);
	expect_break(LINK, 17, R, AT, 17);
	expect_break(LINK, mid + 1, R, AT, mid + 1);		/* a range's first */
	expect_break(LINK, mid, R, AT, mid);			/* a range's last */
	expect_break(LINK, n_events, R, AT, n_events);
	/* a missing event, inside a range and at either end of one */
	expect_break(GONE, 5, R, MISSING, 5);
	expect_break(GONE, mid, R, MISSING, mid);
	expect_break(GONE, mid + 1, R, MISSING, mid + 1);
	/* two breaks: the first by seq is named, whichever thread finds it first */
	char sql[200];
	snprintf(sql, sizeof sql, CHANGED "; " LINK, (long long)(last_lo + 3), (long long)(mid + 1));
	expect_break(sql, 0, R, AT, mid + 1);
	expect_break(sql, 0, 1, AT, mid + 1);
	/* the newest record changed: only the stored chain end can tell */
	char msg[512], want[120];
	size_t n;
	snprintf(sql, sizeof sql, CHANGED, (long long)n_events);
	copy_with(sql);
	snprintf(want, sizeof want, "broken after event %lld", (long long)n_events);
	for (int t = 1; t <= 3; t++) {
		assert_int_equal(run(R, t, &n, msg), AM_REFUSED);
		assert_non_null(strstr(msg, want));
	}
	/* the newest event removed */
	snprintf(sql, sizeof sql, GONE, (long long)n_events);
	copy_with(sql);
	snprintf(want, sizeof want, "broken after event %lld", (long long)(n_events - 1));
	assert_int_equal(run(R, 2, &n, msg), AM_REFUSED);
	assert_non_null(strstr(msg, want));
}

/* Inside a transaction of the caller's (or without a file of its own) the
 * walk reads on the store's own connection, one thread: the function the
 * rows go through is made there once and found again by a second check. */
static void walked_on_the_stores_connection_too(void **state)
{
	(void)state;
	char sql[200], want[120];
	int64_t mid = (n_events / 50 / 2) * 50;
	snprintf(sql, sizeof sql, CHANGED, (long long)mid);
	snprintf(want, sizeof want, AT, (long long)(mid + 1));
	for (int broken = 0; broken < 2; broken++) {
		copy_with(broken ? sql : NULL);
		struct store *s;
		struct am_error e;
		assert_int_equal(store_open(path, &s, &e), 0);
		assert_int_equal(sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL), SQLITE_OK);
		for (int round = 0; round < 2; round++) {
			size_t n = 0;
			memset(&e, 0, sizeof e);
			int rc = vfy_full(s, 50, 3, &n, &e);
			if (broken) {
				assert_int_equal(rc, AM_REFUSED);
				if (!strstr(e.msg, want))
					fail_msg("round %d: \"%s\", want \"%s\"", round, e.msg, want);
				assert_int_equal(n, (size_t)mid);
			} else if (rc) {
				fail_msg("round %d: %s", round, e.msg);
			} else {
				assert_int_equal(n, (size_t)n_events);
			}
		}
		assert_int_equal(sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
		store_close(s);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sound_log_passes_whatever_the_ranges),
		cmocka_unit_test(derived_rows_checked_across_ranges),
		cmocka_unit_test(breaks_named_by_seq_in_every_range),
		cmocka_unit_test(walked_on_the_stores_connection_too),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
