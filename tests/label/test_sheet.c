/*
 * test_sheet.c - the register-in-codes format: a round trip with awkward
 * text (| ~ % line breaks, Kazakh letters), many parts in any order, and
 * every refusal: a part twice, a part of another register, a damaged part.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "amanat/label.h"

static void make(struct reg *r, int n)
{
	memset(r, 0, sizeof *r);
	snprintf(r->id, sizeof r->id, "R-T1");
	r->kind = REG_RETURN;
	snprintf(r->from, sizeof r->from, "KP|~%%1");
	snprintf(r->to, sizeof r->to, "МК, Алматы");
	r->formed_at = 1773920400000LL;
	for (int i = 0; i < n; i++) {
		struct register_line l;
		memset(&l, 0, sizeof l);
		snprintf(l.waybill, sizeof l.waybill, "RR%08dKZ", i);
		snprintf(l.application, sizeof l.application, "APP|%d~x\ny", i);
		snprintf(l.postomat, sizeof l.postomat, "PM-%d", i % 7);
		snprintf(l.city, sizeof l.city, "Өскемен %%20");
		snprintf(l.iin, sizeof l.iin, "900101300007");
		register_add_line(r, &l);
	}
}

static void round_trip_any_order(void **state)
{
	struct reg r, back;
	char **parts;
	size_t n;
	struct am_error e;
	(void)state;
	make(&r, 200);
	assert_int_equal(sheet_encode(&r, 300, &parts, &n, &e), 0);
	assert_true(n > 10);
	for (size_t k = 0; k < n; k++)
		for (const char *p = parts[k]; *p; p++)
			assert_true((unsigned char)*p >= 0x20);	/* printable: scanners pass it */
	struct sheet_assembly a;
	memset(&a, 0, sizeof a);
	for (size_t k = 0; k < n; k++) {	/* odd parts first, then even */
		size_t idx = k < (n + 1) / 2 ? 2 * k : 2 * (k - (n + 1) / 2) + 1;
		assert_false(sheet_assembly_complete(&a));
		if (sheet_assembly_add(&a, parts[idx], &e))
			fail_msg("%s", e.msg);
	}
	assert_true(sheet_assembly_complete(&a));
	assert_int_equal(sheet_assembly_decode(&a, 300, &back, &e), 0);
	assert_string_equal(back.id, "R-T1");
	assert_int_equal(back.kind, REG_RETURN);
	assert_string_equal(back.from, r.from);
	assert_string_equal(back.to, r.to);
	assert_int_equal(back.formed_at, r.formed_at);
	assert_int_equal(back.n_lines, 200);
	for (size_t i = 0; i < 200; i++) {
		assert_string_equal(back.lines[i].waybill, r.lines[i].waybill);
		assert_string_equal(back.lines[i].application, r.lines[i].application);
		assert_string_equal(back.lines[i].city, r.lines[i].city);
		assert_string_equal(back.lines[i].iin, "");	/* kept off paper */
	}
	register_free(&back);
	sheet_assembly_free(&a);
	sheet_parts_free(parts, n);
	register_free(&r);
}

static void refusals(void **state)
{
	struct reg r, other;
	char **parts, **oparts;
	size_t n, on;
	struct am_error e;
	(void)state;
	make(&r, 50);
	make(&other, 50);
	snprintf(other.id, sizeof other.id, "R-T2");
	assert_int_equal(sheet_encode(&r, 200, &parts, &n, &e), 0);
	assert_int_equal(sheet_encode(&other, 200, &oparts, &on, &e), 0);
	struct sheet_assembly a;
	memset(&a, 0, sizeof a);
	assert_int_equal(sheet_assembly_add(&a, parts[0], &e), 0);
	assert_int_equal(sheet_assembly_add(&a, parts[0], &e), AM_REFUSED);
	assert_non_null(strstr(e.msg, "scanned already"));
	assert_int_equal(sheet_assembly_add(&a, oparts[1], &e), AM_REFUSED);
	assert_non_null(strstr(e.msg, "another register"));
	assert_int_equal(sheet_assembly_add(&a, "RR123456785KZ", &e), AM_REFUSED);
	assert_int_equal(sheet_assembly_add(&a, "AMR1:R-T1:x/y:zz:", &e), AM_REFUSED);
	assert_int_equal(sheet_assembly_decode(&a, 300, &other, &e), AM_REFUSED);
	assert_non_null(strstr(e.msg, "scan the rest"));
	/* a part whose text changed fails the checksum of the whole */
	for (size_t k = 1; k < n; k++) {
		if (k == 1) {
			char *p = strrchr(parts[k], 'Z');
			if (p)
				*p = 'Y';
		}
		assert_int_equal(sheet_assembly_add(&a, parts[k], &e), 0);
	}
	struct reg back;
	assert_int_equal(sheet_assembly_decode(&a, 300, &back, &e), AM_REFUSED);
	assert_non_null(strstr(e.msg, "checksum"));
	sheet_assembly_free(&a);
	sheet_parts_free(parts, n);
	sheet_parts_free(oparts, on);
	register_free(&r);
	register_free(&other);
	assert_int_equal(crc32_text("123456789", 9), 0xcbf43926u);	/* the CRC-32 check value */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip_any_order),
		cmocka_unit_test(refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
