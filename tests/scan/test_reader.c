/*
 * test_reader.c - the scanner reader with bytes and times given by hand:
 * every suffix, codes split across writes, a stalled code, AIM ids, a
 * prefix, garbage, a 10,000-byte code, empty codes, double triggers and a
 * required symbology.  Each physical scan gives exactly one event.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "amanat/scan.h"

static struct scan_reader r;
static int64_t t;

static void start(void (*tweak)(struct scan_settings *))
{
	struct scan_settings s;
	scan_settings_default(&s);
	if (tweak)
		tweak(&s);
	reader_init(&r, &s);
	t = 1000000;
}

static void feed(const char *bytes, int64_t after_ms)
{
	t += after_ms;
	reader_feed(&r, (const unsigned char *)bytes, strlen(bytes), t);
}

static void expect(enum scan_event_kind kind, const char *code)
{
	struct scan_event ev;
	if (!reader_next(&r, &ev))
		fail_msg("no event, expected %d %s", kind, code ? code : "");
	if (ev.kind != kind)
		fail_msg("event %d (%s %s), expected %d %s", ev.kind, ev.code, ev.message, kind, code ? code : "");
	if (code)
		assert_string_equal(ev.code, code);
}

static void expect_none(void)
{
	struct scan_event ev;
	if (reader_next(&r, &ev))
		fail_msg("unexpected event %d '%s' %s", ev.kind, ev.code, ev.message);
}

static void suffixes(void **state)
{
	(void)state;
	start(NULL);
	feed("RR123456785KZ\r", 0);
	expect(SCAN_EV_CODE, "RR123456785KZ");
	feed("RA473124829GB\n", 1000);
	expect(SCAN_EV_CODE, "RA473124829GB");
	feed("RR402118737KZ\r\n", 1000);		/* CRLF: one code, not one and an empty */
	expect(SCAN_EV_CODE, "RR402118737KZ");
	expect_none();
	feed("\r\n", 1000);				/* a bare end of line: an empty scan */
	expect(SCAN_EV_ERROR, NULL);
	expect_none();
}

static void etx(struct scan_settings *s)
{
	s->any_eol = false;
	s->suffix = 0x03;
}

static void custom_suffix(void **state)
{
	(void)state;
	start(etx);
	feed("RR123456785KZ\x03", 0);
	expect(SCAN_EV_CODE, "RR123456785KZ");
	feed("AB\rCD\x03", 1000);			/* CR is data now, and not printable */
	expect(SCAN_EV_ERROR, NULL);
}

static void split_and_stalled(void **state)
{
	(void)state;
	start(NULL);
	feed("RR12", 0);
	feed("3456", 40);
	feed("785K", 90);				/* under 100 ms between bytes */
	feed("Z\r", 99);
	expect(SCAN_EV_CODE, "RR123456785KZ");
	feed("RR40211", 1000);
	reader_tick(&r, t + 50);
	expect_none();
	assert_true(reader_timeout_ms(&r, t + 50) > 0);
	reader_tick(&r, t + 101);			/* stalled: thrown away */
	expect(SCAN_EV_PARTIAL, NULL);
	feed("8737KZ\r", 200);				/* the rest alone is its own (bad) code */
	expect(SCAN_EV_CODE, "8737KZ");
	assert_int_equal(reader_timeout_ms(&r, t), -1);
	/* a stall noticed only when the next byte comes */
	feed("XX", 1000);
	feed("RR123456785KZ\r", 500);
	expect(SCAN_EV_PARTIAL, NULL);
	expect(SCAN_EV_CODE, "RR123456785KZ");
}

static void aim_and_prefix(void **state)
{
	(void)state;
	start(NULL);
	feed("]C1RR123456785KZ\r", 0);
	struct scan_event ev;
	assert_true(reader_next(&r, &ev));
	assert_string_equal(ev.code, "RR123456785KZ");
	assert_string_equal(ev.aim, "]C1");
	assert_string_equal(ev.symbology, "Code 128");
	feed("]d2AMR1|R-1|1/1|x\r", 1000);
	assert_true(reader_next(&r, &ev));
	assert_string_equal(ev.symbology, "DataMatrix");
	assert_string_equal(ev.code, "AMR1|R-1|1/1|x");
	feed("]Q1hello\r", 1000);
	assert_true(reader_next(&r, &ev));
	assert_string_equal(ev.symbology, "QR Code");
	assert_string_equal(aim_symbology("]E0"), "EAN/UPC");
	assert_null(aim_symbology("]?0"));
}

static void want_code128(struct scan_settings *s)
{
	snprintf(s->require, sizeof s->require, "C");
	snprintf(s->prefix, sizeof s->prefix, "@@");
}

static void required_symbology(void **state)
{
	(void)state;
	start(want_code128);
	feed("]Q1RR123456785KZ\r", 0);
	expect(SCAN_EV_ERROR, NULL);
	feed("]C1@@RR123456785KZ\r", 1000);	/* AIM id, then the prefix */
	expect(SCAN_EV_CODE, "RR123456785KZ");
	feed("RR402118737KZ\r", 1000);		/* no AIM id sent: accepted */
	expect(SCAN_EV_CODE, "RR402118737KZ");
}

static void garbage_then_good(void **state)
{
	(void)state;
	start(NULL);
	unsigned char junk[5000];
	srand(7);
	for (size_t i = 0; i < sizeof junk; i++)
		junk[i] = (unsigned char)(rand() % 256);
	t += 1000;
	reader_feed(&r, junk, sizeof junk, t);
	struct scan_event ev;
	int codes = 0;
	while (reader_next(&r, &ev)) {
		/* whatever came out of the junk, nothing with a control byte */
		if (ev.kind == SCAN_EV_CODE || ev.kind == SCAN_EV_DUPLICATE)
			for (const char *p = ev.code; *p; p++)
				assert_true((unsigned char)*p >= 0x20 && *p != 0x7f);
		codes++;
	}
	assert_true(codes > 0);
	feed("\r", 500);				/* the junk's tail ends, then a good scan */
	while (reader_next(&r, &ev))
		;
	feed("RR123456785KZ\r", 1000);
	expect(SCAN_EV_CODE, "RR123456785KZ");
	/* invalid UTF-8 is refused, valid UTF-8 (Cyrillic) is text */
	feed("\xc3\x28\r", 1000);
	expect(SCAN_EV_ERROR, NULL);
	feed("КК123456785ЛЯ\r", 1000);
	expect(SCAN_EV_CODE, "КК123456785ЛЯ");
}

static void long_code(void **state)
{
	(void)state;
	start(NULL);
	char *big = malloc(10002);
	memset(big, 'A', 10000);
	big[10000] = '\r';
	big[10001] = '\0';
	feed(big, 0);
	free(big);
	expect(SCAN_EV_ERROR, NULL);			/* one error for the whole code */
	expect_none();
	feed("RR123456785KZ\r", 10);
	expect(SCAN_EV_CODE, "RR123456785KZ");
	/* exactly max_length is fine */
	char edge[80];
	memset(edge, 'B', 64);
	edge[64] = '\r';
	edge[65] = '\0';
	feed(edge, 1000);
	expect(SCAN_EV_CODE, NULL);
}

/* A scan of n bytes: an AIM id and a prefix (either may be empty), then n
 * digits, then CR. */
static void feed_long(const char *aim, const char *prefix, size_t n)
{
	size_t a = strlen(aim), p = strlen(prefix);
	char *b = malloc(a + p + n + 2);
	assert_non_null(b);
	memcpy(b, aim, a);
	memcpy(b + a, prefix, p);
	for (size_t i = 0; i < n; i++)
		b[a + p + i] = (char)('0' + i % 10);
	b[a + p + n] = '\r';
	b[a + p + n + 1] = '\0';
	feed(b, 1000);
	free(b);
}

static void expect_code_of_length(size_t n)
{
	struct scan_event ev;
	assert_true(reader_next(&r, &ev));
	if (ev.kind != SCAN_EV_CODE)
		fail_msg("event %d (%s), expected a code of %zu bytes", ev.kind, ev.message, n);
	assert_int_equal(strlen(ev.code), n);
}

/* Regression: scanner.max_length = 507 and a prefix of 3 or more characters
 * wrote past the reader's 512-byte buffer (UBSan reader.c:204). */
static void long_max_with_prefix(void **state)
{
	(void)state;
	struct config *cfg = config_new();
	assert_non_null(cfg);
	assert_int_equal(config_set(cfg, "scanner.max_length", "507"), 0);
	assert_int_equal(config_set(cfg, "scanner.prefix", "ABC"), 0);
	struct scan_settings s;
	struct am_error e = { 0 };
	assert_int_equal(scan_settings_from_config(&s, cfg, &e), 0);
	reader_init(&r, &s);
	t = 1000000;
	feed_long("]C1", "ABC", 507);			/* 513 raw bytes: one good code */
	expect_code_of_length(507);
	feed_long("]C1", "ABC", 508);			/* one too many */
	expect(SCAN_EV_ERROR, NULL);
	feed_long("", "", 510);				/* no AIM id, no prefix: still too long */
	expect(SCAN_EV_ERROR, NULL);
	feed_long("", "", 507);
	expect_code_of_length(507);
	expect_none();

	/* the largest settings allowed: 511 bytes behind a 15-byte prefix */
	assert_int_equal(config_set(cfg, "scanner.max_length", "511"), 0);
	assert_int_equal(config_set(cfg, "scanner.prefix", "PPPPPPPPPPPPPPP"), 0);
	assert_int_equal(scan_settings_from_config(&s, cfg, &e), 0);
	reader_init(&r, &s);
	feed_long("]d2", "PPPPPPPPPPPPPPP", 511);
	expect_code_of_length(511);
	feed_long("]d2", "PPPPPPPPPPPPPPP", 512);
	expect(SCAN_EV_ERROR, NULL);
	feed_long("", "", 529);
	expect(SCAN_EV_ERROR, NULL);
	expect_none();
	config_free(cfg);
}

/* Settings beyond the buffers are refused, never cut to fit. */
static void settings_refused(void **state)
{
	(void)state;
	static const struct { const char *key, *value; } bad[] = {
		{ "scanner.max_length", "512" }, { "scanner.max_length", "0" },
		{ "scanner.max_length", "-1" }, { "scanner.max_length", "64k" },
		{ "scanner.max_length", "4294967360" }, { "scanner.max_length", "99999999999999999999" },
		{ "scanner.prefix", "PPPPPPPPPPPPPPPP" }, { "scanner.char_timeout_ms", "4" },
		{ "scanner.char_timeout_ms", "x" }, { "scanner.double_scan_ms", "-5" },
		{ "scanner.suffix", "0xZZ" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct config *cfg = config_new();
		assert_non_null(cfg);
		assert_int_equal(config_set(cfg, bad[i].key, bad[i].value), 0);
		struct scan_settings s;
		struct am_error e = { 0 };
		if (scan_settings_from_config(&s, cfg, &e) != AM_ENV)
			fail_msg("%s = %s was accepted", bad[i].key, bad[i].value);
		assert_true(strlen(e.msg) > 0);
		config_free(cfg);
	}
	/* settings made in code, out of range, are brought into range */
	struct scan_settings s;
	scan_settings_default(&s);
	s.max_length = 100000;
	memset(s.prefix, 'P', sizeof s.prefix);	/* no NUL */
	reader_init(&r, &s);
	feed_long("", "", 5000);
	expect(SCAN_EV_ERROR, NULL);
	feed_long("", "", SCAN_CODE_MAX - 1);
	expect_code_of_length(SCAN_CODE_MAX - 1);
}

static void half_letter_prefix(struct scan_settings *s)
{
	snprintf(s->prefix, sizeof s->prefix, "\xd0");	/* the first byte of К */
}

/* Found by tests/fuzz (reader): stripping an AIM id or a prefix must never
 * cut a letter in two and hand on a code that is not UTF-8. */
static void strip_keeps_letters(void **state)
{
	(void)state;
	start(NULL);
	feed("]A\xcc\xb3R4\r", 0);			/* not an AIM id: the third byte is not ASCII */
	expect(SCAN_EV_CODE, "]A\xcc\xb3R4");
	feed("]C1RR123456785KZ\r", 1000);		/* a real one still goes */
	expect(SCAN_EV_CODE, "RR123456785KZ");
	start(half_letter_prefix);
	feed("КК123456785ЛЯ\r", 0);			/* the prefix would take half of К */
	expect(SCAN_EV_ERROR, NULL);
	expect_none();
}

static void double_trigger(void **state)
{
	(void)state;
	start(NULL);
	feed("RR123456785KZ\r", 0);
	expect(SCAN_EV_CODE, "RR123456785KZ");
	feed("RR123456785KZ\r", 300);			/* the trigger bounced */
	expect(SCAN_EV_DUPLICATE, "RR123456785KZ");
	feed("RR123456785KZ\r", 2000);			/* a deliberate second scan */
	expect(SCAN_EV_CODE, "RR123456785KZ");
	feed("RA473124829GB\r", 100);			/* another code at once is a scan */
	expect(SCAN_EV_CODE, "RA473124829GB");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(suffixes),
		cmocka_unit_test(custom_suffix),
		cmocka_unit_test(split_and_stalled),
		cmocka_unit_test(aim_and_prefix),
		cmocka_unit_test(required_symbology),
		cmocka_unit_test(garbage_then_good),
		cmocka_unit_test(long_code),
		cmocka_unit_test(double_trigger),
		cmocka_unit_test(long_max_with_prefix),
		cmocka_unit_test(settings_refused),
		cmocka_unit_test(strip_keeps_letters),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
