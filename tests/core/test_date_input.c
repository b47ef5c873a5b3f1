/*
 * test_date_input.c - typed dates: dd.mm.yyyy, dd.mm (this year), d.m.yy,
 * yyyy-mm-dd; days a month does not have and junk refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "amanat/date_input.h"
#include "amanat/timeutil.h"

static int64_t day(const char *iso)
{
	int64_t d;
	assert_int_equal(date_parse(iso, &d), 0);
	return d;
}

static void forms(void **state)
{
	(void)state;
	int64_t today = day("2026-03-20"), d;
	char iso[16], out[16];
	assert_int_equal(date_input_parse("21.03.2026", today, &d, iso, sizeof iso), 0);
	assert_string_equal(iso, "2026-03-21");
	assert_int_equal(d, day("2026-03-21"));
	assert_int_equal(date_input_parse("1.4.2026", today, &d, iso, sizeof iso), 0);
	assert_string_equal(iso, "2026-04-01");
	assert_int_equal(date_input_parse("02.04", today, &d, iso, sizeof iso), 0);
	assert_string_equal(iso, "2026-04-02");
	assert_int_equal(date_input_parse("02.04.26", today, &d, iso, sizeof iso), 0);
	assert_string_equal(iso, "2026-04-02");
	assert_int_equal(date_input_parse("2026-03-22", today, &d, iso, sizeof iso), 0);
	assert_string_equal(iso, "2026-03-22");
	assert_int_equal(date_input_parse(" 21.03.2026 ", today, &d, iso, sizeof iso), 0);
	date_input_format(day("2026-12-31"), out, sizeof out);
	assert_string_equal(out, "31.12.2026");
}

static void refused(void **state)
{
	(void)state;
	int64_t today = day("2026-03-20"), d;
	char iso[16];
	const char *bad[] = { "", "31.02.2026", "32.01.2026", "00.01.2026", "21.13.2026", "21-03-2026",
			      "21.03.2026x", "tomorrow", "2026-02-30", "21.03.20261", "21..2026" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (date_input_parse(bad[i], today, &d, iso, sizeof iso) == 0)
			fail_msg("'%s' was taken as %s", bad[i], iso);
}

/* The arrows on a shown date: a day, a month; the time after it kept. */
static void stepping(void **state)
{
	(void)state;
	int64_t today = day("2026-03-20");
	char out[40] = "unchanged";
	assert_int_equal(date_input_step("", today, 0, 0, out, sizeof out), 0);
	assert_string_equal(out, "20.03.2026");
	assert_int_equal(date_input_step("", today, 1, 0, out, sizeof out), 0);
	assert_string_equal(out, "21.03.2026");
	assert_int_equal(date_input_step("31.12.2026", today, 1, 0, out, sizeof out), 0);
	assert_string_equal(out, "01.01.2027");
	assert_int_equal(date_input_step("01.03.2028", today, -1, 0, out, sizeof out), 0);
	assert_string_equal(out, "29.02.2028");	/* a leap year */
	assert_int_equal(date_input_step("31.01.2026", today, 0, 1, out, sizeof out), 0);
	assert_string_equal(out, "28.02.2026");	/* the month's last day */
	assert_int_equal(date_input_step("15.01.2026", today, 0, -1, out, sizeof out), 0);
	assert_string_equal(out, "15.12.2025");
	assert_int_equal(date_input_step("2026-04-10 18:00", today, 1, 0, out, sizeof out), 0);
	assert_string_equal(out, "11.04.2026 18:00");
	assert_int_equal(date_input_step("21.03", today, -1, 0, out, sizeof out), 0);
	assert_string_equal(out, "20.03.2026");
	strcpy(out, "unchanged");
	assert_int_equal(date_input_step("tomorrow", today, 1, 0, out, sizeof out), -1);
	assert_int_equal(date_input_step("31.02.2026", today, 1, 0, out, sizeof out), -1);
	assert_int_equal(date_input_step("01.01.1970", today, -1, 0, out, sizeof out), -1);
	assert_int_equal(date_input_step("20.03.2026", today, 1, 0, out, 5), -1);
	assert_string_equal(out, "unchanged");
}

static void with_time(void **state)
{
	(void)state;
	int64_t today = day("2026-03-20"), ms, iso;
	assert_int_equal(time_parse("2026-04-10 18:00", 300, &iso), 0);
	assert_int_equal(date_input_parse_time("10.04.2026 18:00", today, 300, &ms), 0);
	assert_true(ms == iso);
	assert_int_equal(date_input_parse_time("2026-04-10 18:00", today, 300, &ms), 0);
	assert_true(ms == iso);
	assert_int_equal(date_input_parse_time(" 10.04 18:00 ", today, 300, &ms), 0);
	assert_true(ms == iso);
	const char *bad[] = { "10.04.2026", "10.04.2026 24:00", "10.04.2026 18:60", "10.04.2026 18:00 x", "", "18:00" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (date_input_parse_time(bad[i], today, 300, &ms) == 0)
			fail_msg("'%s' taken as a time", bad[i]);
}

/* A stored date shown as people write it; anything else shown as it is. */
static void shown(void **state)
{
	(void)state;
	char out[16];
	assert_int_equal(date_input_shown("2026-03-21", out, sizeof out), 0);
	assert_string_equal(out, "21.03.2026");
	assert_int_equal(date_input_shown("2026-02-30", out, sizeof out), -1);
	assert_string_equal(out, "2026-02-30");
	assert_int_equal(date_input_shown("21.03.2026", out, sizeof out), -1);
	assert_string_equal(out, "21.03.2026");
	assert_int_equal(date_input_shown(NULL, out, sizeof out), -1);
	assert_string_equal(out, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(forms), cmocka_unit_test(refused), cmocka_unit_test(stepping),
					    cmocka_unit_test(with_time), cmocka_unit_test(shown) };
	return cmocka_run_group_tests(tests, NULL, NULL);
}
