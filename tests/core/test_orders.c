/*
 * test_orders.c - the sorting sector's applications list: accepted whole,
 * or refused whole with the line and field named.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "amanat/orders.h"

static struct waybill_rule rule;

static int setup(void **state)
{
	(void)state;
	waybill_rule_default(&rule);
	return 0;
}

#define HDR "application,waybill,postomat,city,point,iin\n"

static void refuse(const char *text, const char *want)
{
	struct order_list l;
	struct am_error e = { "" };
	if (orders_parse_csv(text, strlen(text), &rule, &l, &e) == 0) {
		orders_free(&l);
		fail_msg("accepted, expected a refusal with '%s'", want);
	}
	if (!strstr(e.msg, want))
		fail_msg("refusal '%s' lacks '%s'", e.msg, want);
	assert_null(l.items);
}

static void good(void **state)
{
	(void)state;
	/* a spreadsheet's BOM, columns in another order, quotes, CRLF, no iin column */
	const char *text = "\xEF\xBB\xBFpoint,city,postomat,waybill,application\r\n"
			   "KP-ALM-007,\"Алматы, Медеу\",PM-ALM-0042,RR402118737KZ,KZ-APP-1\r\n"
			   "\r\n"
			   "KP-ALM-007,Алматы,PM-ALM-0043, RR402118745KZ ,KZ-APP-2\r\n";
	struct order_list l;
	struct am_error e = { "" };
	assert_int_equal(orders_parse_csv(text, strlen(text), &rule, &l, &e), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.items[0].line.city, "Алматы, Медеу");
	assert_string_equal(l.items[0].point, "KP-ALM-007");
	assert_string_equal(l.items[1].line.waybill, "RR402118745KZ");
	assert_string_equal(l.items[1].line.application, "KZ-APP-2");
	assert_string_equal(l.items[1].line.iin, "");
	orders_free(&l);
	text = HDR "KZ-APP-1,RR402118737KZ,PM-ALM-0042,Алматы,KP-ALM-007,900101300007\n";
	assert_int_equal(orders_parse_csv(text, strlen(text), &rule, &l, &e), 0);
	assert_string_equal(l.items[0].line.iin, "900101300007");
	orders_free(&l);
}

static void refusals(void **state)
{
	(void)state;
	refuse("", "header row");
	refuse("application,waybill,postomat,city\nA,RR402118737KZ,PM,C\n", "no column 'point'");
	refuse(HDR, "no lines");
	refuse(HDR "A,RR402118736KZ,PM,C,KP,\n", "line 2: field 'waybill'");
	refuse(HDR "A,RR402118737KZ,PM,C,KP,900101300008\n", "line 2: field 'iin'");
	refuse(HDR "A,RR402118737KZ,PM,C,,\n", "line 2: field 'point' is missing");
	refuse(HDR "A,RR402118737KZ,PM,C,KP,\nB,RR402118737KZ,PM,C,KP,\n", "line 3: waybill RR402118737KZ is listed twice");
	refuse(HDR "A,RR402118737KZ,PM,C,KP,\nA,RR402118745KZ,PM,C,KP,\n", "line 3: application A is listed twice");
	refuse(HDR "A,RR402118737KZ,PM,C\x01,KP,\n", "line 2");
	refuse(HDR "A,RR402118737KZ,PM,C,KP\n", "5 fields");
	refuse(HDR "\"A,RR402118737KZ,PM,C,KP,\n", "malformed");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(good),
		cmocka_unit_test(refusals),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
