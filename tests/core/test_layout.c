/*
 * test_layout.c - the keyboard layouts generated from xkb-data: every
 * character of every code alphabet, typed by a wedge scanner under the
 * Kazakh or Russian layout, maps back; every code kind of the pilot goes
 * through both layouts (with and without Caps Lock) and comes back whole.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "amanat/classify.h"
#include "amanat/layout.h"

static void kazakh_digits(void **state)
{
	char out[64];
	(void)state;
	/* the issue's case: under kz the digits 1, 6, 7 arrive as " , . */
	assert_int_equal(layout_map(KB_KZ, "1", out, sizeof out), 0);
	assert_string_equal(out, "\"");
	layout_map(KB_KZ, "6", out, sizeof out);
	assert_string_equal(out, ",");
	layout_map(KB_KZ, "7", out, sizeof out);
	assert_string_equal(out, ".");
	layout_map(KB_KZ, "2", out, sizeof out);
	assert_string_equal(out, "ә");
	layout_map(KB_RU, "RR402118737KZ", out, sizeof out);
	assert_string_equal(out, "КК402118737ЛЯ");
}

/* Every printable ASCII character a code may hold, typed under l, maps back. */
static void every_key(void **state)
{
	(void)state;
	for (int l = KB_KZ; l < KB__COUNT; l++)
		for (int c = 33; c < 127; c++) {
			char us[2] = { (char)c, '\0' }, typed[16], back[16];
			if (layout_map((enum kb_layout)l, us, typed, sizeof typed))
				continue;	/* not typable under l (checked below for the code alphabets) */
			layout_unmap((enum kb_layout)l, false, typed, back, sizeof back);
			if (strcmp(back, us))
				fail_msg("%s: '%s' arrives as '%s', maps back to '%s'", layout_name((enum kb_layout)l), us, typed, back);
		}
	/* the code alphabets are all typable under both layouts */
	const char *alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-:/~|%_";
	for (int l = KB_KZ; l < KB__COUNT; l++)
		for (const char *p = alphabet; *p; p++) {
			char us[2] = { *p, '\0' }, typed[16];
			if (layout_map((enum kb_layout)l, us, typed, sizeof typed))
				fail_msg("%s: '%c' cannot be typed", layout_name((enum kb_layout)l), *p);
		}
}

/* Caps Lock on: the letter keys give the other case. */
static void with_caps(const char *typed, char *out, size_t len)
{
	/* swap the case of Cyrillic and Latin letters (the typed text is UTF-8) */
	static const char *const pairs[][2] = {
		{ "А", "а" }, { "Б", "б" }, { "В", "в" }, { "Г", "г" }, { "Д", "д" }, { "Е", "е" }, { "Ж", "ж" },
		{ "З", "з" }, { "И", "и" }, { "Й", "й" }, { "К", "к" }, { "Л", "л" }, { "М", "м" }, { "Н", "н" },
		{ "О", "о" }, { "П", "п" }, { "Р", "р" }, { "С", "с" }, { "Т", "т" }, { "У", "у" }, { "Ф", "ф" },
		{ "Х", "х" }, { "Ц", "ц" }, { "Ч", "ч" }, { "Ш", "ш" }, { "Щ", "щ" }, { "Ъ", "ъ" }, { "Ы", "ы" },
		{ "Ь", "ь" }, { "Э", "э" }, { "Ю", "ю" }, { "Я", "я" }, { "Ё", "ё" }, { "Ә", "ә" }, { "І", "і" },
		{ "Ң", "ң" }, { "Ғ", "ғ" }, { "Ү", "ү" }, { "Ұ", "ұ" }, { "Қ", "қ" }, { "Ө", "ө" }, { "Һ", "һ" },
	};
	size_t o = 0;
	while (*typed && o + 4 < len) {
		size_t i, n = sizeof pairs / sizeof pairs[0];
		for (i = 0; i < n; i++) {
			int side = !strncmp(typed, pairs[i][0], strlen(pairs[i][0])) ? 0
				 : !strncmp(typed, pairs[i][1], strlen(pairs[i][1])) ? 1 : -1;
			if (side >= 0) {
				strcpy(out + o, pairs[i][!side]);
				o += strlen(pairs[i][!side]);
				typed += strlen(pairs[i][side]);
				break;
			}
		}
		if (i == n)
			out[o++] = *typed++;
	}
	out[o] = '\0';
}

static void every_code_kind(void **state)
{
	struct waybill_rule r;
	(void)state;
	waybill_rule_default(&r);
	const char *codes[] = { "RR402118737KZ", "RR503112013KZ", "RR777000125KZ", "CLERK-1", "SC-COURIER-9",
				"PM-ALM-0042", "A05", "B01", "R-2026-000123", "R-2026-000123-ACC",
				"AMR1:R-2026-000123:1/2:0A1B2C3D:x|y~", "900101300126", "900101300125" };
	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
		bool valid;
		enum code_kind want = code_classify(&r, codes[i], &valid);
		for (int l = KB_KZ; l < KB__COUNT; l++)
			for (int caps = 0; caps < 2; caps++) {
				char typed[128], as_typed[128], back[128];
				assert_int_equal(layout_map((enum kb_layout)l, codes[i], typed, sizeof typed), 0);
				if (caps)
					with_caps(typed, as_typed, sizeof as_typed);
				else
					strcpy(as_typed, typed);
				code_unmap(&r, as_typed, back, sizeof back);
				if (strcmp(back, codes[i]))
					fail_msg("%s under %s%s arrives as %s, read back as %s", codes[i],
						 layout_name((enum kb_layout)l), caps ? " with Caps Lock" : "", as_typed, back);
				assert_int_equal(code_classify(&r, back, NULL), want);
			}
	}
	char back[64];
	code_unmap(&r, "RR402118737KZ", back, sizeof back);	/* as it is: unchanged */
	assert_string_equal(back, "RR402118737KZ");
	code_unmap(&r, "ККңқә\"\"ү.і.ЛЯ", back, sizeof back);
	assert_string_equal(back, "RR402118737KZ");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(kazakh_digits),
		cmocka_unit_test(every_key),
		cmocka_unit_test(every_code_kind),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
