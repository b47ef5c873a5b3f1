/*
 * test_fresh_clocks.c - an envelope's newly opened clock is "fresh" (schema
 * 28): left out of clock_open, the index of open clocks by due time, and
 * listed in log_head until CLOCK_FRESH_MAX of them go into the index in one
 * step.  Whoever lists open deadlines must find the fresh ones all the same:
 * after every acceptance, hand-over and sweep, across the list filling and
 * emptying, the store's lists and counts are what SQLite finds with no index
 * at all; a fresh clock past its due time is written down as breached by the
 * sweep; a force majeure puts every fresh clock into the index before it
 * moves them; and the list is always the clocks marked fresh, no more.
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
#include "amanat/health.h"
#include "amanat/shift.h"
#include "amanat/timeutil.h"
#include "support/store_fixture.h"

static char dir[] = "/tmp/amanat-fresh.XXXXXX";
static char path[256];
static struct calendar *cal;
static struct store_rules rules;

#define LINES 75		/* more than twice the list's length (32) */
#define FRESH_MAX 32

static int setup(void **state)
{
	(void)state;
	fixture_tmpdb(dir, path, sizeof path);
	cal = fixture_rules(&rules);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	calendar_free(cal);
	return fixture_rmtree(dir);
}

static int64_t at(const char *local)
{
	int64_t t;
	assert_int_equal(time_parse(local, 300, &t), 0);
	return t;
}

/* One integer from SQL on a connection of its own. */
static int64_t plain_int(const char *sql, int64_t bind)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	if (sqlite3_bind_parameter_count(st))
		sqlite3_bind_int64(st, 1, bind);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int64_t v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

struct ids { int64_t id[2 * LINES + 8]; int64_t due[2 * LINES + 8]; size_t n; };

static int collect(const struct clock_row *r, void *arg)
{
	struct ids *v = arg;
	assert_true(v->n < sizeof v->id / sizeof v->id[0]);
	v->id[v->n] = r->id;
	v->due[v->n++] = r->due_ms;
	return 0;
}

/* The open clocks as SQLite reads them with no index: id and due, due first. */
static void open_plain(struct ids *v)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	v->n = 0;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT id, due_ms FROM clock NOT INDEXED WHERE closed_ms = 0"
					    " ORDER BY due_ms, id", -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		assert_true(v->n < sizeof v->id / sizeof v->id[0]);
		v->id[v->n] = sqlite3_column_int64(st, 0);
		v->due[v->n++] = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
}

struct page { int64_t id[8]; size_t n; };
static int page_row(const struct shift_deadline *d, void *arg)
{
	struct page *p = arg;
	if (p->n < 8)
		p->id[p->n++] = d->c.id;
	return 0;
}

/* The store's answers against SQLite's with no index, at time now. */
static void agree(struct store *s, int64_t now, const char *when)
{
	struct am_error e;
	struct ids mine = { .n = 0 }, truth = { .n = 0 };
	assert_int_equal(store_clock_each(s, collect, &mine, &e), 0);
	open_plain(&truth);
	if (mine.n != truth.n)
		fail_msg("%s: the store lists %zu open deadlines, SQLite finds %zu", when, mine.n, truth.n);
	for (size_t i = 0; i < truth.n; i++)
		if (mine.id[i] != truth.id[i] || mine.due[i] != truth.due[i])
			fail_msg("%s: open deadline %zu is %lld (due %lld), SQLite says %lld (due %lld)", when, i,
				 (long long)mine.id[i], (long long)mine.due[i], (long long)truth.id[i],
				 (long long)truth.due[i]);
	/* the shift screen's counts and its first page (nothing closed late here) */
	struct shift_deadline_totals t;
	struct page p = { .n = 0 };
	assert_int_equal(store_shift_deadlines(s, now - 86400000, now, 0, 5, page_row, &p, &t, &e), 0);
	assert_int_equal(t.open, truth.n);
	assert_int_equal(t.breached_open, (size_t)plain_int("SELECT count(*) FROM clock NOT INDEXED WHERE"
							   " closed_ms = 0 AND due_ms < ?1", now));
	assert_int_equal(t.soon, (size_t)plain_int("SELECT count(*) FROM clock NOT INDEXED WHERE closed_ms = 0"
						   " AND due_ms >= ?1 AND due_ms < ?1 + 86400000", now));
	if (t.closed_late == 0)
		for (size_t i = 0; i < p.n; i++)
			if (p.id[i] != truth.id[i])
				fail_msg("%s: the shift's page row %zu is %lld, SQLite's %lld", when, i,
					 (long long)p.id[i], (long long)truth.id[i]);
	/* every state's soonest, as the shift screen keeps it */
	struct shift_states ss;
	assert_int_equal(store_shift_states(s, &ss, &e), 0);
	int64_t soonest = plain_int("SELECT coalesce(min(c.due_ms), 0) FROM clock c NOT INDEXED JOIN envelope v"
				    " ON v.waybill = c.waybill WHERE c.closed_ms = 0 AND v.state = 'accepted'", 0);
	assert_int_equal(ss.soonest[ST_ACCEPTED], soonest);
	/* the list is the fresh clocks, no more, and never full */
	int64_t listed = plain_int("SELECT count(*) FROM log_head WHERE kind = -2", 0);
	assert_int_equal(listed, plain_int("SELECT count(*) FROM clock NOT INDEXED WHERE fresh = 1", 0));
	assert_int_equal(listed, plain_int("SELECT count(*) FROM log_head h JOIN clock c ON c.id = h.shift"
					   " WHERE h.kind = -2 AND c.fresh = 1", 0));
	assert_true(listed < FRESH_MAX);
}

static void fresh_clocks_are_found(void **state)
{
	(void)state;
	struct am_error e;
	struct store *s;
	if (store_open(path, &s, &e))
		fail_msg("%s", e.msg);
	store_set_rules(s, &rules);
	assert_int_equal(store_init(s, "DEV-1", "KP", &e), 0);
	struct reg g;
	fixture_register(&g, "R-1", 40211870, LINES);
	g.formed_at = at("2026-03-02 16:40");
	struct event_ctx sc = { "SC", "KP", at("2026-03-03 09:00"), NULL };
	if (store_register_import(s, &g, &sc, &e))
		fail_msg("%s", e.msg);

	/* accepted over five days, ten an hour: each day's due three working
	 * days on; the list fills and empties twice */
	int64_t now = 0;
	int emptied = 0;
	for (int i = 0; i < LINES; i++) {
		char when[32];
		snprintf(when, sizeof when, "2026-03-%02d %02d:%02d", 3 + i / 15, 9 + i % 15 / 10, i % 10 * 5);
		now = at(when);
		struct event_ctx cl = { "C-1", "KP", now, NULL };
		enum scan_result res;
		assert_int_equal(store_tally_scan(s, "R-1", g.lines[i].waybill, &cl, &res, NULL, 0, &e), 0);
		assert_int_equal(res, SCAN_MATCHED);
		if (plain_int("SELECT count(*) FROM log_head WHERE kind = -2", 0) == 0)
			emptied++;
		snprintf(when, sizeof when, "acceptance %d", i);
		agree(s, now, when);
	}
	assert_int_equal(emptied, LINES / FRESH_MAX);
	assert_true(plain_int("SELECT count(*) FROM log_head WHERE kind = -2", 0) > 0);

	/* a week later, before any sweep: every open one is past due, the
	 * fresh ones too; the sweep writes each down once */
	now = at("2026-03-16 18:00");
	agree(s, now, "a week on");
	size_t open = (size_t)plain_int("SELECT count(*) FROM clock NOT INDEXED WHERE closed_ms = 0", 0);
	size_t fresh_late = (size_t)plain_int("SELECT count(*) FROM clock NOT INDEXED WHERE closed_ms = 0"
					      " AND fresh = 1 AND due_ms < ?1", now);
	assert_true(fresh_late > 0);
	struct event_ctx sys = { "amanat", "KP", now, NULL };
	size_t n = 0;
	assert_int_equal(store_deadlines_sweep(s, &sys, &n, &e), 0);
	assert_int_equal(n, open);
	assert_int_equal(plain_int("SELECT count(*) FROM event WHERE type = 'deadline_missed'", 0), (int64_t)open);
	assert_int_equal(plain_int("SELECT count(*) FROM clock NOT INDEXED WHERE closed_ms = 0 AND missed_ms = 0", 0), 0);
	/* written at the sweep's time, not the machine's */
	assert_int_equal(plain_int("SELECT count(*) FROM event WHERE type = 'deadline_missed' AND at_ms <> ?1", now), 0);
	assert_int_equal(store_deadlines_sweep(s, &sys, &n, &e), 0);
	assert_int_equal(n, 0);
	agree(s, now, "after the sweep");

	/* the newest handed to the courier: fresh clocks closed (late) */
	for (int i = LINES - 1; i >= LINES - 10; i--) {
		struct event_ctx k = { "K-1", "KP", now + i, NULL };
		struct transition t = { .type = EV_OUT_FOR_DELIVERY, .waybill = g.lines[i].waybill,
					.postomat = "PM-1", .cell = "", .courier = "K-1" };
		if (store_apply(s, &t, &k, &e))
			fail_msg("%s", e.msg);
		agree(s, now, "hand-over");
	}

	/* a force majeure moves every open due time: the fresh are put into
	 * the index first and moved with the others */
	char fm[64];
	struct event_ctx sup = { "S-1", "KP", now, NULL };
	if (store_force_majeure(s, at("2026-03-16 08:00"), at("2026-03-16 12:00"), "буран", &sup, fm,
				sizeof fm, &e))
		fail_msg("%s", e.msg);
	agree(s, now, "force majeure");
	assert_int_equal(plain_int("SELECT count(*) FROM clock NOT INDEXED WHERE fresh = 1", 0), 0);
	register_free(&g);
	store_close(s);

	/* and a handle opened afresh reads the same */
	if (store_open(path, &s, &e))
		fail_msg("%s", e.msg);
	store_set_rules(s, &rules);
	agree(s, now, "reopened");
	assert_int_equal(store_quick_check(s, &e), 0);
	store_close(s);

	/* an open clock marked fresh by another tool, and not listed, would
	 * be in no list: amanat doctor's check says so */
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "UPDATE clock SET fresh = 1 WHERE id ="
				      " (SELECT id FROM clock WHERE closed_ms = 0 LIMIT 1)", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	if (store_open(path, &s, &e))
		fail_msg("%s", e.msg);
	assert_int_not_equal(store_quick_check(s, &e), 0);
	assert_non_null(strstr(e.msg, "1 open deadlines are missing"));
	store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(fresh_clocks_are_found, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
