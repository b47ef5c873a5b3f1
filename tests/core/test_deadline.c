/*
 * test_deadline.c - every clock of the pilot around weekends, holidays,
 * transfers, the 12:00/13:00 cut-offs, month ends and force majeure, on the
 * shipped calendar file and on small inline calendars.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "amanat/deadline.h"
#include "amanat/timeutil.h"

static struct calendar *kz;

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	static char buf[65536];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

static int setup(void **state)
{
	char path[512], err[200];
	const char *top = getenv("AMANAT_TOP");
	(void)state;
	snprintf(path, sizeof path, "%s/assets/calendar/kz-2026.txt", top ? top : ".");
	char *text = slurp(path);
	if (!text)
		return -1;
	kz = calendar_parse(text, err, sizeof err);
	return kz ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	calendar_free(kz);
	return 0;
}

/* due("clock", "event local time") == "expected local time" */
static void check(const struct calendar *cal, const char *clock, const char *at, const char *want)
{
	int64_t t, w;
	char got[32];
	int c = clock_from_name(clock);
	assert_true(c >= 0);
	assert_int_equal(time_parse(at, 300, &t), 0);
	assert_int_equal(time_parse(want, 300, &w), 0);
	int64_t due = deadline_due(cal, (enum pilot_clock)c, t, 300);
	time_format_local(due, 300, got, sizeof got);
	if (due != w)
		fail_msg("%s from %s: expected %s, got %s", clock, at, want, got);
}

static int64_t day(const char *d)
{
	int64_t v;
	assert_int_equal(date_parse(d, &v), 0);
	return v;
}

static void calendar_file(void **state)
{
	(void)state;
	assert_false(calendar_is_working(kz, day("2026-01-01")));
	assert_false(calendar_is_working(kz, day("2026-01-07")));
	assert_false(calendar_is_working(kz, day("2026-03-09")));	/* for 8 March */
	assert_false(calendar_is_working(kz, day("2026-03-24")));
	assert_true(calendar_is_working(kz, day("2026-03-26")));
	assert_false(calendar_is_working(kz, day("2026-03-28")));	/* Saturday */
	assert_true(calendar_is_working(kz, day("2026-08-31")));	/* see the file's note */
	assert_false(calendar_is_working(kz, day("2026-10-26")));
	assert_true(calendar_covers(kz, day("2026-06-01")));
	assert_true(calendar_covers(kz, day("2027-01-05")));
	assert_false(calendar_covers(kz, day("2028-01-05")));
	int a, b;
	calendar_span(kz, &a, &b);
	assert_int_equal(a, 2026);
	assert_int_equal(b, 2027);
}

static void calendar_parser(void **state)
{
	char err[200];
	(void)state;
	struct calendar *c = calendar_parse("# comment\n\n2026-04-04 work  transferred Saturday\n"
					    "  2026-04-06 off # inline comment\n", err, sizeof err);
	assert_non_null(c);
	assert_true(calendar_is_working(c, day("2026-04-04")));
	assert_false(calendar_is_working(c, day("2026-04-06")));
	calendar_free(c);
	struct { const char *text, *want; } bad[] = {
		{ "2026-04-04 holiday\n", "line 1" }, { "\n2026-13-01 off\n", "line 2" },
		{ "2026-04-04\n", "line 1" }, { "04.04.2026 off\n", "line 1" },
		{ "2026-02-30 off\n", "line 1" }, { "2026-04-04 off\n2026-04-04 work\n", "both" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err[0] = '\0';
		assert_null(calendar_parse(bad[i].text, err, sizeof err));
		if (!strstr(err, bad[i].want))
			fail_msg("'%s': '%s' lacks '%s'", bad[i].text, err, bad[i].want);
	}
	c = calendar_parse("", err, sizeof err);	/* empty: weekends only */
	assert_non_null(c);
	assert_true(calendar_is_working(c, day("2026-01-01")));
	calendar_free(c);
}

static void next_working_day_cutoffs(void **state)
{
	(void)state;
	/* Monday -> Tuesday 13:00; the event's time of day does not matter */
	check(kz, "to-point", "2026-04-06 09:00", "2026-04-07 13:00");
	check(kz, "to-point", "2026-04-06 23:59", "2026-04-07 13:00");
	check(kz, "to-point", "2026-04-07 00:00", "2026-04-08 13:00");
	/* Friday -> Monday */
	check(kz, "courier-delivery", "2026-04-10 16:40", "2026-04-13 12:00");
	check(kz, "courier-delivery", "2026-04-11 10:00", "2026-04-13 12:00");	/* Saturday */
	/* before Nauryz: Friday 20 March -> Thursday 26 March */
	check(kz, "courier-delivery", "2026-03-20 16:40", "2026-03-26 12:00");
	check(kz, "to-point", "2026-03-20 10:00", "2026-03-26 13:00");
	/* 8 March on a Sunday, moved to Monday 9: Friday 6 -> Tuesday 10 */
	check(kz, "pickup-returns", "2026-03-06 11:00", "2026-03-10 12:00");
	/* New Year into 2027: 31 Dec 2026 -> 1, 2 (Sat), 3 (Sun), 4 (moved) off -> 5 Jan */
	check(kz, "pickup-returns", "2026-12-31 15:00", "2027-01-05 12:00");
	/* the local date counts: 20:00 UTC on 6 April is 01:00 on 7 April in Almaty */
	int64_t t, w;
	time_parse("2026-04-06T20:00:00Z", 300, &t);
	time_parse("2026-04-08 13:00", 300, &w);
	assert_int_equal(deadline_due(kz, CLOCK_TO_POINT, t, 300), w);
	/* the UTC offset is a setting: at +06:00 the same instant is the same date */
	time_parse("2026-04-06T17:30:00Z", 300, &t);	/* 22:30 at +05, 23:30 at +06 */
	time_parse("2026-04-07T13:00:00+06:00", 300, &w);
	assert_int_equal(deadline_due(kz, CLOCK_TO_POINT, t, 360), w);
}

static void working_day_periods(void **state)
{
	(void)state;
	/* 3 working days from Monday: Tue, Wed, Thu -> 24:00 Thursday = Friday 00:00 */
	check(kz, "wait-at-point", "2026-04-06 10:00", "2026-04-10 00:00");
	/* from Friday: Mon, Tue, Wed -> Thursday 00:00 */
	check(kz, "wait-at-point", "2026-04-10 18:00", "2026-04-16 00:00");
	/* across Nauryz: Friday 20 March -> 26, 27, 30 -> 31 March 00:00 */
	check(kz, "wait-at-point", "2026-03-20 10:00", "2026-03-31 00:00");
	/* an event on a holiday: 1 May (Friday) -> 4, 5, 6 May -> 7 May 00:00 */
	check(kz, "duplicate", "2026-05-01 12:00", "2026-05-07 00:00");
	/* 6 May: 8, 11 off? 7 off, 8 Fri, 11 off, 12, 13 -> 14 May 00:00 */
	check(kz, "duplicate", "2026-05-06 12:00", "2026-05-14 00:00");
	check(kz, "force-majeure-notice", "2026-12-15 09:00", "2026-12-22 00:00");	/* 16 Dec off: 17, 18, 21 */
	/* 1 working day: Friday -> Monday, ends 24:00 Monday */
	check(kz, "return", "2026-04-10 19:00", "2026-04-14 00:00");
	check(kz, "return", "2026-10-23 10:00", "2026-10-28 00:00");	/* 26 Oct moved day off */
	check(kz, "return", "2026-12-30 10:00", "2027-01-01 00:00");	/* 31 Dec, ends 24:00 */
}

static void calendar_periods(void **state)
{
	(void)state;
	/* storage: 3 calendar days, holidays do not move it */
	check(kz, "storage", "2026-03-10 15:00", "2026-03-14 00:00");
	check(kz, "storage", "2026-03-20 09:00", "2026-03-24 00:00");	/* through Nauryz */
	check(kz, "storage", "2026-12-30 23:59", "2027-01-03 00:00");
	check(kz, "storage", "2026-02-27 10:00", "2026-03-03 00:00");	/* February's end */
	/* issuance-storage: one month, same day number or the month's last day */
	check(kz, "issuance-storage", "2026-03-15 10:00", "2026-04-16 00:00");
	check(kz, "issuance-storage", "2026-01-31 10:00", "2026-03-01 00:00");	/* 28 Feb */
	check(kz, "issuance-storage", "2026-03-31 10:00", "2026-05-01 00:00");	/* 30 April */
	check(kz, "issuance-storage", "2026-12-20 10:00", "2027-01-21 00:00");
	/* a leap year, with an inline calendar */
	char err[100];
	struct calendar *c = calendar_parse("2028-01-01 off\n", err, sizeof err);
	assert_non_null(c);
	check(c, "issuance-storage", "2028-01-31 10:00", "2028-03-01 00:00");	/* 29 Feb */
	check(c, "storage", "2028-02-27 10:00", "2028-03-02 00:00");
	calendar_free(c);
}

static void force_majeure(void **state)
{
	(void)state;
	int64_t s = 1000, d = 5000;
	assert_int_equal(deadline_extend(s, d, 2000, 3000), 6000);	/* inside */
	assert_int_equal(deadline_extend(s, d, 0, 1500), 5500);		/* overlaps the start: only after it */
	assert_int_equal(deadline_extend(s, d, 4500, 7000), 7500);	/* overlaps the end */
	assert_int_equal(deadline_extend(s, d, 0, 9000), 13000);	/* contains the clock: runs 4000 after it */
	assert_int_equal(deadline_extend(s, d, 5000, 6000), 5000);	/* after it: no change */
	assert_int_equal(deadline_extend(s, d, 0, 1000), 5000);		/* before it: no change */
	assert_int_equal(deadline_extend(s, d, 3000, 3000), 5000);	/* empty */
}

/* extend("clock", started, due, fm from, fm to) == want, all local times */
static void check_fm(const char *clock, const char *start, const char *due, const char *from,
		     const char *to, const char *want)
{
	int64_t s, d, f, t, w;
	char got[32];
	int c = clock_from_name(clock);
	assert_true(c >= 0);
	assert_int_equal(time_parse(start, 300, &s), 0);
	assert_int_equal(time_parse(due, 300, &d), 0);
	assert_int_equal(time_parse(from, 300, &f), 0);
	assert_int_equal(time_parse(to, 300, &t), 0);
	assert_int_equal(time_parse(want, 300, &w), 0);
	/* the due time given is the one the calendar computes */
	assert_int_equal(deadline_due(kz, (enum pilot_clock)c, s, 300), d);
	time_format_local(deadline_extend_by(kz, (enum pilot_clock)c, s, d, f, t, 300), 300, got, sizeof got);
	assert_string_equal(got, want);
}

/* §37 on the real calendar, computed by hand (docs/deadlines.md). */
static void force_majeure_overlap(void **state)
{
	(void)state;
	/* Fri 10 Apr 18:00 - Mon 13 Apr 09:00 (63 h, 15 of them on working days). */
	/* wait-at-point from Thu 9 Apr 10:00: 10, 13, 14 Apr -> Wed 15 00:00; plus 15 working hours */
	check_fm("wait-at-point", "2026-04-09 10:00", "2026-04-15 00:00", "2026-04-10 18:00",
		 "2026-04-13 09:00", "2026-04-15 15:00");
	/* storage from Fri 10 Apr 10:00: 11, 12, 13 -> Tue 14 00:00; plus all 63 hours */
	check_fm("storage", "2026-04-10 10:00", "2026-04-14 00:00", "2026-04-10 18:00",
		 "2026-04-13 09:00", "2026-04-16 15:00");
	/* §17 from Thu 9 Apr 16:40 -> Fri 10 Apr 12:00; force majeure Fri 11:00 - Mon 09:00:
	 * 13 + 9 = 22 working hours; 12 of them left on Friday after 12:00, 10 on Monday */
	check_fm("courier-delivery", "2026-04-09 16:40", "2026-04-10 12:00", "2026-04-10 11:00",
		 "2026-04-13 09:00", "2026-04-13 10:00");
	/* began before the clock: only the part after its start counts.
	 * Mon 6 - Fri 10 Apr 00:00; accepted Wed 8 Apr 12:00 (9, 10, 13 -> Tue 14 00:00):
	 * 12 h of the 8th + 24 h of the 9th = 36 working hours -> Wed 15 12:00 */
	check_fm("wait-at-point", "2026-04-08 12:00", "2026-04-14 00:00", "2026-04-06 00:00",
		 "2026-04-10 00:00", "2026-04-15 12:00");
	/* a whole year (1 Jan - 31 Dec 2026) and a clock started inside it in July:
	 * 3 days 14 hours still to run after it ends */
	check_fm("storage", "2026-07-01 10:00", "2026-07-05 00:00", "2026-01-01 00:00",
		 "2026-12-31 00:00", "2027-01-03 14:00");
	/* over a weekend only: a working-day clock does not move */
	check_fm("wait-at-point", "2026-04-09 10:00", "2026-04-15 00:00", "2026-04-11 00:00",
		 "2026-04-13 00:00", "2026-04-15 00:00");
	/* after the clock ran out: no change */
	check_fm("storage", "2026-04-10 10:00", "2026-04-14 00:00", "2026-04-14 00:00",
		 "2026-04-20 00:00", "2026-04-14 00:00");
}

static void names(void **state)
{
	(void)state;
	for (int i = 0; i < CLOCK__COUNT; i++) {
		assert_int_equal(clock_from_name(clock_name((enum pilot_clock)i)), i);
		assert_true(clock_paragraph((enum pilot_clock)i) > 0);
		assert_string_not_equal(clock_limit_label((enum pilot_clock)i), "?");
	}
	assert_int_equal(clock_from_name("nope"), -1);
	assert_int_equal(clock_paragraph(CLOCK_STORAGE), 21);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(calendar_file),
		cmocka_unit_test(calendar_parser),
		cmocka_unit_test(next_working_day_cutoffs),
		cmocka_unit_test(working_day_periods),
		cmocka_unit_test(calendar_periods),
		cmocka_unit_test(force_majeure),
		cmocka_unit_test(force_majeure_overlap),
		cmocka_unit_test(names),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
