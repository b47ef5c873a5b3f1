/*
 * test_text.c - the screen's own measure of human text (src/ui/text.c):
 * widths in display columns, wrapping between words, and text cut inside a
 * letter by a byte buffer elsewhere keeping every whole letter before the
 * cut instead of vanishing (a stray bad byte shows as U+FFFD).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <locale.h>
#include <wchar.h>
#include <cmocka.h>
#include "ui/ui_internal.h"

static int utf8_locale(void **state)
{
	(void)state;
	if (!setlocale(LC_ALL, "C.UTF-8"))
		return -1;
	return 0;
}

static void widths(void **state)
{
	(void)state;
	assert_int_equal(ui_width(""), 0);
	assert_int_equal(ui_width("RR402118737KZ"), 13);
	assert_int_equal(ui_width("Қабылдау"), 8);	/* 16 bytes, 8 letters */
	assert_int_equal(ui_width("日本"), 4);		/* two wide letters */
	assert_int_equal(ui_width("✓ A07"), 5);
}

static void cut_inside_a_letter(void **state)
{
	(void)state;
	/* "Қабы" with the last letter's second byte lost: three whole letters */
	const char cut[] = "\xd2\x9a\xd0\xb0\xd0\xb1\xd1";
	assert_int_equal(ui_width(cut), 3);
	struct wrapped w;
	assert_int_equal(ui_wrap(cut, 20, &w), 1);
	assert_int_equal(w.n, 1);
	assert_int_equal(wcscmp(w.line[0], L"Қаб"), 0);
	ui_wrap_free(&w);
}

static void stray_byte(void **state)
{
	(void)state;
	/* a lone continuation byte in the middle: one replacement letter, the
	 * rest of the line kept */
	const char bad[] = "A\x80" "Б";
	assert_int_equal(ui_width(bad), 3);
	struct wrapped w;
	assert_int_equal(ui_wrap(bad, 20, &w), 1);
	assert_int_equal(wcscmp(w.line[0], L"A\uFFFDБ"), 0);
	ui_wrap_free(&w);
}

static void wraps_between_words(void **state)
{
	(void)state;
	struct wrapped w;
	/* 20 columns: never "салын" / "ды" */
	assert_int_equal(ui_wrap("✓ A07 ұяшығына салынды", 20, &w), 2);
	assert_int_equal(wcscmp(w.line[0], L"✓ A07 ұяшығына"), 0);
	assert_int_equal(wcscmp(w.line[1], L"салынды"), 0);
	assert_false(w.cut_word);
	ui_wrap_free(&w);
	/* a word longer than the line is cut, and says so */
	assert_int_equal(ui_wrap("Қабылданбағандардың", 8, &w), 3);
	assert_true(w.cut_word);
	ui_wrap_free(&w);
	/* a path breaks after its slashes, whole folder names on each row */
	assert_int_equal(ui_wrap("файл жоқ: /var/lib/amanat/inbox/registers", 20, &w), 3);
	assert_int_equal(wcscmp(w.line[0], L"файл жоқ:"), 0);
	assert_int_equal(wcscmp(w.line[1], L"/var/lib/amanat/"), 0);
	assert_int_equal(wcscmp(w.line[2], L"inbox/registers"), 0);
	assert_false(w.cut_word);
	ui_wrap_free(&w);
}

/* ui_cut: a text for a fixed room ends at a word with "…", in columns */
static void cut_at_a_word(void **state)
{
	(void)state;
	char *c = ui_cut("Қайтарым шығысы тізілімі", 18);
	assert_string_equal(c, "Қайтарым шығысы…");
	free(c);
	c = ui_cut("Қабылдау", 8);			/* fits: whole */
	assert_string_equal(c, "Қабылдау");
	free(c);
	c = ui_cut("日本日本日本", 7);			/* wide letters: 3 fit with "…" */
	assert_string_equal(c, "日本日…");
	free(c);
	c = ui_cut("\xd2\x9a\xd0\xb0\xd0", 5);	/* cut inside a letter: the whole ones */
	assert_string_equal(c, "Қа");
	free(c);
	c = ui_cut("anything", 0);
	assert_string_equal(c, "");
	free(c);
}

/* ui_cut_left: a code for a small room keeps its tail after "…" */
static void cut_keeps_the_tail(void **state)
{
	(void)state;
	char *c = ui_cut_left("RR402118737KZ", 8);
	assert_string_equal(c, "…18737KZ");
	free(c);
	c = ui_cut_left("A07", 8);			/* fits: whole */
	assert_string_equal(c, "A07");
	free(c);
	c = ui_cut_left("日本日本日本", 7);		/* wide letters: 3 fit after "…" */
	assert_string_equal(c, "…本日本");
	free(c);
	c = ui_cut_left("Қабылдау", 1);
	assert_string_equal(c, "…");
	free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(widths),
		cmocka_unit_test(cut_inside_a_letter),
		cmocka_unit_test(stray_byte),
		cmocka_unit_test(wraps_between_words),
		cmocka_unit_test(cut_at_a_word),
		cmocka_unit_test(cut_keeps_the_tail),
	};
	return cmocka_run_group_tests(tests, utf8_locale, NULL);
}
