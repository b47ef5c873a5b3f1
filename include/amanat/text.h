/*
 * text.h - the one check every text from outside passes at the edge: the
 * command line, register files (JSON, CSV, sheet codes), downloads from the
 * hub.  Text is kept only when it is well-formed UTF-8 with no control
 * characters (C0, DEL, C1), so that nothing raw reaches a terminal, a JSON
 * document or a printed act.  The refusal names the field.
 */
#ifndef AMANAT_TEXT_H
#define AMANAT_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "amanat/error.h"

/* Well-formed UTF-8 of n bytes: no overlong forms, no surrogates, nothing
 * past U+10FFFF. */
bool text_utf8_valid(const char *s, size_t n);

/* 0 when the n bytes of s are well-formed UTF-8 without control characters
 * (a NUL inside counts as one); else AM_REFUSED with "field 'FIELD' ...".
 * where (may be NULL) prefixes the message: "line 4", "item 2". */
int text_check(const char *where, const char *field, const char *s, size_t n, struct am_error *e);

/* text_check of a C string. */
int text_check_str(const char *where, const char *field, const char *s, struct am_error *e);

/* Characters (code points) in well-formed UTF-8: what a person counts. */
size_t text_chars(const char *s);

/* How many of the n bytes of s fit in room bytes ending at a whole letter:
 * n itself when n <= room, else room or less (never half a Kazakh letter,
 * which would make the rest invalid UTF-8). */
size_t text_fit(const char *s, size_t n, size_t room);

/* The n bytes of s copied into buf of len bytes (len > 0), NUL-terminated,
 * ending before a letter that does not fit. */
void text_copy(char *buf, size_t len, const char *s, size_t n);

/* text_check_str, and at most max_chars characters (a name, a reason):
 * refused with the count, never cut. */
int text_check_name(const char *field, const char *s, size_t max_chars, struct am_error *e);

/* A malloc'd copy of n bytes of s fit to show or put in JSON: each byte that
 * is not part of well-formed UTF-8, and each control character, becomes
 * "\xNN".  NULL when memory runs out. */
char *text_escape(const char *s, size_t n);

/* A time typed or imported from outside: refused (naming the field) unless it
 * lies within max_ahead_ms after and max_back_ms before ref_ms (now, or the
 * start of a period). */
int text_check_time(const char *field, int64_t ms, int64_t ref_ms, int64_t max_back_ms,
		    int64_t max_ahead_ms, struct am_error *e);

/* A count typed on the command line: digits only, 1..max. */
int text_parse_count(const char *field, const char *s, long max, long *out, struct am_error *e);

#endif
