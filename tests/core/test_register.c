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
#include "core/register_fields.h"

static struct waybill_rule rule;

static int setup(void **state)
{
	(void)state;
	waybill_rule_default(&rule);
	return 0;
}

#define HDR "register,kind,from,to,formed_at,waybill,application,postomat,city,iin\n"
#define L(w, iin) "R1,inbound,SC,KP,2026-03-19 16:40," w ",APP-1,PM-1,Алматы," iin "\n"

static void refuse_n(const char *text, size_t len, const char *want)
{
	struct reg r;
	struct am_error e = { "" };
	int rc = register_parse(text, len, &rule, 300, &r, &e);
	if (rc == 0) {
		register_free(&r);
		fail_msg("accepted, expected a refusal with '%s'", want);
	}
	if (!strstr(e.msg, want))
		fail_msg("refusal '%s' lacks '%s'", e.msg, want);
	assert_null(r.lines);
}

static void refuse(const char *text, const char *want)
{
	refuse_n(text, strlen(text), want);
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
	refuse("{\"register\":\"R\",", "the file ends at line 1 before the register does");
	refuse("{\"register\":\"R\",\n\"items\":[1,],\"b\":1}", "line 2, column 12: a comma before ']' - remove that comma");
	refuse("{\"register\":\"R\" 1}", "not valid JSON at line 1, column 17: '}' expected near '1' - ask the sender");
	refuse("\"R-2026-1\"\n", "not one object");
	refuse_n("\xff\xfe{\0\"\0", 6, "UTF-16");
	refuse_n("{\0\"\0r\0", 6, "UTF-16");	/* no BOM */
	refuse("PK\x03\x04\x14\0", "Excel workbook");
	refuse("[1,2]", "one JSON object {");
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

/* register_parse_json reads the plain shape itself and leaves the rest to
 * jansson (register_parse_json_tree): on every file both give the same
 * answer, the same message and the same register. */
static void same_as_tree(const char *text, size_t len)
{
	struct reg a, b;
	struct am_error ea = { "" }, eb = { "" };
	int ra = register_parse_json(text, len, &rule, 300, &a, &ea);
	int rb = register_parse_json_tree(text, len, &rule, 300, &b, &eb);
	if (ra != rb || strcmp(ea.msg, eb.msg))
		fail_msg("%s: %d '%s', jansson %d '%s'", text, ra, ea.msg, rb, eb.msg);
	if (ra) {
		assert_null(a.lines);
		assert_null(b.lines);
		return;
	}
	assert_string_equal(a.id, b.id);
	assert_int_equal(a.kind, b.kind);
	assert_string_equal(a.from, b.from);
	assert_string_equal(a.to, b.to);
	assert_int_equal(a.formed_at, b.formed_at);
	assert_int_equal(a.n_lines, b.n_lines);
	assert_memory_equal(a.lines, b.lines, a.n_lines * sizeof a.lines[0]);
	register_free(&a);
	register_free(&b);
}

#define JH "{\"register\":\"R-1\",\"kind\":\"inbound\",\"from\":\"SC\",\"to\":\"KP\",\"formed_at\":\"2026-03-19 10:00\","
#define JI(more) "{\"waybill\":\"RR123456785KZ\",\"application\":\"A\",\"postomat\":\"P\",\"city\":\"Алматы\"" more "}"

static void json_quick_same(void **state)
{
	(void)state;
	static const char *const files[] = {
		JH "\"items\":[" JI("") "]}",
		" \r\n\t" JH "\"items\" : [ " JI("") " ] } \n",
		"{\"items\":[" JI("") "]," "\"register\":\"R-1\",\"kind\":\"inbound\",\"from\":\"SC\",\"to\":\"KP\",\"formed_at\":\"2026-03-19 10:00\"}",
		JH "\"items\":[" JI(",\"iin\":\"900101300007\"") "," "{\"waybill\":\"RA473124829GB\",\"application\":42,\"postomat\":\"P\",\"city\":\"C\",\"iin\":null}]}",
		JH "\"items\":[" JI(",\"note\":\"x\",\"n\":-0,\"ok\":true,\"no\":false,\"z\":null") "]}",
		JH "\"extra\":1,\"more\":\"\",\"items\":[" JI("") "]}",
		/* what the quick reading leaves to jansson: read or refused the same */
		JH "\"items\":[" JI(",\"note\":\"a\\\"b\\u0041\"") "]}",
		JH "\"items\":[{\"waybill\":\"RR123456785KZ\",\"application\":\"A\\u00e9\",\"postomat\":\"P\",\"city\":\"C\"}]}",
		JH "\"meta\":{\"a\":[1,2]},\"items\":[" JI("") "]}",
		JH "\"items\":[" JI(",\"n\":1.5,\"m\":1e3,\"k\":-12") "]}",
		JH "\"items\":[" JI(",\"n\":123456789012345678901") "]}",
		JH "\"items\":[{\"waybill\":\"RR123456785KZ\",\"application\":12345678901234567,\"postomat\":\"P\",\"city\":\"C\"}]}",
		JH "\"items\":[{\"waybill\":\"RR123456785KZ\",\"application\":-7,\"postomat\":\"P\",\"city\":\"C\"}]}",
		JH "\"items\":[{\"waybill\":\"RR123456785KZ\",\"application\":007,\"postomat\":\"P\",\"city\":\"C\"}]}",
		JH "\"items\":[{\"waybill\":\"RR123456785KZ\",\"application\":-,\"postomat\":\"P\",\"city\":\"C\"}]}",
		JH "\"items\":[{\"waybill\":\"RR123456785KZ\",\"application\":true,\"postomat\":\"P\",\"city\":\"C\"}]}",
		JH "\"items\":[{\"waybill\":\"RR123456785KZ\",\"application\":1.0,\"postomat\":\"P\",\"city\":\"C\"}]}",
		JH "\"items\":[" JI(",\"x\":nullx") "]}",
		JH "\"items\":[" JI(",\"x\":12abc") "]}",
		JH "\"items\":[" JI(",\"x\":1,\"x\":2") "]}",
		JH "\"items\":[" JI(",\"city\":\"D\"") "]}",
		JH "\"items\":[" JI("") "],\"items\":[]}",
		JH "\"kind\":\"return\",\"items\":[" JI("") "]}",
		JH "\"items\":[" JI("") ",]}",
		JH "\"items\":[" JI("") "],}",
		JH "\"items\":[" JI("") "]} x",
		JH "\"items\":[" JI("") "]}}",
		JH "\"items\":[" JI("") "]",
		JH "\"items\":[1]}",
		JH "\"items\":{}}",
		JH "\"items\":[]}",
		JH "\"items\":[{}]}",
		JH "\"items\":\"x\"}",
		"{\"register\":\"R-1\",\"items\":[" JI("") "]}",
		"{}",
		"[]",
		"",
		"   ",
		"\xEF\xBB\xBF" JH "\"items\":[" JI("") "]}",
		JH "\"items\":[" JI(",\"x\":\"\x01\"") "]}",
		JH "\"items\":[" JI(",\"x\":\"\x7f\"") "]}",
		JH "\"items\":[{\"waybill\":\"RR123456785KZ\",\"application\":\"A\x7f\",\"postomat\":\"P\",\"city\":\"C\"}]}",
		JH "\"items\":[" JI(",\"x\":\"\xc0\xaf\"") "]}",
		JH "\"items\":[" JI(",\"x\":\"\xed\xa0\x80\"") "]}",
		JH "\"items\":[" JI(",\"x\":\"\xf4\x90\x80\x80\"") "]}",
		JH "\"items\":[" JI(",\"x\":\"\xe2\x82\"") "]}",
		JH "\"items\":[" JI(",\"\xff\":1") "]}",
		JH "\"items\":[{\"waybill\":\"  RR123456785KZ \",\"application\":\"A\",\"postomat\":\"P\",\"city\":\"C\"}]}",
		JH "\"items\":[{\"waybill\":\"RR123456785KZ\",\"application\":\"\",\"postomat\":\"P\",\"city\":\"C\"}]}",
		JH "\"items\":[{\"waybill\":\"RR123456785KZRR123456785KZRR123456785KZ\",\"application\":\"A\",\"postomat\":\"P\",\"city\":\"C\"}]}",
		JH "\"items\":[" JI("") "," JI("") "]}",
		JH "\"items\":[" JI(",\"a\":1,\"b\":1,\"c\":1,\"d\":1,\"e\":1,\"f\":1,\"g\":1,\"h\":1,\"i\":1,\"j\":1,\"k\":1,\"l\":1,\"m\":1,\"n\":1,\"o\":1,\"p\":1,\"q\":1") "]}",
		JH "\"items\":[" JI(",\"waybil\":1,\"waybills\":2,\"\":3") "]}",
		"{\"register\":\"R 1\",\"kind\":\"inbound\",\"from\":\"SC\",\"to\":\"KP\",\"formed_at\":\"2026-03-19 10:00\",\"items\":[" JI("") "]}",
		"{\"register\":\"R-1\",\"kind\":\"inbound\",\"from\":\"SC\",\"to\":\"KP\",\"formed_at\":20260319,\"items\":[" JI("") "]}",
		"{\"register\":null,\"kind\":\"inbound\",\"from\":\"SC\",\"to\":\"KP\",\"formed_at\":\"2026-03-19 10:00\",\"items\":[" JI("") "]}",
	};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
		same_as_tree(files[i], strlen(files[i]));
	/* the exact length: a NUL inside or past the end is not read as an end */
	static const char nul[] = JH "\"items\":[" JI("") "]}\0";
	same_as_tree(nul, sizeof nul - 1);
	same_as_tree(nul, sizeof nul - 2);
	same_as_tree(nul, 10);
}

/* A big register with two waybills listed twice: refused, the one named
 * the first of them in sorted order with both its items, as when the check
 * sorted every waybill; none listed twice: accepted. */
static void duplicates_named(void **state)
{
	(void)state;
	struct reg r;
	struct am_error e = { "" };
	memset(&r, 0, sizeof r);
	snprintf(r.id, sizeof r.id, "R-DUP");
	snprintf(r.from, sizeof r.from, "SC");
	snprintf(r.to, sizeof r.to, "KP");
	for (int i = 0; i < 5000; i++) {
		struct register_line l;
		memset(&l, 0, sizeof l);
		/* the check digit of the S10 serial (weights 8 6 4 2 3 5 9 7) */
		static const int w[8] = { 8, 6, 4, 2, 3, 5, 9, 7 };
		char serial[9];
		snprintf(serial, sizeof serial, "%08d", 40000000 + i * 7);
		int sum = 0;
		for (int k = 0; k < 8; k++)
			sum += (serial[k] - '0') * w[k];
		int c = 11 - sum % 11;
		c = c == 10 ? 0 : c == 11 ? 5 : c;
		snprintf(l.waybill, sizeof l.waybill, "RR%s%dKZ", serial, c);
		assert_int_equal(register_add_line(&r, &l), 0);
	}
	assert_int_equal(register_validate(&r, &rule, &e), 0);
	char first[32], second[32];
	snprintf(first, sizeof first, "%s", r.lines[10].waybill);
	snprintf(second, sizeof second, "%s", r.lines[20].waybill);
	memcpy(r.lines[3000].waybill, second, sizeof second);	/* found first in file order */
	memcpy(r.lines[4000].waybill, first, sizeof first);
	assert_int_equal(register_validate(&r, &rule, &e), AM_REFUSED);
	char want[200];
	snprintf(want, sizeof want, "item 4001: waybill %s is listed twice (items 11 and 4001)", first);
	assert_string_equal(e.msg, want);
	register_free(&r);
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
	/* a line's header written otherwise but read the same is the same
	 * register (only lines written as the first are not read again) */
	text = HDR L("RR123456785KZ", "") " R1 ,inbound,SC,KP,2026-03-19T16:40+05:00,RA473124829GB,A,PM,C,\n"
		L("RR402118737KZ", "");
	if (register_parse(text, strlen(text), &rule, 300, &r, &e))
		fail_msg("%s", e.msg);
	assert_int_equal(r.n_lines, 3);
	assert_string_equal(r.lines[2].waybill, "RR402118737KZ");
	register_free(&r);
}

static void csv_refusals(void **state)
{
	(void)state;
	refuse("", "the file is empty (0 bytes)");
	refuse("register,kind,from,to,formed_at\n", "waybill");
	refuse(HDR, "no lines");
	refuse(HDR L("RR123456785KZ", "") L("RR123456784KZ", ""), "line 3: field 'waybill'");
	refuse(HDR L("RR123456785KZ", "") "R1,inbound,SC,KP,2026-03-19 16:40,RA473124829GB,A,PM,C\n", "line 3: 9 fields");
	refuse(HDR L("RR123456785KZ", "") "R2,inbound,SC,KP,2026-03-19 16:40,RA473124829GB,A,PM,C,\n", "same on every line");
	refuse(HDR L("RR123456785KZ", "") L("RA473124829GB", "") "R1,inbound,SC,KP,2026-03-19 16:41,RR402118737KZ,A,PM,C,\n",
	       "line 4: register, kind, from, to and formed_at must be the same");
	refuse(HDR "R1,inbound,SC,KP,2026-03-19 16:40,\"RR123456785KZ,A,PM,C,\n", "unclosed quote");
	refuse(HDR L("RR123456785KZ", "") L("RR123456785KZ", ""), "line 3: waybill RR123456785KZ is listed twice (lines 2 and 3) - ask the sender");
	/* the file's own line numbers: a blank line is one */
	refuse(HDR L("RR123456785KZ", "") "\r\n" L("RA473124829GB", "") L("RR123456785KZ", ""),
	       "line 5: waybill RR123456785KZ is listed twice (lines 2 and 5)");
	refuse("register;kind;from;to;formed_at;waybill\n", "separated by ';'");
	refuse("register,kind,from,to,formed_at\n", "line 1: the header has no column 'waybill' - ask the sender");
	refuse(" \r\n\n\t", "only spaces and blank lines");
	refuse(HDR "R1,inbound,SC,KP,2026-03-19 16:40,RR123456785KZ,A,,C,\n", "line 2: field 'postomat'");
	/* a CSV saved in Windows-1251: the city is not UTF-8 */
	refuse(HDR "R1,inbound,SC,KP,2026-03-19 16:40,RR123456785KZ,A,PM,\xc0\xeb\xec\xe0\xf2\xfb,\n", "line 2: the file is not UTF-8 text (byte 0xC0, Windows-1251?) - save it as UTF-8");
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
		cmocka_unit_test(json_quick_same),
		cmocka_unit_test(duplicates_named),
		cmocka_unit_test(csv_good),
		cmocka_unit_test(csv_refusals),
		cmocka_unit_test(tally_counts),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
