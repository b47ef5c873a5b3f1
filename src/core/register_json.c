/*
 * register_json.c - a register file in JSON read into a struct reg.
 *
 * jansson reads any JSON and says where it is broken, but for a register
 * of 10,000 lines its tree (an object, its strings and a hash table a
 * line, each malloc'd) cost more than importing the lines.  So a file of
 * the plain shape registers have is read first in one pass without a tree
 * (quick_read): an object whose "items" is a list of objects, the values
 * strings without escapes, integers, null, true or false.  Anything else
 * (an escape, a nested value, a refusal of any kind) is read again by
 * jansson (tree_read), whose reading and messages are the reference:
 * quick_read accepts only what tree_read accepts and gives the same
 * register (tests/core/test_register.c and fuzz_register_json compare the
 * two).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "amanat/i18n.h"
#include "amanat/register.h"
#include "amanat/text.h"
#include "register_fields.h"

static const char *const head_keys[5] = { "register", "kind", "from", "to", "formed_at" };
static const char *const line_keys[5] = { "waybill", "application", "postomat", "city", "iin" };

/* ---- jansson's reading: the reference ---------------------------------- */

static int json_field(json_t *obj, const char *key, char *dst, size_t cap, const char *where,
		      bool required, struct am_error *e)
{
	json_t *v = json_object_get(obj, key);
	char num[32];
	const char *s = NULL;
	if (v && json_is_string(v))
		s = json_string_value(v);
	else if (v && json_is_integer(v)) {
		snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		s = num;
	} else if (v && !json_is_null(v))
		return am_fail(e, AM_REFUSED, _("%s: field '%s' must be a string"), where, key);
	return register_put_field(dst, cap, s, s ? strlen(s) : 0, where, key, required, e);
}

/* Where and why jansson could not read the file, said as a person would
 * fix it: a file cut short, a comma before the closing bracket. */
static int json_syntax(const char *text, const json_error_t *je, struct am_error *e)
{
	if (json_error_code(je) == json_error_premature_end_of_input)
		return am_fail(e, AM_REFUSED, _("the file ends at line %d before the register does (cut off when it was copied?) - copy the register file again from where it came"),
			       je->line);
	if (json_error_code(je) == json_error_invalid_syntax && je->position > 0 &&
	    (text[je->position - 1] == ']' || text[je->position - 1] == '}')) {
		int p = je->position - 1;
		while (p > 0 && text[p - 1] && strchr(" \t\r\n", text[p - 1]))
			p--;
		if (p > 0 && text[p - 1] == ',')
			return am_fail(e, AM_REFUSED, _("not valid JSON at line %d, column %d: a comma before '%c' - remove that comma, or ask the sender for a corrected file"),
				       je->line, je->column, text[je->position - 1]);
	}
	return am_fail(e, AM_REFUSED, _("not valid JSON at line %d, column %d: %s"), je->line, je->column, je->text);
}

int register_parse_json_tree(const char *text, size_t len, const struct waybill_rule *rule,
			     int offset_min, struct reg *out, struct am_error *e)
{
	json_error_t je;
	char hdr[5][REG_FIELD_MAX];
	int rc = 0;

	memset(out, 0, sizeof *out);
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (!root)
		return json_syntax(text, &je, e);
	if (!json_is_object(root)) {
		rc = am_fail(e, AM_REFUSED, "%s", _("the file holds JSON but not one object: a register file is one JSON object {\"register\": …, \"items\": […]}"));
		goto out;
	}
	for (int i = 0; i < 5; i++)
		if ((rc = json_field(root, head_keys[i], hdr[i], sizeof hdr[i], _("register"), true, e)))
			goto out;
	if ((rc = register_parse_header(out, hdr[0], hdr[1], hdr[2], hdr[3], hdr[4], offset_min,
					_("register"), e)))
		goto out;
	json_t *items = json_object_get(root, "items");
	if (!json_is_array(items)) {
		rc = am_fail(e, AM_REFUSED, _("register: field 'items' must be a list"));
		goto out;
	}
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it) {
		struct register_line l;
		char where[64];
		memset(&l, 0, sizeof l);
		snprintf(where, sizeof where, _("item %zu"), i + 1);
		if (!json_is_object(it)) {
			rc = am_fail(e, AM_REFUSED, _("%s: must be an object"), where);
			goto out;
		}
		if ((rc = json_field(it, "waybill", l.waybill, sizeof l.waybill, where, true, e)) ||
		    (rc = json_field(it, "application", l.application, sizeof l.application, where, false, e)) ||
		    (rc = json_field(it, "postomat", l.postomat, sizeof l.postomat, where, false, e)) ||
		    (rc = json_field(it, "city", l.city, sizeof l.city, where, false, e)) ||
		    (rc = json_field(it, "iin", l.iin, sizeof l.iin, where, false, e)))
			goto out;
		if (register_add_line(out, &l)) {
			rc = am_fail(e, AM_ENV, _("out of memory"));
			goto out;
		}
		if ((rc = register_check_line(out, out->n_lines - 1, rule, where, e)))
			goto out;
	}
	rc = register_validate_lines_checked(out, e);	/* each line checked above */
out:
	json_decref(root);
	if (rc)
		register_free(out);
	return rc;
}

/* ---- the plain shape in one pass ---------------------------------------- */

struct jv {			/* a value as quick_read saw it */
	enum { JV_ABSENT, JV_NULL, JV_STRING, JV_INTEGER, JV_OTHER } type;
	const char *s;		/* JV_STRING: its bytes (there was no escape) */
	size_t n;
	json_int_t i;		/* JV_INTEGER */
};

struct quick {
	const char *p, *end;
};

/* White space as RFC 8259 (and jansson) has it. */
static void quick_ws(struct quick *q)
{
	while (q->p < q->end && (*q->p == ' ' || *q->p == '\n' || *q->p == '\r' || *q->p == '\t'))
		q->p++;
}

/* c, then white space. */
static bool quick_char(struct quick *q, char c)
{
	if (q->p >= q->end || *q->p != c)
		return false;
	q->p++;
	quick_ws(q);
	return true;
}

/* A string of valid UTF-8 with no escape and no control character: its
 * bytes are its value.  ('"' and '\' never occur inside a UTF-8
 * sequence, so the end is found byte by byte.) */
static bool quick_string(struct quick *q, struct jv *v)
{
	const unsigned char *p = (const unsigned char *)q->p, *end = (const unsigned char *)q->end;
	bool ascii = true;
	if (p >= end || *p != '"')
		return false;
	const unsigned char *s = ++p;
	while (p < end && *p != '"') {
		if (*p < 0x20 || *p == '\\')
			return false;
		ascii &= *p < 0x80;
		p++;
	}
	if (p >= end)
		return false;
	v->type = JV_STRING;
	v->s = (const char *)s;
	v->n = (size_t)(p - s);
	if (!ascii && !text_utf8_valid(v->s, v->n))
		return false;
	q->p = (const char *)p + 1;
	quick_ws(q);
	return true;
}

/* An integer of at most 18 digits (it fits json_int_t), without a
 * fraction or an exponent (jansson's real), no leading zero (refused). */
static bool quick_integer(struct quick *q, struct jv *v)
{
	const char *p = q->p, *end = q->end;
	bool minus = p < end && *p == '-';
	const char *d = p += minus;
	json_int_t x = 0;
	while (p < end && *p >= '0' && *p <= '9' && p - d < 18)
		x = x * 10 + (*p++ - '0');
	if (p == d || (*d == '0' && p - d > 1) ||
	    (p < end && ((*p >= '0' && *p <= '9') || *p == '.' || *p == 'e' || *p == 'E')))
		return false;
	v->type = JV_INTEGER;
	v->i = minus ? -x : x;
	q->p = p;
	quick_ws(q);
	return true;
}

static bool quick_word(struct quick *q, const char *w, size_t n)
{
	if ((size_t)(q->end - q->p) < n || memcmp(q->p, w, n))
		return false;
	q->p += n;
	quick_ws(q);
	return true;
}

/* A value that is not an object or a list.  What follows it is checked
 * by the caller (a ',', '}' or ']'), so "nullx" or "12abc" is not read. */
static bool quick_value(struct quick *q, struct jv *v)
{
	if (q->p >= q->end)
		return false;
	switch (*q->p) {
	case '"':
		return quick_string(q, v);
	case 'n':
		v->type = JV_NULL;
		return quick_word(q, "null", 4);
	case 't':
		v->type = JV_OTHER;
		return quick_word(q, "true", 4);
	case 'f':
		v->type = JV_OTHER;
		return quick_word(q, "false", 5);
	default:
		return quick_integer(q, v);
	}
}

/* Keys of one object other than the ones read: remembered to refuse one
 * twice (JSON_REJECT_DUPLICATES); an object with more is not read here. */
#define OTHER_KEYS 16
struct other_keys {
	struct jv key[OTHER_KEYS];
	int n;
};

static bool other_key(struct other_keys *o, const struct jv *key)
{
	for (int i = 0; i < o->n; i++)
		if (o->key[i].n == key->n && !memcmp(o->key[i].s, key->s, key->n))
			return false;
	if (o->n == OTHER_KEYS)
		return false;
	o->key[o->n++] = *key;
	return true;
}

/* Which of names (5) key is; -1 for another. */
static int key_index(const char *const names[5], const struct jv *key)
{
	for (int k = 0; k < 5; k++)
		if (!strncmp(names[k], key->s, key->n) && names[k][key->n] == '\0')
			return k;
	return -1;
}

/* An object's key and its ':'. */
static bool quick_key(struct quick *q, struct jv *key)
{
	return quick_string(q, key) && quick_char(q, ':');
}

/* One item: an object, its values of line_keys in v. */
static bool quick_item(struct quick *q, struct jv v[5])
{
	struct other_keys other = { .n = 0 };
	for (int k = 0; k < 5; k++)
		v[k].type = JV_ABSENT;
	if (!quick_char(q, '{'))
		return false;
	if (quick_char(q, '}'))
		return true;
	do {
		struct jv key, skip;
		if (!quick_key(q, &key))
			return false;
		int k = key_index(line_keys, &key);
		if (k >= 0 ? v[k].type != JV_ABSENT || !quick_value(q, &v[k])
			   : !other_key(&other, &key) || !quick_value(q, &skip))
			return false;
	} while (quick_char(q, ','));
	return quick_char(q, '}');
}

/* json_field's value from a jv: refused as json_field refuses (the
 * message is not shown: tree_read reads the file again and says it). */
static int quick_field(const struct jv *v, const char *key, char *dst, size_t cap, bool required,
		       struct am_error *e)
{
	char num[32];
	switch (v->type) {
	case JV_STRING:
		return register_put_field(dst, cap, v->s, v->n, "", key, required, e);
	case JV_INTEGER:
		snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, v->i);
		return register_put_field(dst, cap, num, strlen(num), "", key, required, e);
	case JV_OTHER:
		return AM_REFUSED;
	default:
		return register_put_field(dst, cap, NULL, 0, "", key, required, e);
	}
}

/* The items' list, each line checked as tree_read checks it but for what
 * needs the register's kind (later: the header may come after it). */
static bool quick_items(struct quick *q, struct reg *out, struct am_error *e)
{
	if (!quick_char(q, '['))
		return false;
	if (quick_char(q, ']'))
		return true;
	do {
		struct jv v[5];
		struct register_line l;
		memset(&l, 0, sizeof l);
		if (!quick_item(q, v) || quick_field(&v[0], line_keys[0], l.waybill, sizeof l.waybill, true, e) ||
		    quick_field(&v[1], line_keys[1], l.application, sizeof l.application, false, e) ||
		    quick_field(&v[2], line_keys[2], l.postomat, sizeof l.postomat, false, e) ||
		    quick_field(&v[3], line_keys[3], l.city, sizeof l.city, false, e) ||
		    quick_field(&v[4], line_keys[4], l.iin, sizeof l.iin, false, e) || register_add_line(out, &l))
			return false;
	} while (quick_char(q, ','));
	return quick_char(q, ']');
}

/* The register from a file of the plain shape, accepted whole; false
 * (out empty) for any other file or any refusal: tree_read's turn. */
static bool quick_read(const char *text, size_t len, const struct waybill_rule *rule, int offset_min,
		       struct reg *out)
{
	struct quick q = { text, text + len };
	struct other_keys other = { .n = 0 };
	struct jv head[5];
	struct am_error e;
	bool items = false;
	memset(out, 0, sizeof *out);
	for (int k = 0; k < 5; k++)
		head[k].type = JV_ABSENT;
	quick_ws(&q);
	if (!quick_char(&q, '{') || quick_char(&q, '}'))
		return false;
	do {
		struct jv key, skip;
		if (!quick_key(&q, &key))
			goto no;
		int k = key_index(head_keys, &key);
		bool ok;
		if (k >= 0)
			ok = head[k].type == JV_ABSENT && quick_value(&q, &head[k]);
		else if (key.n == 5 && !memcmp(key.s, "items", 5))
			ok = !items && (items = quick_items(&q, out, &e));
		else
			ok = other_key(&other, &key) && quick_value(&q, &skip);
		if (!ok)
			goto no;
	} while (quick_char(&q, ','));
	if (!quick_char(&q, '}') || q.p != q.end || !items)
		goto no;
	char hdr[5][REG_FIELD_MAX];
	for (int k = 0; k < 5; k++)
		if (quick_field(&head[k], head_keys[k], hdr[k], sizeof hdr[k], true, &e))
			goto no;
	if (register_parse_header(out, hdr[0], hdr[1], hdr[2], hdr[3], hdr[4], offset_min, "", &e))
		goto no;
	for (size_t i = 0; i < out->n_lines; i++)
		if (register_check_line(out, i, rule, "", &e))
			goto no;
	if (register_validate_lines_checked(out, &e))
		goto no;
	return true;
no:
	register_free(out);
	return false;
}

int register_parse_json(const char *text, size_t len, const struct waybill_rule *rule,
			int offset_min, struct reg *out, struct am_error *e)
{
	if (quick_read(text, len, rule, offset_min, out))
		return 0;
	return register_parse_json_tree(text, len, rule, offset_min, out, e);
}
