/*
 * test_text.c - the shared check of text from outside (src/core/text.c):
 * UTF-8 edge cases (overlong forms, surrogates, past U+10FFFF, cut
 * sequences), C0/DEL/C1 controls and a NUL inside, the refusal naming the
 * field, escaping for display, times and counts.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "amanat/error.h"
#include "amanat/text.h"

static void utf8(void **state)
{
	(void)state;
	const char *good[] = { "", "RR402118737KZ", "Алматы", "Қазақстан ӘҒҚҢӨҰҮҺІ", "日本", "😀", "\xc2\xa0" };
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		if (!text_utf8_valid(good[i], strlen(good[i])))
			fail_msg("'%s' should be valid UTF-8", good[i]);
	const char *bad[] = { "\xff", "\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80",
			      "\xd0", "\xe2\x82", "a\x80", "\xf8\x88\x80\x80\x80" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (text_utf8_valid(bad[i], strlen(bad[i])))
			fail_msg("bad vector %zu taken for UTF-8", i);
}

static void controls(void **state)
{
	struct am_error e;
	(void)state;
	assert_int_equal(text_check_str(NULL, "reason", "Қораптың бұрышы жыртылған", &e), 0);
	assert_int_equal(text_check_str(NULL, "reason", "bell\a", &e), AM_REFUSED);
	assert_non_null(strstr(e.msg, "field 'reason' contains a control character (U+0007 at character 5)"));
	assert_int_equal(text_check_str("line 3", "city", "Ал\x1b[2Jматы", &e), AM_REFUSED);
	assert_non_null(strstr(e.msg, "line 3: field 'city'"));
	assert_non_null(strstr(e.msg, "at character 3"));	/* characters, not bytes */
	assert_int_equal(text_check_str(NULL, "x", "tab\there", &e), AM_REFUSED);
	assert_int_equal(text_check_str(NULL, "x", "del\x7f", &e), AM_REFUSED);
	assert_int_equal(text_check_str(NULL, "x", "c1\xc2\x85", &e), AM_REFUSED);	/* U+0085 NEL */
	assert_non_null(strstr(e.msg, "U+0085"));
	assert_int_equal(text_check(NULL, "x", "a\0b", 3, &e), AM_REFUSED);	/* a NUL inside */
	assert_non_null(strstr(e.msg, "U+0000"));
	assert_int_equal(text_check_str(NULL, "--reason", "bad \xff\xfe", &e), AM_REFUSED);
	assert_non_null(strstr(e.msg, "field '--reason' is not UTF-8 text (byte 5)"));
}

static void escape(void **state)
{
	(void)state;
	char *s = text_escape("RR40\x1b" "2\xff\xc2\x85Ә", 11);
	assert_string_equal(s, "RR40\\x1B2\\xFF\\xC2\\x85Ә");
	free(s);
	s = text_escape("a\0b", 3);
	assert_string_equal(s, "a\\x00b");
	free(s);
}

static void times_and_counts(void **state)
{
	struct am_error e;
	long n = 0;
	const int64_t day = 86400000, now = INT64_C(1795000000000);
	(void)state;
	assert_int_equal(text_check_time("--until", now + 30 * day, now, INT64_MAX, 366 * day, &e), 0);
	assert_int_equal(text_check_time("--until", INT64_C(253402214400000), now, INT64_MAX, 366 * day, &e), AM_REFUSED);
	assert_non_null(strstr(e.msg, "'--until'"));
	assert_int_equal(text_check_time("--from", now - 400 * day, now, 366 * day, 366 * day, &e), AM_REFUSED);
	assert_int_equal(text_parse_count("--count", "12", 100, &n, &e), 0);
	assert_int_equal(n, 12);
	const char *bad[] = { "abc", "", "0", "-1", "12x", "101", "99999999999999999999" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (text_parse_count("--count", bad[i], 100, &n, &e) != AM_REFUSED)
			fail_msg("'%s' taken for a count", bad[i]);
}

/* A message longer than struct am_error ends at a whole letter, never half
 * of a two-byte Kazakh one (the screen would drop the whole line). */
static void long_error(void **state)
{
	(void)state;
	char big[2000] = "x";	/* one byte first: the cut lands on every parity */
	for (int k = 0; k < 2; k++) {
		size_t n = strlen(big);
		while (n + 2 < sizeof big - 1) {
			memcpy(big + n, "ә", 2);
			n += 2;
		}
		big[n] = '\0';
		struct am_error e;
		assert_int_equal(am_fail(&e, AM_REFUSED, "%s", big + k), AM_REFUSED);
		assert_true(text_utf8_valid(e.msg, strlen(e.msg)));
		size_t len = strlen(e.msg);
		assert_true(len >= sizeof e.msg - 6);
		assert_string_equal(e.msg + len - strlen("…"), "…");
		/* the same for any buffer filled by snprintf (the sync's reason) */
		char msg[255];
		am_fit(msg, sizeof msg, snprintf(msg, sizeof msg, "%s", big + k));
		assert_true(text_utf8_valid(msg, strlen(msg)));
		assert_string_equal(msg + strlen(msg) - strlen("…"), "…");
		am_fit(msg, sizeof msg, snprintf(msg, sizeof msg, "%s", "ә"));
		assert_string_equal(msg, "ә");	/* whole: untouched */
	}
}

/* A copy into a small buffer ends at a whole letter for every buffer size:
 * one-, two-, three- and four-byte letters, never half of one. */
static void copy_whole_letters(void **state)
{
	(void)state;
	const char *s = "aә€𝄞bҒ";	/* 1, 2, 3, 4, 1, 2 bytes */
	size_t n = strlen(s);
	const size_t ends[] = { 0, 1, 3, 6, 10, 11, 13 };	/* letter boundaries */
	for (size_t len = 1; len <= n + 2; len++) {
		char buf[32];
		memset(buf, '#', sizeof buf);
		text_copy(buf, len, s, n);
		size_t got = strlen(buf), want = 0;
		for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++)
			if (ends[i] <= len - 1)
				want = ends[i];	/* the longest whole prefix that fits */
		assert_int_equal(got, want);
		assert_memory_equal(buf, s, got);
		assert_true(text_utf8_valid(buf, got));
		assert_int_equal(text_fit(s, n, len - 1), want);
	}
	assert_int_equal(text_fit(s, 3, 100), 3);	/* fits: untouched */
	char one[1] = { 'x' };
	text_copy(one, sizeof one, s, n);
	assert_int_equal(one[0], '\0');
	text_copy(one, 0, s, n);	/* no room at all: nothing written */
	assert_int_equal(one[0], '\0');
}

/* A name is counted in characters, not bytes: 100 Kazakh letters (200
 * bytes) pass whole, 101 are refused with the count; never cut. */
static void names_in_characters(void **state)
{
	(void)state;
	struct am_error e;
	assert_int_equal(text_chars(""), 0);
	assert_int_equal(text_chars("Әлия"), 4);
	assert_int_equal(text_chars("日本😀"), 3);
	char name[101 * 2 + 1] = "";
	for (int i = 0; i < 100; i++)
		strcat(name, "Ә");
	assert_int_equal(text_check_name("name", name, 100, &e), 0);
	strcat(name, "Ә");
	assert_int_equal(text_check_name("name", name, 100, &e), AM_REFUSED);
	assert_non_null(strstr(e.msg, "101"));
	assert_int_equal(text_check_name("name", "A\x01B", 100, &e), AM_REFUSED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(utf8),
		cmocka_unit_test(controls),
		cmocka_unit_test(escape),
		cmocka_unit_test(times_and_counts),
		cmocka_unit_test(long_error),
		cmocka_unit_test(copy_whole_letters),
		cmocka_unit_test(names_in_characters),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
