/*
 * json_in.c - the hub's reader of a JSON body: the same values jansson's
 * json_loadb(body, len, 0, ...) gives, several times faster.
 *
 * Why: an upload of 500 events (~170 kB) took jansson 12-14 ms to read on
 * the development machine (~25 us an event, the largest of the hub's own
 * costs in a burst; perf: its byte-at-a-time lexer with a growing buffer
 * for every string, then malloc).  This reader walks the bytes once,
 * validates UTF-8 per string in one pass, and hands jansson finished
 * strings (json_stringn_nocheck, json_object_setn_new_nocheck).
 *
 * What it accepts is what jansson accepts with flags 0 (RFC 8259), checked
 * against jansson by tests/hub/test_json_in.c on valid and broken inputs:
 * an object or an array at the top, nothing but white space after it;
 * strings of valid UTF-8 (no overlong forms, no surrogates, nothing past
 * U+10FFFF) without control characters, escapes as RFC 8259 lists them,
 * \u surrogate pairs whole and \u0000 refused; integers that fit in
 * json_int_t (otherwise refused, as jansson does), reals that do not
 * overflow; a repeated key keeps its last value; at most 2048 levels.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "hub.h"

#define MAX_DEPTH 2048
#define rd hub_rd

void hub_rd_ws(struct rd *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\n' || *r->p == '\t' || *r->p == '\r'))
		r->p++;
}

/* The length of the valid UTF-8 sequence starting at s (n bytes there), 0
 * when invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	if (c < 0x80)
		return 1;
	if (c < 0xC2 || c > 0xF4)
		return 0;
	size_t len = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	if (c == 0xE0 && s[1] < 0xA0)	/* overlong */
		return 0;
	if (c == 0xED && s[1] >= 0xA0)	/* a surrogate */
		return 0;
	if (c == 0xF0 && s[1] < 0x90)	/* overlong */
		return 0;
	if (c == 0xF4 && s[1] >= 0x90)	/* past U+10FFFF */
		return 0;
	return len;
}

static int hex4(const char *p, const char *end, unsigned *out)
{
	unsigned v = 0;
	if (end - p < 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
			: c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (d < 0)
			return -1;
		v = v << 4 | (unsigned)d;
	}
	*out = v;
	return 0;
}

static bool tmp_room(struct rd *r, size_t need)
{
	if (need <= r->tmp_cap)
		return true;
	size_t cap = r->tmp_cap ? r->tmp_cap : 256;
	while (cap < need)
		cap *= 2;
	char *t = realloc(r->tmp, cap);
	if (!t)
		return false;
	r->tmp = t;
	r->tmp_cap = cap;
	return true;
}

/* A string at r->p (just after its opening quote): *s and *n its decoded
 * text (in the body itself when it has no escape, else in r->tmp). */
int hub_rd_string(struct rd *r, const char **s, size_t *n)
{
	const char *start = r->p;
	while (r->p < r->end) {
		unsigned char c = (unsigned char)*r->p;
		if (c == '"') {
			*s = start;
			*n = (size_t)(r->p - start);
			r->p++;
			return 0;
		}
		if (c == '\\')
			break;
		if (c < 0x20)
			return -1;
		size_t k = c < 0x80 ? 1 : utf8_len((const unsigned char *)r->p, (size_t)(r->end - r->p));
		if (!k)
			return -1;
		r->p += k;
	}
	if (r->p >= r->end)
		return -1;
	/* escapes: decode into tmp (never longer than the source) */
	size_t done = (size_t)(r->p - start);
	if (!tmp_room(r, done + (size_t)(r->end - r->p)))
		return -1;
	char *o = r->tmp;
	memcpy(o, start, done);
	o += done;
	while (r->p < r->end) {
		unsigned char c = (unsigned char)*r->p;
		if (c == '"') {
			*s = r->tmp;
			*n = (size_t)(o - r->tmp);
			r->p++;
			return 0;
		}
		if (c < 0x20)
			return -1;
		if (c != '\\') {
			size_t k = c < 0x80 ? 1 : utf8_len((const unsigned char *)r->p, (size_t)(r->end - r->p));
			if (!k)
				return -1;
			memcpy(o, r->p, k);
			o += k;
			r->p += k;
			continue;
		}
		if (++r->p >= r->end)
			return -1;
		char e = *r->p++;
		static const char simple[][2] = { { '"', '"' }, { '\\', '\\' }, { '/', '/' }, { 'b', '\b' },
						  { 'f', '\f' }, { 'n', '\n' }, { 'r', '\r' }, { 't', '\t' } };
		size_t k = 0;
		while (k < sizeof simple / sizeof *simple && simple[k][0] != e)
			k++;
		if (k < sizeof simple / sizeof *simple) {
			*o++ = simple[k][1];
			continue;
		}
		unsigned u, lo;
		if (e != 'u' || hex4(r->p, r->end, &u))
			return -1;
		r->p += 4;
		if (u >= 0xDC00 && u <= 0xDFFF)
			return -1;	/* a low surrogate alone */
		if (u >= 0xD800 && u <= 0xDBFF) {
			if (r->end - r->p < 6 || r->p[0] != '\\' || r->p[1] != 'u' || hex4(r->p + 2, r->end, &lo)
			    || lo < 0xDC00 || lo > 0xDFFF)
				return -1;
			r->p += 6;
			u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
		}
		if (u == 0)
			return -1;	/* jansson refuses \u0000 without JSON_ALLOW_NUL */
		/* at most 4 bytes out for 6 or 12 in */
		if (u < 0x80) {
			*o++ = (char)u;
		} else if (u < 0x800) {
			*o++ = (char)(0xC0 | u >> 6);
			*o++ = (char)(0x80 | (u & 0x3F));
		} else if (u < 0x10000) {
			*o++ = (char)(0xE0 | u >> 12);
			*o++ = (char)(0x80 | (u >> 6 & 0x3F));
			*o++ = (char)(0x80 | (u & 0x3F));
		} else {
			*o++ = (char)(0xF0 | u >> 18);
			*o++ = (char)(0x80 | (u >> 12 & 0x3F));
			*o++ = (char)(0x80 | (u >> 6 & 0x3F));
			*o++ = (char)(0x80 | (u & 0x3F));
		}
	}
	return -1;
}

static bool digit(const struct rd *r)
{
	return r->p < r->end && *r->p >= '0' && *r->p <= '9';
}

int hub_rd_number(struct rd *r, bool *real, long long *i, double *d)
{
	const char *start = r->p;
	*real = false;
	if (r->p < r->end && *r->p == '-')
		r->p++;
	if (!digit(r))
		return -1;
	if (*r->p == '0')
		r->p++;
	else
		while (digit(r))
			r->p++;
	if (r->p < r->end && *r->p == '.') {
		*real = true;
		r->p++;
		if (!digit(r))
			return -1;
		while (digit(r))
			r->p++;
	}
	if (r->p < r->end && (*r->p == 'e' || *r->p == 'E')) {
		*real = true;
		r->p++;
		if (r->p < r->end && (*r->p == '+' || *r->p == '-'))
			r->p++;
		if (!digit(r))
			return -1;
		while (digit(r))
			r->p++;
	}
	char buf[64];
	size_t n = (size_t)(r->p - start);
	char *copy = n < sizeof buf ? buf : malloc(n + 1);
	if (!copy)
		return -1;
	memcpy(copy, start, n);
	copy[n] = '\0';
	int rc = 0;
	errno = 0;
	if (!*real) {
		*i = strtoll(copy, NULL, 10);
		rc = errno ? -1 : 0;	/* too big for json_int_t: refused, as jansson does */
	} else {
		*d = strtod(copy, NULL);
		rc = errno == ERANGE && (*d > 1 || *d < -1) ? -1 : 0;	/* an overflow, not an underflow to 0 */
	}
	if (copy != buf)
		free(copy);
	return rc;
}

static json_t *number(struct rd *r)
{
	bool real;
	long long i = 0;
	double d = 0;
	if (hub_rd_number(r, &real, &i, &d))
		return NULL;
	return real ? json_real(d) : json_integer((json_int_t)i);
}

static bool word(struct rd *r, const char *w, size_t n)
{
	if ((size_t)(r->end - r->p) < n || memcmp(r->p, w, n))
		return false;
	r->p += n;
	return true;
}

/* Any value, checked as value() checks it, built into nothing. */
int hub_rd_skip(struct rd *r)
{
	hub_rd_ws(r);
	if (r->p >= r->end)
		return -1;
	char c = *r->p;
	if (c == '"') {
		const char *s;
		size_t n;
		r->p++;
		return hub_rd_string(r, &s, &n);
	}
	if (c == '{' || c == '[') {
		char close = c == '{' ? '}' : ']';
		if (++r->depth > MAX_DEPTH)
			return -1;
		r->p++;
		hub_rd_ws(r);
		if (r->p < r->end && *r->p == close) {
			r->p++;
			r->depth--;
			return 0;
		}
		for (;;) {
			if (c == '{') {
				const char *k;
				size_t kn;
				hub_rd_ws(r);
				if (r->p >= r->end || *r->p != '"')
					return -1;
				r->p++;
				if (hub_rd_string(r, &k, &kn))
					return -1;
				hub_rd_ws(r);
				if (r->p >= r->end || *r->p != ':')
					return -1;
				r->p++;
			}
			if (hub_rd_skip(r))
				return -1;
			hub_rd_ws(r);
			if (r->p < r->end && *r->p == ',') {
				r->p++;
				continue;
			}
			if (r->p < r->end && *r->p == close) {
				r->p++;
				r->depth--;
				return 0;
			}
			return -1;
		}
	}
	if (c == '-' || (c >= '0' && c <= '9')) {
		bool real;
		long long i;
		double d;
		return hub_rd_number(r, &real, &i, &d);
	}
	return word(r, "true", 4) || word(r, "false", 5) || word(r, "null", 4) ? 0 : -1;
}

static json_t *value(struct rd *r);

static json_t *object(struct rd *r)
{
	json_t *o = json_object();
	hub_rd_ws(r);
	if (r->p < r->end && *r->p == '}') {
		r->p++;
		return o;
	}
	while (o) {
		const char *k;
		size_t kn;
		hub_rd_ws(r);
		if (r->p >= r->end || *r->p != '"')
			break;
		r->p++;
		if (hub_rd_string(r, &k, &kn))
			break;
		/* the key may sit in tmp, which the value's strings reuse */
		char kb[128], *key = kn < sizeof kb ? kb : malloc(kn + 1);
		if (!key)
			break;
		memcpy(key, k, kn);
		key[kn] = '\0';
		hub_rd_ws(r);
		json_t *v = NULL;
		if (r->p < r->end && *r->p == ':') {
			r->p++;
			v = value(r);
		}
		int bad = !v || json_object_setn_new_nocheck(o, key, kn, v);
		if (key != kb)
			free(key);
		if (bad)
			break;
		hub_rd_ws(r);
		if (r->p < r->end && *r->p == ',') {
			r->p++;
			continue;
		}
		if (r->p < r->end && *r->p == '}') {
			r->p++;
			return o;
		}
		break;
	}
	json_decref(o);
	return NULL;
}

static json_t *array(struct rd *r)
{
	json_t *a = json_array();
	hub_rd_ws(r);
	if (r->p < r->end && *r->p == ']') {
		r->p++;
		return a;
	}
	while (a) {
		json_t *v = value(r);
		if (!v || json_array_append_new(a, v))
			break;
		hub_rd_ws(r);
		if (r->p < r->end && *r->p == ',') {
			r->p++;
			continue;
		}
		if (r->p < r->end && *r->p == ']') {
			r->p++;
			return a;
		}
		break;
	}
	json_decref(a);
	return NULL;
}

static json_t *value(struct rd *r)
{
	hub_rd_ws(r);
	if (r->p >= r->end)
		return NULL;
	char c = *r->p;
	json_t *v = NULL;
	if (c == '"') {
		const char *s;
		size_t n;
		r->p++;
		return hub_rd_string(r, &s, &n) ? NULL : json_stringn_nocheck(s, n);
	}
	if (c == '{' || c == '[') {
		if (++r->depth > MAX_DEPTH)
			return NULL;
		r->p++;
		v = c == '{' ? object(r) : array(r);
		r->depth--;
		return v;
	}
	if (c == '-' || (c >= '0' && c <= '9'))
		return number(r);
	if (word(r, "true", 4))
		return json_true();
	if (word(r, "false", 5))
		return json_false();
	if (word(r, "null", 4))
		return json_null();
	return NULL;
}

json_t *hub_json_loadb(const char *body, size_t len)
{
	struct rd r = { body, body + len, NULL, 0, 0 };
	hub_rd_ws(&r);
	json_t *v = NULL;
	if (r.p < r.end && (*r.p == '{' || *r.p == '['))
		v = value(&r);
	hub_rd_ws(&r);
	if (v && r.p != r.end) {
		json_decref(v);
		v = NULL;
	}
	free(r.tmp);
	return v;
}
