/*
 * test_shift.c - the point's shift (src/store/shift.c) on a real SQLite
 * file: it starts with the first event, counts everyone's work by name,
 * keeps a deadline breached in it after the clock was closed late, and
 * closes once (a second close of the same shift is refused); plus the
 * shift screen's thousands separator.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "amanat/shift.h"
#include "amanat/timeutil.h"
#include "support/store_fixture.h"
#include "../../src/ui/screen_util.h"

static char dir[] = "/tmp/amanat-shift.XXXXXX";
static char path[256];
static struct calendar *cal;

static int setup(void **state)
{
	struct store_rules unused;
	(void)state;
	fixture_tmpdb(dir, path, sizeof path);
	cal = fixture_rules(&unused);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	calendar_free(cal);
	unlink(path);
	char p[300];
	snprintf(p, sizeof p, "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", path);
	unlink(p);
	snprintf(p, sizeof p, "%s-wait", path);	/* turn.c's flock file */
	unlink(p);
	return rmdir(dir);
}

struct seen { char names[4][128]; size_t total[4]; int n; };
static int person(const struct shift_person *p, void *arg)
{
	struct seen *s = arg;
	if (s->n < 4) {
		snprintf(s->names[s->n], sizeof s->names[0], "%s", p->name);
		s->total[s->n++] = p->total;
	}
	return 0;
}

struct dls { int n, closed; };
static int deadline(const struct shift_deadline *d, void *arg)
{
	struct dls *x = arg;
	x->n++;
	x->closed += d->closed_ms != 0;
	return 0;
}

static int64_t at(const char *local)
{
	int64_t t;
	assert_int_equal(time_parse(local, 300, &t), 0);
	return t;
}

static void point_shift(void **state)
{
	(void)state;
	struct store *s;
	struct am_error e;
	struct store_rules r = { cal, 300, { 0 }, 0 };
	waybill_rule_default(&r.waybill);
	assert_int_equal(store_open(path, &s, &e), 0);
	store_set_rules(s, &r);
	assert_int_equal(store_init(s, "DEV-1", "KP", &e), 0);
	struct staff clerk = { "CLERK-1", "Айгүл С.", ROLE_CLERK, true };
	assert_int_equal(store_staff_add(s, &clerk, "1111", &e), 0);

	struct reg g;
	memset(&g, 0, sizeof g);
	snprintf(g.id, sizeof g.id, "R-1");
	g.kind = REG_INBOUND;
	g.formed_at = at("2026-03-19 16:40");
	snprintf(g.from, sizeof g.from, "SC");
	snprintf(g.to, sizeof g.to, "KP");
	struct register_line l = { "RR402118737KZ", "APP", "PM-1", "Алматы", "" };
	assert_int_equal(register_add_line(&g, &l), 0);
	struct event_ctx sc = { "SC", "KP", at("2026-03-20 09:00"), NULL };
	if (store_register_import(s, &g, &sc, &e))
		fail_msg("%s", e.msg);
	register_free(&g);

	struct point_shift sh;
	assert_int_equal(store_point_shift(s, &sh, &e), 0);
	assert_int_equal(sh.number, 1);
	assert_true(sh.opened_ms > 0);		/* the first event */

	/* the clerk scans on Thursday: the §17 clock (due 20.03 12:00... after
	 * Nauryz: the 24th) is closed late, and stays a breach of the shift */
	struct event_ctx cl = { "CLERK-1", "KP", at("2026-03-26 11:00"), NULL };
	enum scan_result res;
	char why[200];
	assert_int_equal(store_tally_scan(s, "R-1", "RR402118737KZ", &cl, &res, why, sizeof why, &e), 0);
	assert_int_equal(res, SCAN_MATCHED);

	struct seen seen = { .n = 0 };
	assert_int_equal(store_shift_people(s, sh.opened_ms, person, &seen, &e), 0);
	assert_int_equal(seen.n, 1);
	assert_string_equal(seen.names[0], "Айгүл С.");
	assert_int_equal(seen.total[0], 1);

	struct dls d = { 0, 0 };
	struct shift_deadline_totals t;
	assert_int_equal(store_shift_deadlines(s, sh.opened_ms, at("2026-03-26 12:00"), 0, 100, deadline, &d, &t, &e), 0);
	assert_true(t.closed_late >= 1);	/* §10 and §17, both late on the 26th */
	assert_int_equal((size_t)d.closed, t.closed_late);
	assert_int_equal((size_t)d.n, t.total);
	/* paging: the second row alone */
	struct dls one = { 0, 0 };
	assert_int_equal(store_shift_deadlines(s, sh.opened_ms, at("2026-03-26 12:00"), 1, 1, deadline, &one, NULL, &e), 0);
	assert_int_equal(one.n, 1);

	struct shift_states st;
	assert_int_equal(store_shift_states(s, &st, &e), 0);
	assert_int_equal(st.count[ST_ACCEPTED], 1);
	assert_true(st.soonest[ST_ACCEPTED] > 0);	/* wait at the point */

	/* close it; a second close of shift 1 (another terminal) is refused */
	struct event_ctx sup = { "SUPER-1", "KP", at("2026-03-26 18:00"), NULL };
	int64_t closed;
	assert_int_equal(store_point_shift_close(s, 1, "r.txt", &sup, &closed, &e), 0);
	assert_int_equal(closed, sup.at_ms);
	assert_int_equal(store_point_shift_close(s, 1, "r.txt", &sup, NULL, &e), AM_REFUSED);
	assert_int_equal(store_point_shift(s, &sh, &e), 0);
	assert_int_equal(sh.number, 2);
	assert_int_equal(sh.opened_ms, sup.at_ms);
	assert_string_equal(sh.handed_by, "SUPER-1");
	/* the new shift has nobody's work yet, and the old late closes are gone */
	seen.n = 0;
	assert_int_equal(store_shift_people(s, sh.opened_ms, person, &seen, &e), 0);
	assert_int_equal(seen.n, 0);
	assert_int_equal(store_shift_deadlines(s, sh.opened_ms, at("2026-03-26 19:00"), 0, 0, NULL, NULL, &t, &e), 0);
	assert_int_equal(t.closed_late, 0);
	store_close(s);
}

static void thousands(void **state)
{
	(void)state;
	char b[32];
	su_count(1000500, b, sizeof b);
	assert_string_equal(b, "1,000,500");
	su_count(999, b, sizeof b);
	assert_string_equal(b, "999");
	su_count(0, b, sizeof b);
	assert_string_equal(b, "0");
	su_count(1000, b, sizeof b);
	assert_string_equal(b, "1,000");
	/* spans: hours and minutes up to 999:59, whole days beyond (C locale) */
	su_span(143 * MS_PER_HOUR, b, sizeof b);
	assert_string_equal(b, "143:00");
	su_span(-(999 * MS_PER_HOUR + 59 * MS_PER_MINUTE), b, sizeof b);
	assert_string_equal(b, "999:59");
	su_span(6023 * MS_PER_HOUR + 5 * MS_PER_MINUTE, b, sizeof b);
	assert_string_equal(b, "250d");
	/* a path in a few columns: its last folders after "…/" */
	char *p = su_path_fit("/media/usb/inbox", 20);
	assert_string_equal(p, "/media/usb/inbox");
	free(p);
	p = su_path_fit("/media/usb-stick/inbox", 20);
	assert_string_equal(p, "…/usb-stick/inbox");
	free(p);
	p = su_path_fit("/media/usb-stick/inbox", 14);
	assert_string_equal(p, "…/inbox");
	free(p);
	su_position(0, 8, 36, b, sizeof b);
	assert_string_equal(b, "1–8 / 36 ▼");
	su_position(28, 8, 36, b, sizeof b);
	assert_string_equal(b, "▲ 29–36 / 36");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(point_shift),
		cmocka_unit_test(thousands),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
