/*
 * test_classify.c - every code kind of the pilot is told apart, a wrong
 * check digit keeps the kind, and a keyboard-wedge burst is told from typing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "amanat/classify.h"

static void kinds(void **state)
{
	struct waybill_rule r;
	(void)state;
	waybill_rule_default(&r);
	struct { const char *code; enum code_kind kind; bool valid; } v[] = {
		{ "RR402118737KZ", CODE_WAYBILL, true }, { "RR123456784KZ", CODE_WAYBILL, false },
		{ "RR503112013KZ", CODE_WAYBILL, true },
		{ "CLERK-1", CODE_BADGE, true }, { "SC-COURIER-9", CODE_BADGE, true },
		{ "PM-ALM-0042", CODE_POSTOMAT, true }, { "A05", CODE_CELL, true }, { "AB123", CODE_CELL, true },
		{ "12", CODE_CELL, true }, { "R-2026-000123", CODE_REGISTER, true },
		{ "R-2026-000123-ACC", CODE_REGISTER, true },
		{ "AMR1:R-2026-000123:1/2:0A1B2C3D:abc", CODE_SHEET, true },
		{ "900101300123", CODE_IIN, false }, { "", CODE_UNKNOWN, true }, { "a b", CODE_UNKNOWN, false },
		{ "\"\",.", CODE_UNKNOWN, false },
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		bool valid = !v[i].valid;
		enum code_kind k = code_classify(&r, v[i].code, &valid);
		if (k != v[i].kind)
			fail_msg("%s: %s, expected %s", v[i].code, code_kind_name(k), code_kind_name(v[i].kind));
		if (v[i].code[0] && v[i].kind != CODE_UNKNOWN && valid != v[i].valid)
			fail_msg("%s: valid %d", v[i].code, valid);
	}
	for (int k = 0; k < CODE__COUNT; k++)
		assert_int_equal(code_kind_from_name(code_kind_name((enum code_kind)k)), k);
	assert_int_equal(code_kind_from_name("nonsense"), -1);
}

static void descriptions(void **state)
{
	char buf[200];
	(void)state;
	code_describe(CODE_CELL, "A05", buf, sizeof buf);
	assert_string_equal(buf, "this is the label of cell A05");
	code_describe(CODE_UNKNOWN, "x y", buf, sizeof buf);
	assert_non_null(strstr(buf, "x y"));
	code_describe(CODE_IIN, "900101300123", buf, sizeof buf);
	assert_null(strstr(buf, "300123"));	/* personal data stays masked */
	assert_string_equal(code_expected(CODE_WAYBILL), "scan the envelope first");
	/* found by tests/fuzz (codes): a long code cut the sentence inside a
	 * letter; every cut point now ends on a whole character */
	for (size_t cut = 1; cut < 40; cut++) {
		char code[300];
		memset(code, 'l', cut);
		snprintf(code + cut, sizeof code - cut, "%s", "ЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖ");
		code_describe(CODE_UNKNOWN, code, buf, 48);
		size_t n = strlen(buf);
		assert_true(n < 48);
		assert_true(n == 0 || ((unsigned char)buf[n - 1] < 0x80 || ((unsigned char)buf[n - 1] & 0xc0) == 0x80));
		for (size_t i = 0; i < n; i++)		/* no lead byte without its followers */
			if (((unsigned char)buf[i] & 0xe0) == 0xc0)
				assert_true(i + 1 < n && ((unsigned char)buf[i + 1] & 0xc0) == 0x80);
	}
}

static void bursts(void **state)
{
	struct burst b;
	(void)state;
	burst_reset(&b);
	for (int i = 0; i < 13; i++)
		burst_key(&b, 1000 + i * 8);		/* a scanner: 8 ms apart */
	assert_true(burst_is_scan(&b, 1000 + 13 * 8));
	assert_true(burst_is_scan(&b, 1000 + 13 * 8 + 100));	/* the Enter lagging on a loaded terminal */
	assert_false(burst_is_scan(&b, 1000 + 13 * 8 + 200));	/* Enter pressed by a person later */
	burst_reset(&b);
	for (int i = 0; i < 13; i++)
		burst_key(&b, 1000 + i * 120);		/* a person */
	assert_false(burst_is_scan(&b, 1000 + 13 * 120));
	burst_reset(&b);
	for (int i = 0; i < 3; i++)
		burst_key(&b, 1000 + i);		/* too short to be a code */
	assert_false(burst_is_scan(&b, 1003));
	burst_reset(&b);
	burst_key(&b, 1000);
	for (int i = 1; i < 13; i++)
		burst_key(&b, 1200 + i * 5);		/* a slow first key: typed */
	assert_false(burst_is_scan(&b, 1200 + 13 * 5));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(kinds),
		cmocka_unit_test(descriptions),
		cmocka_unit_test(bursts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
