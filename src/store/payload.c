/*
 * payload.c - event payloads written straight into a buffer.
 *
 * An event's payload is part of its hashed record, so its bytes must be
 * exactly what jansson writes (json_dumps with JSON_COMPACT |
 * JSON_SORT_KEYS): every payload of the log so far was written that way.
 * Building a JSON tree for every scan shows in the scan's CPU time; this
 * writer appends "key":"value" pairs in the order the caller gives (which
 * must be jansson's sorted order) and escapes only what jansson escapes
 * for such text (" and \).  A value it does not write the same way for
 * certain (a control character, text that is not UTF-8) makes the result
 * NULL: the caller then uses jansson.  Builds with AddressSanitizer (every
 * test) compare both for every payload (envelope.c, register_import.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "amanat/text.h"
#include "store_internal.h"

void pb_start(struct pbuf *b)
{
	b->p = b->buf;
	b->ok = true;
	b->last_key = "";
	*b->p++ = '{';
}

static void put(struct pbuf *b, const char *s, size_t n)
{
	if (!b->ok || (size_t)(b->buf + sizeof b->buf - b->p) <= n + 2) {
		b->ok = false;
		return;
	}
	memcpy(b->p, s, n);
	b->p += n;
}

static void put_key(struct pbuf *b, const char *key)
{
	if (strcmp(b->last_key, key) >= 0)	/* not jansson's order: let it write */
		b->ok = false;
	b->last_key = key;
	if (b->p > b->buf + 1)
		put(b, ",", 1);
	put(b, "\"", 1);
	put(b, key, strlen(key));
	put(b, "\":", 2);
}

void pb_str(struct pbuf *b, const char *key, const char *value)
{
	size_t n = value ? strlen(value) : 0;
	put_key(b, key);
	if (!value || !text_utf8_valid(value, n)) {	/* jansson leaves the key out */
		b->ok = false;
		return;
	}
	put(b, "\"", 1);
	for (const unsigned char *c = (const unsigned char *)value; b->ok && *c; c++) {
		if (*c < 0x20 || *c == 0x7f)
			b->ok = false;
		else if (*c == '"' || *c == '\\')
			put(b, (const char[]){ '\\', (char)*c }, 2);
		else
			put(b, (const char *)c, 1);
	}
	put(b, "\"", 1);
}

void pb_bool(struct pbuf *b, const char *key, bool value)
{
	put_key(b, key);
	put(b, value ? "true" : "false", value ? 4 : 5);
}

const char *pb_end(struct pbuf *b)
{
	put(b, "}", 1);
	if (!b->ok)
		return NULL;
	*b->p = '\0';
	return b->buf;
}

void pb_check(const char *fast, const char *slow)
{
	if (fast && (!slow || strcmp(fast, slow))) {
		fprintf(stderr, "payload.c wrote %s where jansson writes %s\n", fast, slow ? slow : "(nothing)");
		abort();
	}
}
