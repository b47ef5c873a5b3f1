/*
 * test_date_input.c - typed dates: dd.mm.yyyy, dd.mm (this year), d.m.yy,
 * yyyy-mm-dd; days a month does not have and junk refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
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

int main(void)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(forms), cmocka_unit_test(refused) };
	return cmocka_run_group_tests(tests, NULL, NULL);
}
