/*
 * test_kept.c - what the screens keep between draws instead of reading the
 * log again (src/store/shift.c: each state's soonest deadline; event.c: the
 * outbox's depth) is what a fresh read finds, after every kind of change:
 * scans and steps by this terminal and by another process, the hub's feed
 * moving an envelope without an event here, the soonest envelope itself
 * moving on, a force majeure moving every due time, acknowledgements and
 * rejections in the middle of the outbox, dead letters sent again.  And
 * the count of envelopes in each state is the envelopes counted.
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
#include "amanat/shift.h"
#include "amanat/timeutil.h"
#include "support/store_fixture.h"

static char dir[] = "/tmp/amanat-kept.XXXXXX";
static char path[256];
static struct calendar *cal;
static struct store_rules rules;

#define LINES 24
static char wb[LINES][14];

static int setup(void **state)
{
	(void)state;
	fixture_tmpdb(dir, path, sizeof path);
	cal = fixture_rules(&rules);
	for (int i = 0; i < LINES; i++)
		fixture_s10(40211870 + i, wb[i]);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	calendar_free(cal);
	const char *ext[] = { "", "-wal", "-shm", "-wait" };
	for (int i = 0; i < 4; i++) {
		char p[300];
		snprintf(p, sizeof p, "%s%s", path, ext[i]);
		unlink(p);
	}
	return rmdir(dir);
}

static struct store *open_one(void)
{
	struct store *s;
	struct am_error e;
	if (store_open(path, &s, &e))
		fail_msg("%s", e.msg);
	store_set_rules(s, &rules);
	return s;
}

static int64_t at(const char *local)
{
	int64_t t;
	assert_int_equal(time_parse(local, 300, &t), 0);
	return t;
}

/* Each state's soonest open deadline as the plainest SQL reads it (every
 * open clock joined to its envelope by waybill), on a connection of its
 * own: what a fresh read must say however the store finds it. */
static void soonest_plain(int64_t soonest[ST__COUNT])
{
	sqlite3 *db;
	sqlite3_stmt *st;
	memset(soonest, 0, sizeof(int64_t) * ST__COUNT);
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT v.state, min(c.due_ms) FROM clock c NOT INDEXED"
					    " JOIN envelope v ON v.waybill = c.waybill WHERE c.closed_ms = 0"
					    " AND c.waybill <> '' GROUP BY v.state", -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		int sv = state_from_name((const char *)sqlite3_column_text(st, 0));
		assert_true(sv >= 0);
		soonest[sv] = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/* The drawing handle's answers against a handle opened now (which keeps
 * nothing yet) and the plain SQL, after change number step. */
static void same(struct store *drawer, int step)
{
	struct am_error e;
	struct shift_states kept, fresh;
	size_t d1, d2, x1, x2;
	int64_t o1, o2;
	struct store *f = open_one();
	assert_int_equal(store_shift_states(drawer, &kept, &e), 0);
	assert_int_equal(store_shift_states(f, &fresh, &e), 0);
	for (int s = 0; s < ST__COUNT; s++)
		if (kept.soonest[s] != fresh.soonest[s] || kept.count[s] != fresh.count[s])
			fail_msg("change %d, state %s: kept %lld (%zu), read now %lld (%zu)", step,
				 state_name((enum envelope_state)s), (long long)kept.soonest[s], kept.count[s],
				 (long long)fresh.soonest[s], fresh.count[s]);
	int64_t plain[ST__COUNT];
	soonest_plain(plain);
	for (int s = 0; s < ST__COUNT; s++)
		if (fresh.soonest[s] != plain[s])
			fail_msg("change %d, state %s: read now %lld, plain SQL %lld", step,
				 state_name((enum envelope_state)s), (long long)fresh.soonest[s], (long long)plain[s]);
	assert_int_equal(kept.damaged, fresh.damaged);
	assert_int_equal(kept.damaged_soonest, fresh.damaged_soonest);
	assert_int_equal(store_outbox_stats(drawer, &d1, &o1, &x1, &e), 0);
	assert_int_equal(store_outbox_stats(f, &d2, &o2, &x2, &e), 0);
	if (d1 != d2 || o1 != o2 || x1 != x2)
		fail_msg("change %d: outbox kept %zu/%lld/%zu, read now %zu/%lld/%zu", step, d1, (long long)o1, x1,
			 d2, (long long)o2, x2);
	store_close(f);
	/* and both are the unsent events counted by SQLite itself */
	sqlite3 *db;
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM event WHERE sync = 0", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	size_t truth = (size_t)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	/* the envelopes of each state (envelope_count, kept by its writers
	 * since schema 23) are the envelopes counted */
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM (SELECT state, count(*) AS n FROM envelope"
					    " GROUP BY state) v FULL JOIN (SELECT state, n FROM envelope_count WHERE n <> 0) c"
					    " USING (state) WHERE v.n IS NOT c.n", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int64_t miscounted = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	if (d1 != truth)
		fail_msg("change %d: outbox %zu, the log has %zu unsent", step, d1, truth);
	if (miscounted)
		fail_msg("change %d: %lld states miscounted in envelope_count", step, (long long)miscounted);
}

static void step(struct store *s, enum event_type type, int line, const char *when)
{
	struct am_error e;
	struct event_ctx ctx = { "K-1", "KP", at(when), NULL };
	char cell[8];
	snprintf(cell, sizeof cell, "C%02d", line);
	struct transition t = { .type = type, .waybill = wb[line], .postomat = "PM-1", .cell = cell,
				.courier = "K-1" };
	if (store_apply(s, &t, &ctx, &e))
		fail_msg("%s %s: %s", event_name(type), wb[line], e.msg);
}

/* Every event of the outbox from seq first on, every other one marked. */
struct marks { struct outbox_mark m[64]; size_t n; int every; };
static int mark_some(const struct event_row *r, void *arg)
{
	struct marks *k = arg;
	static int i;
	if (k->n < 64 && i++ % k->every == 1) {	/* the first stays: the watermark too */
		snprintf(k->m[k->n].uuid, sizeof k->m[k->n].uuid, "%s", r->uuid);
		k->m[k->n].state = k->n % 5 == 4 ? SYNC_DEAD : SYNC_ACKED;
		snprintf(k->m[k->n].reason, sizeof k->m[k->n].reason, "test");
		k->n++;
	}
	return 0;
}

/* The dead letters screen's page is the same rows as the whole list. */
struct seqs { int64_t seq[64]; size_t n; };
static int seq_of(const struct event_row *r, void *arg)
{
	struct seqs *q = arg;
	if (q->n < 64)
		q->seq[q->n++] = r->seq;
	return 0;
}

static void dead_pages(struct store *s)
{
	struct am_error e;
	struct seqs all = { .n = 0 }, page = { .n = 0 };
	size_t total = 0;
	assert_int_equal(store_outbox_dead(s, seq_of, &all, &e), 0);
	assert_true(all.n >= 3);
	assert_int_equal(store_outbox_dead_page(s, 1, 2, &total, seq_of, &page, &e), 0);
	assert_int_equal(total, all.n);
	assert_int_equal(page.n, 2);
	assert_int_equal(page.seq[0], all.seq[1]);
	assert_int_equal(page.seq[1], all.seq[2]);
	page.n = 0;
	assert_int_equal(store_outbox_dead_page(s, all.n - 1, 10, NULL, seq_of, &page, &e), 0);
	assert_int_equal(page.n, 1);
	assert_int_equal(page.seq[0], all.seq[all.n - 1]);
}

static void kept_is_fresh(void **state)
{
	(void)state;
	struct am_error e;
	struct store *a = open_one(), *b = open_one();
	assert_int_equal(store_init(a, "DEV-1", "KP", &e), 0);
	int n = 0;
	same(a, n++);

	struct reg g;
	memset(&g, 0, sizeof g);
	snprintf(g.id, sizeof g.id, "R-1");
	g.kind = REG_INBOUND;
	g.formed_at = at("2026-03-19 16:40");
	snprintf(g.from, sizeof g.from, "SC");
	snprintf(g.to, sizeof g.to, "KP");
	for (int i = 0; i < LINES; i++) {
		struct register_line l = { "", "APP", "PM-1", "Алматы", "" };
		snprintf(l.waybill, sizeof l.waybill, "%s", wb[i]);
		assert_int_equal(register_add_line(&g, &l), 0);
	}
	struct event_ctx sc = { "SC", "KP", at("2026-03-20 09:00"), NULL };
	if (store_register_import(b, &g, &sc, &e))
		fail_msg("%s", e.msg);
	register_free(&g);
	same(a, n++);

	/* scans on two desks, a day apart: the wait-at-point clocks differ */
	for (int i = 0; i < LINES; i++) {
		char when[32];
		snprintf(when, sizeof when, "2026-03-%02d %02d:00", 20 + i / 8, 9 + i % 8);
		struct event_ctx cl = { "C-1", "KP", at(when), NULL };
		enum scan_result res;
		assert_int_equal(store_tally_scan(i % 3 ? b : a, "R-1", wb[i], &cl, &res, NULL, 0, &e), 0);
		assert_int_equal(res, SCAN_MATCHED);
		if (i % 4 == 0)
			same(a, n++);
	}
	same(a, n++);
	/* the first accepted (the soonest) goes out first, placed late at night */
	for (int i = 0; i < 12; i++) {
		step(i % 2 ? a : b, EV_OUT_FOR_DELIVERY, i, "2026-03-24 10:00");
		same(a, n++);
		char when[32];
		snprintf(when, sizeof when, "2026-03-%02d 1%d:00", 24 + i % 3, i % 10);
		step(b, EV_PLACED, i, when);
		same(a, n++);
	}
	/* collected: the soonest to expire first, then one in the middle */
	step(b, EV_COLLECTED, 0, "2026-03-26 09:00");
	same(a, n++);
	step(a, EV_COLLECTED, 5, "2026-03-26 09:30");
	same(a, n++);
	/* the hub's feed: another terminal collected one (no event here) */
	struct feed_item it;
	memset(&it, 0, sizeof it);
	it.cursor = 1;
	it.at_ms = at("2026-03-26 10:00");
	it.uuid = "00000000-0000-4000-8000-000000000001";
	it.device = "DEV-2";
	it.type = "collected";
	it.waybill = wb[3];
	it.register_id = "R-1";
	it.actor = "C-9";
	it.from = it.courier = it.postomat = it.cell = "";
	it.application = it.env_postomat = it.city = it.reserved_cell = it.conflict = it.outcome = "";
	it.body = "{}";
	size_t applied;
	assert_int_equal(store_feed_apply(b, &it, 1, "1", &applied, &e), 0);
	assert_int_equal(applied, 1);
	same(a, n++);
	/* every placed one collected: no storage deadline is left */
	for (int i = 1; i < 12; i++)
		if (i != 3 && i != 5) {
			step(b, EV_COLLECTED, i, "2026-03-26 11:00");
			same(a, n++);
		}
	/* a force majeure moves every open due time, with no envelope named */
	char fm[64];
	struct event_ctx sup = { "S-1", "KP", at("2026-03-26 12:00"), NULL };
	if (store_force_majeure(b, at("2026-03-26 08:00"), at("2026-03-26 12:00"), "буран", &sup, fm,
				sizeof fm, &e))
		fail_msg("%s", e.msg);
	same(a, n++);
	/* a calendar from the hub with a day off more: the working-day due
	 * times move, no envelope named (feed.c: store_clocks_recalendar) */
	char err[128];
	struct calendar *cal2 = calendar_parse("2026-03-23 off Nauryz\n2026-03-24 off x\n2026-03-25 off x\n",
					       err, sizeof err);
	assert_non_null(cal2);
	struct store_rules r2 = rules;
	r2.calendar = cal2;
	store_set_rules(b, &r2);
	size_t moved = 0;
	assert_int_equal(store_clocks_recalendar(b, at("2026-03-26 13:00"), &moved, &e), 0);
	assert_true(moved > 0);
	rules.calendar = cal2;		/* what the fresh handles reckon by too */
	same(a, n++);
	rules.calendar = cal;
	store_set_rules(b, &rules);

	/* the outbox: acknowledged and rejected in the middle (the watermark
	 * stays), new events after them, the rejected sent again */
	struct marks k = { .n = 0, .every = 2 };
	assert_int_equal(store_outbox_batch(b, 200, mark_some, &k, &e), 0);
	assert_int_equal(store_outbox_mark_many(b, k.m, k.n, &e), 0);
	same(a, n++);
	step(a, EV_OUT_FOR_DELIVERY, 12, "2026-03-27 10:00");
	same(a, n++);
	dead_pages(a);
	size_t back;
	struct event_ctx desk = { "S-1", "KP", at("2026-03-27 11:00"), NULL };
	assert_int_equal(store_outbox_resend_by(b, NULL, &desk, &back, &e), 0);
	assert_true(back > 0);
	same(a, n++);
	/* and a draw inside a transaction of its own is not kept */
	assert_int_equal(store_batch_begin(a, &e), 0);
	step(a, EV_OUT_FOR_DELIVERY, 13, "2026-03-27 12:00");
	struct shift_states st;
	assert_int_equal(store_shift_states(a, &st, &e), 0);
	assert_int_equal(store_batch_end(a, false, &e), 0);
	same(a, n++);
	/* a memo that does not read as one is not used: counted instead */
	const char *bad[] = { "1 2", "x 2 u 3", "999 1 u 1", "1 2 u 3 junk", "" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		sqlite3 *db;
		char sql[128];
		snprintf(sql, sizeof sql, "UPDATE meta SET value = '%s' WHERE key = 'outbox_depth'", bad[i]);
		assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
		assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
		sqlite3_close(db);
		same(a, n++);
	}
	store_close(b);
	store_close(a);
	calendar_free(cal2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(kept_is_fresh),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
