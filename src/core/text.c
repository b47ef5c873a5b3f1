/*
 * text.c - the shared check of text from outside (text.h).
 *
 * One function decides what text amanat keeps, so that a reason typed on
 * the command line, a CSV field, a sheet code and a register downloaded from
 * the hub are held to the same rule and refused with the same sentence.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "amanat/i18n.h"
#include "amanat/text.h"

/* Decode one character at p (at most left bytes); its length, or 0 when it
 * is not well-formed UTF-8.  *cp gets the code point. */
static size_t utf8_char(const unsigned char *p, size_t left, unsigned *cp)
{
	unsigned c = *p;
	size_t extra = c < 0x80 ? 0 : (c & 0xe0) == 0xc0 ? 1 : (c & 0xf0) == 0xe0 ? 2 : (c & 0xf8) == 0xf0 ? 3 : 4;
	if (extra == 4 || c == 0xc0 || c == 0xc1 || c > 0xf4 || left <= extra)
		return 0;
	unsigned v = extra ? c & (0x3fu >> extra) : c;
	for (size_t k = 1; k <= extra; k++) {
		if ((p[k] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (p[k] & 0x3fu);
	}
	if ((extra == 2 && (v < 0x800 || (v >= 0xd800 && v <= 0xdfff))) ||
	    (extra == 3 && (v < 0x10000 || v > 0x10ffff)))
		return 0;
	*cp = v;
	return extra + 1;
}

bool text_utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned cp;
	for (size_t i = 0; i < n;) {
		size_t len = utf8_char(p + i, n - i, &cp);
		if (!len)
			return false;
		i += len;
	}
	return true;
}

int text_check(const char *where, const char *field, const char *s, size_t n, struct am_error *e)
{
	const unsigned char *p = (const unsigned char *)s;
	const char *sep = where ? ": " : "";
	unsigned cp;
	size_t chars = 0;
	where = where ? where : "";
	for (size_t i = 0; i < n; chars++) {
		size_t len = utf8_char(p + i, n - i, &cp);
		if (!len)
			return am_fail(e, AM_REFUSED, _("%s%sfield '%s' is not UTF-8 text (byte %zu): save or type it as UTF-8"),
				       where, sep, field, i + 1);
		if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
			return am_fail(e, AM_REFUSED, _("%s%sfield '%s' contains a control character (U+%04X at character %zu)"),
				       where, sep, field, cp, chars + 1);
		i += len;
	}
	return 0;
}

int text_check_str(const char *where, const char *field, const char *s, struct am_error *e)
{
	return s ? text_check(where, field, s, strlen(s), e) : 0;
}

size_t text_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

size_t text_fit(const char *s, size_t n, size_t room)
{
	if (n <= room)
		return n;
	while (room > 0 && ((unsigned char)s[room] & 0xC0) == 0x80)
		room--;		/* s[room] continues a letter: end before it */
	return room;
}

void text_copy(char *buf, size_t len, const char *s, size_t n)
{
	if (len == 0)
		return;
	n = text_fit(s, n, len - 1);
	if (n)
		memcpy(buf, s, n);
	buf[n] = '\0';
}

int text_check_name(const char *field, const char *s, size_t max_chars, struct am_error *e)
{
	int rc = text_check_str(NULL, field, s, e);
	if (rc)
		return rc;
	size_t n = text_chars(s);
	if (n > max_chars)
		return am_fail(e, AM_REFUSED, _("field '%s' has at most %zu characters (here %zu): shorten it"),
			       field, max_chars, n);
	return 0;
}

char *text_escape(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	char *out = malloc(n * 4 + 1), *w = out;
	unsigned cp;
	if (!out)
		return NULL;
	for (size_t i = 0; i < n;) {
		size_t len = utf8_char(p + i, n - i, &cp);
		if (len && !(cp < 0x20 || (cp >= 0x7f && cp < 0xa0))) {
			memcpy(w, p + i, len);
			w += len;
			i += len;
			continue;
		}
		len = len ? len : 1;	/* a C1 control is two bytes: escape both */
		for (size_t k = 0; k < len; k++, w += 4)
			snprintf(w, 5, "\\x%02X", p[i + k]);
		i += len;
	}
	*w = '\0';
	return out;
}

int text_check_time(const char *field, int64_t ms, int64_t now_ms, int64_t max_back_ms,
		    int64_t max_ahead_ms, struct am_error *e)
{
	if (ms > now_ms && ms - now_ms > max_ahead_ms)
		return am_fail(e, AM_REFUSED, _("field '%s' is more than %lld days ahead: check the date"),
			       field, (long long)(max_ahead_ms / 86400000));
	if (ms < now_ms && now_ms - ms > max_back_ms)
		return am_fail(e, AM_REFUSED, _("field '%s' is more than %lld days back: check the date"),
			       field, (long long)(max_back_ms / 86400000));
	return 0;
}

int text_parse_count(const char *field, const char *s, long max, long *out, struct am_error *e)
{
	long v = 0;
	const char *p = s;
	if (!*p)
		goto bad;
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			goto bad;
		v = v * 10 + (*p - '0');
		if (v > max)
			goto bad;
	}
	if (v < 1)
		goto bad;
	*out = v;
	return 0;
bad:
	return am_fail(e, AM_REFUSED, _("field '%s' must be a whole number from 1 to %ld"), field, max);
}
