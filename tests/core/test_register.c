/*
 * test_register.c - register files: JSON and CSV accepted whole or refused
 * whole with the line and field named; and the acceptance tally.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "amanat/reconcile.h"
#include "amanat/register.h"

static struct waybill_rule rule;

static int setup(void **state)
{
	(void)state;
	waybill_rule_default(&rule);
	return 0;
}

#define HDR "register,kind,from,to,formed_at,waybill,application,postomat,city,iin\n"
#define L(w, iin) "R1,inbound,SC,KP,2026-03-19 16:40," w ",APP-1,PM-1,Алматы," iin "\n"

static void refuse(const char *text, const char *want)
{
	struct reg r;
	struct am_error e = { "" };
	int rc = register_parse(text, strlen(text), &rule, 300, &r, &e);
	if (rc == 0) {
		register_free(&r);
		fail_msg("accepted, expected a refusal with '%s'", want);
	}
	if (!strstr(e.msg, want))
		fail_msg("refusal '%s' lacks '%s'", e.msg, want);
	assert_null(r.lines);
}

static void json_good(void **state)
{
	(void)state;
	const char *text = "{\"register\":\"R-2026-1\",\"kind\":\"inbound\",\"from\":\"SC-ALM-01\","
		"\"to\":\"KP-ALM-007\",\"formed_at\":\"2026-03-19T16:40:00+05:00\",\"extra\":1,"
		"\"items\":[{\"waybill\":\"RR123456785KZ\",\"application\":\"A1\",\"postomat\":\"PM-1\","
		"\"city\":\"Алматы\",\"iin\":\"900101300007\"},{\"waybill\":\"RA473124829GB\","
		"\"application\":42,\"postomat\":\"PM-2\",\"city\":\"Астана\"}]}";
	struct reg r;
	struct am_error e;
	assert_int_equal(register_parse(text, strlen(text), &rule, 300, &r, &e), 0);
	assert_string_equal(r.id, "R-2026-1");
	assert_int_equal(r.kind, REG_INBOUND);
	assert_int_equal(r.n_lines, 2);
	assert_string_equal(r.lines[1].application, "42");
	assert_string_equal(r.lines[0].city, "Алматы");
	assert_int_equal(r.formed_at, 1773920400000LL);	/* 2026-03-19 11:40 UTC */
	register_free(&r);
}

static void json_refusals(void **state)
{
	(void)state;
	refuse("{\"register\":\"R\",", "not valid JSON");
	refuse("[1,2]", "one JSON object");
	refuse("{\"register\":\"R\",\"kind\":\"outbound\",\"from\":\"a\",\"to\":\"b\",\"formed_at\":\"2026-03-19 10:00\",\"items\":[]}", "kind");
	refuse("{\"register\":\"R\",\"kind\":\"inbound\",\"from\":\"a\",\"to\":\"b\",\"formed_at\":\"yesterday\",\"items\":[]}", "formed_at");
	refuse("{\"register\":\"R\",\"kind\":\"inbound\",\"from\":\"a\",\"to\":\"b\",\"formed_at\":\"2026-03-19 10:00\",\"items\":[]}", "no items");
	refuse("{\"register\":\"R\",\"kind\":\"inbound\",\"from\":\"a\",\"to\":\"b\",\"formed_at\":\"2026-03-19 10:00\","
	       "\"items\":[{\"waybill\":\"RR123456785KZ\",\"application\":\"A\",\"postomat\":\"P\",\"city\":\"C\"},"
	       "{\"waybill\":\"RR123456784KZ\",\"application\":\"A\",\"postomat\":\"P\",\"city\":\"C\"}]}", "item 2: field 'waybill'");
	refuse("{\"register\":\"R\",\"kind\":\"inbound\",\"from\":\"a\",\"to\":\"b\",\"formed_at\":\"2026-03-19 10:00\","
	       "\"items\":[{\"waybill\":\"RR123456785KZ\",\"application\":\"A\",\"city\":\"C\"}]}", "item 1: field 'postomat'");
	refuse("{\"register\":\"R\",\"kind\":\"inbound\",\"from\":\"a\",\"to\":\"b\",\"formed_at\":\"2026-03-19 10:00\","
	       "\"items\":[{\"waybill\":\"RR123456785KZ\",\"application\":\"A\",\"postomat\":\"P\",\"city\":\"C\",\"iin\":\"900101300008\"}]}", "item 1: field 'iin'");
	refuse("{\"register\":\"R\",\"kind\":\"inbound\",\"from\":\"a\",\"to\":\"b\",\"formed_at\":\"2026-03-19 10:00\","
	       "\"items\":[{\"waybill\":\"RR123456785KZ\",\"application\":\"A\",\"postomat\":\"P\",\"city\":\"C\"},"
	       "{\"waybill\":\"RR123456785KZ\",\"application\":\"B\",\"postomat\":\"P\",\"city\":\"C\"}]}", "listed twice");
	refuse("{\"register\":\"R\",\"register\":\"S\"}", "duplicate");
	refuse("{\"register\":\"R x\",\"kind\":\"inbound\",\"from\":\"a\",\"to\":\"b\",\"formed_at\":\"2026-03-19 10:00\","
	       "\"items\":[{\"waybill\":\"RR123456785KZ\",\"application\":\"A\",\"postomat\":\"P\",\"city\":\"C\"}]}", "register id");
}

static void csv_good(void **state)
{
	(void)state;
	const char *text = "\xEF\xBB\xBF" HDR L("RR123456785KZ", "900101300007")
		"R1,inbound,SC,KP,2026-03-19 16:40,RA473124829GB,\"APP, \"\"quoted\"\"\",PM-1,Алматы,\r\n\n";
	struct reg r;
	struct am_error e = { "" };
	if (register_parse(text, strlen(text), &rule, 300, &r, &e))
		fail_msg("%s", e.msg);
	assert_int_equal(r.n_lines, 2);
	assert_string_equal(r.lines[1].application, "APP, \"quoted\"");
	assert_string_equal(r.lines[0].iin, "900101300007");
	register_free(&r);
}

static void csv_refusals(void **state)
{
	(void)state;
	refuse("", "header");
	refuse("register,kind,from,to,formed_at\n", "waybill");
	refuse(HDR, "no lines");
	refuse(HDR L("RR123456785KZ", "") L("RR123456784KZ", ""), "line 3: field 'waybill'");
	refuse(HDR L("RR123456785KZ", "") "R1,inbound,SC,KP,2026-03-19 16:40,RA473124829GB,A,PM,C\n", "line 3: 9 fields");
	refuse(HDR L("RR123456785KZ", "") "R2,inbound,SC,KP,2026-03-19 16:40,RA473124829GB,A,PM,C,\n", "same on every line");
	refuse(HDR "R1,inbound,SC,KP,2026-03-19 16:40,\"RR123456785KZ,A,PM,C,\n", "unclosed quote");
	refuse(HDR L("RR123456785KZ", "") L("RR123456785KZ", ""), "CSV lines 2 and 3");
	refuse(HDR "R1,inbound,SC,KP,2026-03-19 16:40,RR123456785KZ,A,,C,\n", "line 2: field 'postomat'");
	/* a CSV saved in Windows-1251: the city is not UTF-8 */
	refuse(HDR "R1,inbound,SC,KP,2026-03-19 16:40,RR123456785KZ,A,PM,\xc0\xeb\xec\xe0\xf2\xfb,\n", "not UTF-8");
}

static void tally_counts(void **state)
{
	(void)state;
	struct reg r;
	struct am_error e;
	const char *text = HDR L("RR123456785KZ", "") L("RA473124829GB", "") L("RR402118737KZ", "");
	assert_int_equal(register_parse(text, strlen(text), &rule, 300, &r, &e), 0);
	struct tally t;
	char why[100];
	assert_int_equal(tally_init(&t, &r), 0);
	assert_int_equal(tally_scan(&t, &rule, "RR123456785KZ", why, sizeof why), SCAN_MATCHED);
	assert_int_equal(tally_scan(&t, &rule, "RR123456785KZ", why, sizeof why), SCAN_DUPLICATE);
	assert_int_equal(tally_scan(&t, &rule, "RR777000125KZ", why, sizeof why), SCAN_UNEXPECTED);
	assert_int_equal(tally_scan(&t, &rule, "RR777000125KZ", why, sizeof why), SCAN_DUPLICATE);
	assert_int_equal(tally_scan(&t, &rule, "RR123456784KZ", why, sizeof why), SCAN_INVALID);
	assert_int_equal(tally_scan(&t, &rule, "RA473124829GB", why, sizeof why), SCAN_MATCHED);
	assert_int_equal(tally_damaged(&t, "RA473124829GB"), 0);
	assert_int_equal(tally_damaged(&t, "RR777000125KZ"), -1);
	struct tally_summary s;
	tally_summarize(&t, &s);
	assert_int_equal(s.expected, 3);
	assert_int_equal(s.matched, 1);
	assert_int_equal(s.damaged, 1);
	assert_int_equal(s.missing, 1);
	assert_int_equal(s.unexpected, 1);
	assert_int_equal(s.duplicates, 2);
	assert_true(s.needs_act);
	tally_free(&t);
	/* all matched: no act */
	assert_int_equal(tally_init(&t, &r), 0);
	for (size_t i = 0; i < r.n_lines; i++)
		assert_int_equal(tally_scan(&t, &rule, r.lines[i].waybill, why, sizeof why), SCAN_MATCHED);
	tally_summarize(&t, &s);
	assert_false(s.needs_act);
	assert_int_equal(s.missing, 0);
	tally_free(&t);
	register_free(&r);
	assert_int_equal(scan_classify(false, true, true), SCAN_INVALID);
	assert_int_equal(scan_classify(true, false, false), SCAN_UNEXPECTED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(json_good),
		cmocka_unit_test(json_refusals),
		cmocka_unit_test(csv_good),
		cmocka_unit_test(csv_refusals),
		cmocka_unit_test(tally_counts),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
