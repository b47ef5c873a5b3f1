/*
 * test_codes.c - S10, Luhn, pattern waybills and the IIN, with valid and
 * invalid vectors, and the keyboard-wedge layout fix.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "amanat/codes.h"

static void s10_vectors(void **state)
{
	struct waybill_rule r;
	char why[200];
	(void)state;
	waybill_rule_default(&r);
	const char *good[] = { "RR123456785KZ", "RA473124829GB", "RR402118737KZ", "RR503112000KZ",
			       "RR777000125KZ" };
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		if (waybill_validate(&r, good[i], why, sizeof why) != 0)
			fail_msg("%s should be valid: %s", good[i], why);
	struct { const char *code, *reason; } bad[] = {
		{ "RR123456784KZ", "check digit" }, { "RR12345678KZ", "13 characters" },
		{ "rr123456785KZ", "capital" }, { "RR12345678XKZ", "digits" }, { "RR1234567850Z", "country" },
		{ "", "empty" }, { "RR123456785K\x01", "character" }, { "RR 23456785KZ", "character" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		why[0] = '\0';
		if (waybill_validate(&r, bad[i].code, why, sizeof why) == 0)
			fail_msg("%s should be invalid", bad[i].code);
		if (!strstr(why, bad[i].reason))
			fail_msg("%s: reason '%s' lacks '%s'", bad[i].code, why, bad[i].reason);
	}
	/* 10 -> 0 and 11 -> 5 */
	assert_int_equal(s10_check_digit("12345678"), 5);
	assert_int_equal(s10_check_digit("47312482"), 9);
	assert_int_equal(s10_check_digit("1234567"), -1);
	int seen0 = 0, seen5 = 0;
	char serial[9];
	for (int n = 0; n < 2000; n++) {
		snprintf(serial, sizeof serial, "%08d", n * 4999);
		int sum = 0;
		static const int w[8] = { 8, 6, 4, 2, 3, 5, 9, 7 };
		for (int i = 0; i < 8; i++)
			sum += (serial[i] - '0') * w[i];
		int c = s10_check_digit(serial);
		if (sum % 11 == 1) { assert_int_equal(c, 0); seen0 = 1; }
		if (sum % 11 == 0) { assert_int_equal(c, 5); seen5 = 1; }
	}
	assert_true(seen0 && seen5);
}

static void luhn_and_pattern(void **state)
{
	struct waybill_rule r;
	char why[200];
	(void)state;
	assert_int_equal(waybill_rule_parse(&r, "luhn:8-12"), 0);
	assert_int_equal(waybill_validate(&r, "79927398713", why, sizeof why), 0);
	assert_int_equal(waybill_validate(&r, "79927398710", why, sizeof why), -1);
	assert_int_equal(waybill_validate(&r, "1234567", why, sizeof why), -1);	/* too short */
	assert_int_equal(waybill_rule_parse(&r, "pattern:KP-9999-AA"), 0);
	assert_int_equal(waybill_validate(&r, "KP-1234-XY", why, sizeof why), 0);
	assert_int_equal(waybill_validate(&r, "KP-12A4-XY", why, sizeof why), -1);
	assert_non_null(strstr(why, "character 6"));
	assert_int_equal(waybill_rule_parse(&r, "nonsense"), -1);
	assert_int_equal(waybill_rule_parse(&r, "luhn:9-3"), -1);
	/* numbers too large for an int, and trailing text, are refused (make lint) */
	assert_int_equal(waybill_rule_parse(&r, "luhn:99999999999999999999-5"), -1);
	assert_int_equal(waybill_rule_parse(&r, "luhn:8-99999999999999999999"), -1);
	assert_int_equal(waybill_rule_parse(&r, "luhn:8-12x"), -1);
	assert_int_equal(waybill_rule_parse(&r, "luhn:-8-12"), -1);
	assert_int_equal(waybill_rule_parse(&r, "s10"), 0);
	assert_int_equal(r.format, WAYBILL_S10);
}

static void iin_vectors(void **state)
{
	char why[200];
	(void)state;
	const char *good[] = { "900101300007", "991231600002", "000515500304" };
	for (size_t i = 0; i < 3; i++)
		if (iin_validate(good[i], why, sizeof why) != 0)
			fail_msg("%s should be valid: %s", good[i], why);
	struct { const char *iin, *reason; } bad[] = {
		{ "900101300008", "check digit" }, { "90010130000", "12 digits" }, { "9001013000A7", "digits" },
		{ "901301300007", "birth date" }, { "900230300007", "birth date" }, { "900101700007", "1 to 6" },
		{ "900101000007", "1 to 6" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		why[0] = '\0';
		if (iin_validate(bad[i].iin, why, sizeof why) == 0)
			fail_msg("%s should be invalid", bad[i].iin);
		if (!strstr(why, bad[i].reason))
			fail_msg("%s: '%s' lacks '%s'", bad[i].iin, why, bad[i].reason);
	}
	/* facts.md: prefix 90010130080 has no valid check digit at all */
	for (int k = 0; k < 10; k++) {
		char iin[13];
		snprintf(iin, sizeof iin, "90010130080%d", k);
		assert_int_equal(iin_validate(iin, why, sizeof why), -1);
	}
	/* 29 February only in leap years (2000: century digit 5) */
	assert_int_equal(iin_validate("000229500000", why, sizeof why) == 0 || strstr(why, "check") != NULL, 1);
	assert_int_equal(iin_validate("010229500000", why, sizeof why), -1);
	assert_non_null(strstr(why, "birth date"));
	char masked[16];
	iin_mask("900101300007", masked, sizeof masked);
	assert_string_equal(masked, "900101******");
}

static void wedge_layout(void **state)
{
	char out[64];
	(void)state;
	assert_int_equal(wedge_unmap("КК123456785ЛЯ", out, sizeof out), 4);
	assert_string_equal(out, "RR123456785KZ");
	assert_int_equal(wedge_unmap("RR123456785KZ", out, sizeof out), 0);
	assert_string_equal(out, "RR123456785KZ");
	wedge_unmap("ФЙ473124829ПИ", out, sizeof out);
	assert_string_equal(out, "AQ473124829GB");
	wedge_unmap("КК123", out, 4);	/* truncated, still terminated */
	assert_int_equal(strlen(out), 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(s10_vectors),
		cmocka_unit_test(luhn_and_pattern),
		cmocka_unit_test(iin_vectors),
		cmocka_unit_test(wedge_layout),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
