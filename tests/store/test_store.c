/*
 * test_store.c - the store on a real SQLite file: import, scans, finish,
 * transitions, clocks, outbox and the hash chain; plus reopening (what
 * was committed is there) and refusals that leave nothing behind.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "amanat/store.h"
#include "support/store_fixture.h"
#include "amanat/timeutil.h"

static char dir[] = "/tmp/amanat-store.XXXXXX";
static char path[256];
static struct calendar *cal;

static const char *CAL_TEXT =
	"2026-03-23 off Nauryz\n2026-03-24 off\n2026-03-25 off\n";

static int setup(void **state)
{
	char err[128];
	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/t.db", dir);
	cal = calendar_parse(CAL_TEXT, err, sizeof err);
	assert_non_null(cal);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	calendar_free(cal);
	return fixture_rmtree(dir);
}

static struct store *open_store(void)
{
	struct store *s;
	struct am_error e;
	struct store_rules r = { cal, 300, { 0 }, 0 };
	if (store_open(path, &s, &e))
		fail_msg("open: %s", e.msg);
	waybill_rule_default(&r.waybill);
	store_set_rules(s, &r);
	return s;
}

static void sample(struct reg *r)
{
	static const char *const w[] = { "RR402118737KZ", "RR402118745KZ", "RR402118754KZ" };
	memset(r, 0, sizeof *r);
	snprintf(r->id, sizeof r->id, "R-1");
	r->kind = REG_INBOUND;
	snprintf(r->from, sizeof r->from, "SC");
	snprintf(r->to, sizeof r->to, "KP");
	time_parse("2026-03-20 16:40", 300, &r->formed_at);	/* a Friday before Nauryz */
	for (int i = 0; i < 3; i++) {
		struct register_line l = { "", "APP", "PM-1", "Алматы", "" };
		snprintf(l.waybill, sizeof l.waybill, "%s", w[i]);
		assert_int_equal(register_add_line(r, &l), 0);
	}
}

static int count_clock(const struct clock_row *c, void *arg)
{
	(void)c;
	(*(int *)arg)++;
	return 0;
}

struct first_clock { enum pilot_clock clock; int64_t due; int n; };
static int find_clock(const struct clock_row *c, void *arg)
{
	struct first_clock *f = arg;
	if (c->clock == f->clock) {
		f->due = c->due_ms;
		f->n++;
	}
	return 0;
}

static void life(void **state)
{
	(void)state;
	struct store *s = open_store();
	struct am_error e;
	struct reg r;
	struct event_ctx ctx = { "clerk", "KP", 0, NULL };
	enum scan_result res;
	char why[200], act[64];
	time_parse("2026-03-23 10:00", 300, &ctx.at_ms);

	assert_int_equal(store_init(s, "DEV-1", "KP", &e), 0);
	sample(&r);
	if (store_register_import(s, &r, &ctx, &e))
		fail_msg("%s", e.msg);
	/* courier-delivery: formed Friday 16:40, next working day after Nauryz = Thursday 26th 12:00 */
	struct first_clock fc = { CLOCK_COURIER_DELIVERY, 0, 0 };
	assert_int_equal(store_clock_each(s, find_clock, &fc, &e), 0);
	int64_t want;
	time_parse("2026-03-26 12:00", 300, &want);
	assert_int_equal(fc.n, 1);
	assert_int_equal(fc.due, want);

	assert_int_equal(store_tally_scan(s, "R-1", "RR402118737KZ", &ctx, &res, why, sizeof why, &e), 0);
	assert_int_equal(res, SCAN_MATCHED);
	assert_int_equal(store_tally_scan(s, "R-1", "RR402118737KZ", &ctx, &res, why, sizeof why, &e), 0);
	assert_int_equal(res, SCAN_DUPLICATE);
	assert_int_equal(store_tally_scan(s, "R-1", "RR777000125KZ", &ctx, &res, why, sizeof why, &e), 0);
	assert_int_equal(res, SCAN_UNEXPECTED);
	assert_int_equal(store_tally_scan(s, "R-1", "RR777000124KZ", &ctx, &res, why, sizeof why, &e), 0);
	assert_int_equal(res, SCAN_INVALID);
	assert_non_null(strstr(why, "check digit"));
	/* the first scan stopped the delivery clocks */
	fc.n = 0;
	assert_int_equal(store_clock_each(s, find_clock, &fc, &e), 0);
	assert_int_equal(fc.n, 0);

	struct tally_summary sum;
	const char *damaged[] = { "RR402118745KZ" };
	assert_int_equal(store_tally_finish(s, "R-1", damaged, 1, &ctx, &sum, act, sizeof act, &e), 0);
	assert_int_equal(sum.matched, 1);
	assert_int_equal(sum.damaged, 1);
	assert_int_equal(sum.missing, 1);
	assert_int_equal(sum.unexpected, 1);
	assert_string_equal(act, "ACT-DEV-1-0001");
	struct envelope v;
	assert_int_equal(store_envelope_get(s, "RR402118745KZ", &v, &e), 0);
	assert_int_equal(v.state, ST_HANDED_TO_POINT);
	assert_true(v.damaged);
	struct register_info info;
	assert_int_equal(store_register_get(s, "R-1-ACC", &info, NULL, &e), 0);
	assert_int_equal(info.kind, REG_ACCEPTANCE);
	assert_int_equal(info.n_lines, 1);

	/* wait-at-point: accepted Monday 23rd (a holiday) 10:00 -> 3 working days 26, 27, 30 -> 31st 00:00 */
	fc.clock = CLOCK_WAIT_AT_POINT;
	fc.n = 0;
	assert_int_equal(store_clock_each(s, find_clock, &fc, &e), 0);
	time_parse("2026-03-31 00:00", 300, &want);
	assert_int_equal(fc.n, 1);
	assert_int_equal(fc.due, want);

	/* force majeure over the 30th pushes it by its length (one day) */
	char fm[64];
	int64_t f, t;
	time_parse("2026-03-30 00:00", 300, &f);
	time_parse("2026-03-31 00:00", 300, &t);
	assert_int_equal(store_force_majeure(s, f, t, "flood", &ctx, fm, sizeof fm, &e), 0);
	fc.n = 0;
	assert_int_equal(store_clock_each(s, find_clock, &fc, &e), 0);
	assert_int_equal(fc.due, want + MS_PER_DAY);

	/* an illegal step changes nothing */
	struct transition tr = { .type = EV_PLACED, .waybill = "RR402118737KZ", .postomat = "PM-1", .cell = "A1" };
	assert_int_equal(store_apply(s, &tr, &ctx, &e), AM_REFUSED);
	assert_non_null(strstr(e.msg, "accepted"));
	size_t depth, dead;
	int64_t oldest;
	assert_int_equal(store_outbox_stats(s, &depth, &oldest, &dead, &e), 0);
	size_t before = depth;
	tr.type = EV_OUT_FOR_DELIVERY;
	tr.courier = "C-1";
	assert_int_equal(store_apply(s, &tr, &ctx, &e), 0);
	tr.type = EV_PLACED;
	assert_int_equal(store_apply(s, &tr, &ctx, &e), 0);
	assert_int_equal(store_outbox_stats(s, &depth, &oldest, &dead, &e), 0);
	assert_int_equal(depth, before + 2);
	assert_int_equal(oldest, ctx.at_ms);

	size_t n;
	assert_int_equal(store_verify(s, &n, &e), 0);
	assert_int_equal(n, depth);
	store_close(s);

	/* reopened: everything committed is there, the chain still holds */
	s = open_store();
	assert_int_equal(store_envelope_get(s, "RR402118737KZ", &v, &e), 0);
	assert_int_equal(v.state, ST_PLACED);
	assert_string_equal(v.cell, "A1");
	assert_int_equal(store_verify(s, &n, &e), 0);
	int clocks = 0;
	assert_int_equal(store_clock_each(s, count_clock, &clocks, &e), 0);
	assert_true(clocks >= 2);	/* storage, and the §38 notice */
	store_close(s);
	register_free(&r);
}

static int mark_first(const struct event_row *r, void *arg)
{
	snprintf(arg, 37, "%s", r->uuid);
	return 1;
}

static void outbox(void **state)
{
	(void)state;
	struct store *s = open_store();
	struct am_error e;
	char uuid[37] = "";
	size_t depth, dead, depth0;
	int64_t oldest;
	assert_int_equal(store_outbox_stats(s, &depth0, &oldest, &dead, &e), 0);
	assert_int_equal(store_outbox_batch(s, 10, mark_first, uuid, &e), 0);
	assert_true(uuid[0]);
	assert_int_equal(store_outbox_mark(s, uuid, SYNC_ACKED, NULL, &e), 0);
	assert_int_equal(store_outbox_stats(s, &depth, &oldest, &dead, &e), 0);
	assert_int_equal(depth, depth0 - 1);
	assert_int_equal(store_outbox_batch(s, 10, mark_first, uuid, &e), 0);
	assert_int_equal(store_outbox_mark(s, uuid, SYNC_DEAD, "bad waybill", &e), 0);
	assert_int_equal(store_outbox_stats(s, &depth, &oldest, &dead, &e), 0);
	assert_int_equal(depth, depth0 - 2);
	assert_int_equal(dead, 1);
	assert_int_equal(store_outbox_mark(s, "no-such-uuid", SYNC_ACKED, NULL, &e), AM_REFUSED);
	/* a kept text read into a smaller buffer ends at a whole letter */
	assert_int_equal(store_meta_set(s, "sync.last_error", "xәәәәә", &e), 0);
	char small[5];	/* "x", "ә" and half of the next: the half is left off */
	assert_int_equal(store_meta_get(s, "sync.last_error", small, sizeof small), 0);
	assert_string_equal(small, "xә");
	size_t n;
	assert_int_equal(store_verify(s, &n, &e), 0);	/* acks do not touch the chain */
	/* a device id cannot change once there are events */
	assert_int_equal(store_init(s, "OTHER", NULL, &e), AM_REFUSED);
	store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(life),
		cmocka_unit_test(outbox),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
