/*
 * codes.c - waybill and IIN validation, and the keyboard-wedge layout fix.
 *
 * A code is checked completely here, before any other module sees it: the
 * reason for a refusal is a sentence the clerk can act on.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "amanat/codes.h"
#include "amanat/layout.h"
#include "amanat/i18n.h"

void waybill_rule_default(struct waybill_rule *r)
{
	memset(r, 0, sizeof *r);
	r->format = WAYBILL_S10;
	r->min_len = 8;
	r->max_len = 20;
}

int waybill_rule_parse(struct waybill_rule *r, const char *spec)
{
	waybill_rule_default(r);
	if (!spec || !*spec || strcmp(spec, "s10") == 0)
		return 0;
	if (strncmp(spec, "luhn", 4) == 0) {
		r->format = WAYBILL_LUHN;
		if (spec[4] == '\0')
			return 0;
		/* "luhn:MIN-MAX", each a number of 1 or 2 digits (no sscanf: its
		 * %d is undefined on a number too large) */
		char *end;
		if (spec[4] != ':' || !isdigit((unsigned char)spec[5]))
			return -1;
		long lo = strtol(spec + 5, &end, 10);
		if (end - (spec + 5) > 2 || *end != '-' || !isdigit((unsigned char)end[1]))
			return -1;
		const char *hi_at = end + 1;
		long hi = strtol(hi_at, &end, 10);
		if (end - hi_at > 2 || *end || lo < 2 || hi < lo || hi > 30)
			return -1;
		r->min_len = (int)lo;
		r->max_len = (int)hi;
		return 0;
	}
	if (strncmp(spec, "pattern:", 8) == 0) {
		size_t n = strlen(spec + 8);
		if (n == 0 || n >= sizeof r->pattern || n > 30)
			return -1;
		r->format = WAYBILL_PATTERN;
		memcpy(r->pattern, spec + 8, n + 1);
		return 0;
	}
	return -1;
}

int s10_check_digit(const char *serial8)
{
	static const int w[8] = { 8, 6, 4, 2, 3, 5, 9, 7 };
	int sum = 0;
	for (int i = 0; i < 8; i++) {
		if (!isdigit((unsigned char)serial8[i]))
			return -1;
		sum += (serial8[i] - '0') * w[i];
	}
	int c = 11 - sum % 11;
	if (c == 10)
		return 0;
	if (c == 11)
		return 5;
	return c;
}

bool luhn_valid(const char *s)
{
	size_t n = strlen(s);
	int sum = 0;
	if (n < 2)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[n - 1 - i]))
			return false;
		int d = s[n - 1 - i] - '0';
		if (i % 2 == 1) {
			d *= 2;
			if (d > 9)
				d -= 9;
		}
		sum += d;
	}
	return sum % 10 == 0;
}

static bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
static bool is_digit(char c) { return c >= '0' && c <= '9'; }

static int validate_s10(const char *code, char *why, size_t whylen)
{
	size_t n = strlen(code);
	if (n != 13) {
		snprintf(why, whylen, _("a waybill has 13 characters (like RR123456785KZ), this one has %zu"), n);
		return -1;
	}
	if (!is_upper(code[0]) || !is_upper(code[1])) {
		snprintf(why, whylen, _("a waybill starts with two capital Latin letters"));
		return -1;
	}
	for (int i = 2; i < 11; i++)
		if (!is_digit(code[i])) {
			snprintf(why, whylen, _("characters 3 to 11 of a waybill are digits"));
			return -1;
		}
	if (!is_upper(code[11]) || !is_upper(code[12])) {
		snprintf(why, whylen, _("a waybill ends with a two-letter country code"));
		return -1;
	}
	int check = s10_check_digit(code + 2);
	if (check != code[10] - '0') {
		snprintf(why, whylen, _("check digit is wrong (expected %d): misread or mistyped code, scan it again"), check);
		return -1;
	}
	return 0;
}

static int validate_pattern(const char *pat, const char *code, char *why, size_t whylen)
{
	size_t n = strlen(code);
	if (n != strlen(pat)) {
		snprintf(why, whylen, _("code does not match the pattern %s"), pat);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		char p = pat[i], c = code[i];
		bool ok = p == 'A' ? is_upper(c) : p == '9' ? is_digit(c)
			: p == '*' ? (is_upper(c) || is_digit(c)) : c == p;
		if (!ok) {
			snprintf(why, whylen, _("character %zu does not match the pattern %s"), i + 1, pat);
			return -1;
		}
	}
	return 0;
}

int waybill_validate(const struct waybill_rule *r, const char *code, char *why, size_t whylen)
{
	char dummy[8];
	if (!why) {
		why = dummy;
		whylen = sizeof dummy;
	}
	if (!code || !*code) {
		snprintf(why, whylen, _("empty code"));
		return -1;
	}
	for (const char *p = code; *p; p++)
		if ((unsigned char)*p < 0x21 || (unsigned char)*p > 0x7e) {
			snprintf(why, whylen, _("code contains a character that is not a letter or digit"));
			return -1;
		}
	switch (r->format) {
	case WAYBILL_S10:
		return validate_s10(code, why, whylen);
	case WAYBILL_LUHN: {
		size_t n = strlen(code);
		if ((int)n < r->min_len || (int)n > r->max_len) {
			snprintf(why, whylen, _("a waybill has %d to %d digits"), r->min_len, r->max_len);
			return -1;
		}
		for (size_t i = 0; i < n; i++)
			if (!is_digit(code[i])) {
				snprintf(why, whylen, _("a waybill has only digits"));
				return -1;
			}
		if (!luhn_valid(code)) {
			snprintf(why, whylen, _("check digit is wrong: misread or mistyped code, scan it again"));
			return -1;
		}
		return 0;
	}
	case WAYBILL_PATTERN:
		return validate_pattern(r->pattern, code, why, whylen);
	}
	return -1;
}

int iin_validate(const char *iin, char *why, size_t whylen)
{
	static const int w2[11] = { 3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2 };
	char dummy[8];
	int d[12];
	if (!why) {
		why = dummy;
		whylen = sizeof dummy;
	}
	if (!iin || strlen(iin) != 12) {
		snprintf(why, whylen, _("an IIN has 12 digits"));
		return -1;
	}
	for (int i = 0; i < 12; i++) {
		if (!is_digit(iin[i])) {
			snprintf(why, whylen, _("an IIN has only digits"));
			return -1;
		}
		d[i] = iin[i] - '0';
	}
	int mm = d[2] * 10 + d[3], dd = d[4] * 10 + d[5], c = d[6];
	if (c < 1 || c > 6) {
		snprintf(why, whylen, _("digit 7 of an IIN (century and sex) must be 1 to 6"));
		return -1;
	}
	int year = (c <= 2 ? 1800 : c <= 4 ? 1900 : 2000) + d[0] * 10 + d[1];
	int mdays = 31;
	if (mm >= 1 && mm <= 12) {
		static const int len[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
		mdays = len[mm - 1];
		if (mm == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0))
			mdays = 29;
	}
	if (mm < 1 || mm > 12 || dd < 1 || dd > mdays) {
		snprintf(why, whylen, _("the first 6 digits of an IIN are not a valid birth date"));
		return -1;
	}
	int s = 0;
	for (int i = 0; i < 11; i++)
		s += d[i] * (i + 1);
	s %= 11;
	if (s == 10) {
		s = 0;
		for (int i = 0; i < 11; i++)
			s += d[i] * w2[i];
		s %= 11;
		if (s == 10) {
			snprintf(why, whylen, _("this IIN cannot have a valid check digit"));
			return -1;
		}
	}
	if (s != d[11]) {
		snprintf(why, whylen, _("IIN check digit is wrong"));
		return -1;
	}
	return 0;
}

void iin_mask(const char *iin, char *out, size_t outlen)
{
	size_t n = iin ? strlen(iin) : 0;
	if (n == 0) {
		snprintf(out, outlen, "%s", "");
		return;
	}
	char buf[32];
	size_t keep = n > 6 ? 6 : 0;
	for (size_t i = 0; i < n && i < sizeof buf - 1; i++)
		buf[i] = (char)(i < keep ? iin[i] : '*');
	buf[n < sizeof buf - 1 ? n : sizeof buf - 1] = '\0';
	snprintf(out, outlen, "%s", buf);
}

/* The layout is told by its characters: a Kazakh letter or one of the
 * characters the Kazakh digit row gives (" , . №) means Kazakh, any other
 * Cyrillic letter Russian.  The tables come from xkb-data (layout.c). */
int wedge_unmap(const char *in, char *out, size_t outlen)
{
	static const char *const kazakh[] = { "ә", "і", "ң", "ғ", "ү", "ұ", "қ", "ө", "һ", "Ә", "І", "Ң",
					      "Ғ", "Ү", "Ұ", "Қ", "Ө", "Һ", "\"", ",", ".", "№" };
	enum kb_layout l = KB_RU;
	for (size_t i = 0; i < sizeof kazakh / sizeof kazakh[0]; i++)
		if (strstr(in, kazakh[i]))
			l = KB_KZ;
	return (int)layout_unmap(l, false, in, out, outlen);
}
