/*
 * register.c - parsing and validating registers (JSON and CSV).
 *
 * A register file is refused whole, with the line (CSV) or item (JSON) and
 * field named, or accepted whole: the caller never sees half a register.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "amanat/i18n.h"
#include "amanat/register.h"
#include "amanat/text.h"
#include "amanat/timeutil.h"
#include "csv.h"

/* machine names; N_: their translations are looked up where people read them */
static const char *const kind_names[] = { N_("inbound"), N_("return"), N_("acceptance") };

const char *register_kind_name(enum register_kind k)
{
	return (unsigned)k < 3 ? kind_names[k] : "?";
}

int register_kind_from_name(const char *name)
{
	for (int i = 0; i < 3; i++)
		if (strcmp(kind_names[i], name) == 0)
			return i;
	return -1;
}

int register_add_line(struct reg *r, const struct register_line *line)
{
	if ((r->n_lines & (r->n_lines - 1)) == 0) {	/* 0, 1, 2, 4, ...: grow */
		size_t cap = r->n_lines ? r->n_lines * 2 : 16;
		struct register_line *l = realloc(r->lines, cap * sizeof *l);
		if (!l)
			return -1;
		r->lines = l;
	}
	r->lines[r->n_lines++] = *line;
	return 0;
}

void register_free(struct reg *r)
{
	free(r->lines);
	r->lines = NULL;
	r->n_lines = 0;
}

long register_find(const struct reg *r, const char *waybill)
{
	for (size_t i = 0; i < r->n_lines; i++)
		if (strcmp(r->lines[i].waybill, waybill) == 0)
			return (long)i;
	return -1;
}

/* Copy a field, refusing control characters and overlong values. */
static int put_field(char *dst, size_t cap, const char *src, const char *where,
		     const char *field, bool required, struct am_error *e)
{
	size_t n = src ? strlen(src) : 0;
	while (n && isspace((unsigned char)src[n - 1]))
		n--;
	while (n && isspace((unsigned char)*src)) {
		src++;
		n--;
	}
	if (n == 0) {
		if (required)
			return am_fail(e, AM_REFUSED, _("%s: field '%s' is missing or empty"), where, field);
		dst[0] = '\0';
		return 0;
	}
	if (n >= cap)
		return am_fail(e, AM_REFUSED, _("%s: field '%s' is longer than %zu characters"),
			       where, field, cap - 1);
	int rc = text_check(where, field, src, n, e);	/* another encoding: say so, keep nothing */
	if (rc)
		return rc;
	memcpy(dst, src, n);
	dst[n] = '\0';
	return 0;
}

static int check_line(const struct reg *r, size_t i, const struct waybill_rule *rule,
		      const char *where, struct am_error *e)
{
	const struct register_line *l = &r->lines[i];
	char why[200];
	if (waybill_validate(rule, l->waybill, why, sizeof why) != 0)
		return am_fail(e, AM_REFUSED, _("%s: field 'waybill' (%s): %s"), where, l->waybill, why);
	if (l->iin[0] && iin_validate(l->iin, why, sizeof why) != 0)
		return am_fail(e, AM_REFUSED, _("%s: field 'iin': %s"), where, why);
	if (r->kind == REG_INBOUND) {
		if (!l->application[0])
			return am_fail(e, AM_REFUSED, _("%s: field '%s' is missing or empty"), where, "application");
		if (!l->postomat[0])
			return am_fail(e, AM_REFUSED, _("%s: field '%s' is missing or empty"), where, "postomat");
		if (!l->city[0])
			return am_fail(e, AM_REFUSED, _("%s: field '%s' is missing or empty"), where, "city");
	}
	(void)i;
	return 0;
}

static int waybill_ptr_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* No waybill twice.  Checked with a sorted array of pointers to the ids: a
 * register of thousands of lines must not cost n^2 string compares, and
 * sorting pointers moves 8 bytes where sorting copies of the ids moved 32. */
static int duplicates_check(const struct reg *r, struct am_error *e)
{
	const char **ids = malloc(r->n_lines * sizeof *ids);
	if (!ids)
		return am_fail(e, AM_ENV, _("out of memory"));
	for (size_t i = 0; i < r->n_lines; i++)
		ids[i] = r->lines[i].waybill;
	qsort(ids, r->n_lines, sizeof *ids, waybill_ptr_cmp);
	for (size_t i = 1; i < r->n_lines; i++)
		if (strcmp(ids[i - 1], ids[i]) == 0) {
			long first = register_find(r, ids[i]), second = first + 1;
			while ((size_t)second < r->n_lines && strcmp(r->lines[second].waybill, ids[i]))
				second++;
			int rc = am_fail(e, AM_REFUSED, _("item %ld: waybill %s is listed twice (items %ld and %ld; CSV lines %ld and %ld)"),
					 second + 1, ids[i], first + 1, second + 1, first + 2, second + 2);
			free(ids);
			return rc;
		}
	free(ids);
	return 0;
}

int register_validate(const struct reg *r, const struct waybill_rule *rule, struct am_error *e)
{
	char where[64];
	if (!r->id[0])
		return am_fail(e, AM_REFUSED, _("field 'register' is missing or empty"));
	for (const char *p = r->id; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("-_./", *p))
			return am_fail(e, AM_REFUSED, _("register id '%s' may have only letters, digits and - _ . /"), r->id);
	if (!r->from[0] || !r->to[0])
		return am_fail(e, AM_REFUSED, _("fields 'from' and 'to' are required"));
	if (r->n_lines == 0)
		return am_fail(e, AM_REFUSED, _("register %s has no items"), r->id);
	if (r->n_lines > 100000)
		return am_fail(e, AM_REFUSED, _("register %s has more than 100000 items"), r->id);
	/* "item N" is written only for a refusal: a printf and a catalogue
	 * lookup per line were a fifth of checking a register of 10,000. */
	for (size_t i = 0; i < r->n_lines; i++) {
		const struct register_line *l = &r->lines[i];
		char why[200];
		if (waybill_validate(rule, l->waybill, why, sizeof why) != 0) {
			snprintf(where, sizeof where, _("item %zu"), i + 1);
			return am_fail(e, AM_REFUSED, _("%s: field 'waybill' (%s): %s"), where, l->waybill, why);
		}
		if (l->iin[0] && iin_validate(l->iin, why, sizeof why) != 0) {
			snprintf(where, sizeof where, _("item %zu"), i + 1);
			return am_fail(e, AM_REFUSED, _("%s: field 'iin': %s"), where, why);
		}
	}
	return duplicates_check(r, e);
}

int register_check(const struct reg *r, const struct waybill_rule *rule, struct am_error *e)
{
	const char *hdr = _("register");
	if (r->kind != REG_INBOUND && r->kind != REG_RETURN)
		return am_fail(e, AM_REFUSED, _("%s: field 'kind' must be 'inbound' or 'return'"), hdr);
	if (text_check_str(hdr, "register", r->id, e) || text_check_str(hdr, "from", r->from, e) ||
	    text_check_str(hdr, "to", r->to, e))
		return AM_REFUSED;
	/* A register formed before 2000 or past 2100 is a broken clock or a broken code. */
	if (r->formed_at < INT64_C(946684800000) || r->formed_at >= INT64_C(4102444800000))
		return am_fail(e, AM_REFUSED, _("%s: field 'formed_at' is not a time between 2000 and 2100"), hdr);
	for (size_t i = 0; i < r->n_lines; i++) {
		const struct register_line *l = &r->lines[i];
		char where[64];
		snprintf(where, sizeof where, _("item %zu"), i + 1);
		if (text_check_str(where, "waybill", l->waybill, e) || text_check_str(where, "application", l->application, e) ||
		    text_check_str(where, "postomat", l->postomat, e) || text_check_str(where, "city", l->city, e) ||
		    text_check_str(where, "iin", l->iin, e))
			return AM_REFUSED;
		int rc = check_line(r, i, rule, where, e);
		if (rc)
			return rc;
	}
	return register_validate(r, rule, e);
}

/* ---- JSON -------------------------------------------------------------- */

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
	return put_field(dst, cap, s, where, key, required, e);
}

static int parse_header(struct reg *out, const char *id, const char *kind, const char *from,
			const char *to, const char *formed, int offset_min, const char *where,
			struct am_error *e)
{
	int rc;
	char buf[64];
	if ((rc = put_field(out->id, sizeof out->id, id, where, "register", true, e)))
		return rc;
	if ((rc = put_field(buf, sizeof buf, kind, where, "kind", true, e)))
		return rc;
	int k = register_kind_from_name(buf);
	if (k != REG_INBOUND && k != REG_RETURN)
		return am_fail(e, AM_REFUSED, _("%s: field 'kind' must be 'inbound' or 'return', not '%s'"), where, buf);
	out->kind = (enum register_kind)k;
	if ((rc = put_field(out->from, sizeof out->from, from, where, "from", true, e)))
		return rc;
	if ((rc = put_field(out->to, sizeof out->to, to, where, "to", true, e)))
		return rc;
	if ((rc = put_field(buf, sizeof buf, formed, where, "formed_at", true, e)))
		return rc;
	if (time_parse(buf, offset_min, &out->formed_at) != 0)
		return am_fail(e, AM_REFUSED, _("%s: field 'formed_at' is not a time like 2026-03-19T16:40:00+05:00: '%s'"), where, buf);
	return 0;
}

int register_parse_json(const char *text, size_t len, const struct waybill_rule *rule,
			int offset_min, struct reg *out, struct am_error *e)
{
	json_error_t je;
	char hdr[5][REG_FIELD_MAX];
	static const char *const keys[5] = { "register", "kind", "from", "to", "formed_at" };
	int rc = 0;

	memset(out, 0, sizeof *out);
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (!root)
		return am_fail(e, AM_REFUSED, _("not valid JSON at line %d, column %d: %s"),
			       je.line, je.column, je.text);
	if (!json_is_object(root)) {
		rc = am_fail(e, AM_REFUSED, _("a register file holds one JSON object"));
		goto out;
	}
	for (int i = 0; i < 5; i++)
		if ((rc = json_field(root, keys[i], hdr[i], sizeof hdr[i], _("register"), true, e)))
			goto out;
	if ((rc = parse_header(out, hdr[0], hdr[1], hdr[2], hdr[3], hdr[4], offset_min,
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
		if ((rc = check_line(out, out->n_lines - 1, rule, where, e)))
			goto out;
	}
	rc = register_validate(out, rule, e);
out:
	json_decref(root);
	if (rc)
		register_free(out);
	return rc;
}

/* ---- CSV (RFC 4180: quotes, doubled quotes, CRLF or LF) ------------------ */

void csv_free(char **cols, int n)
{
	for (int i = 0; i < n; i++)
		free(cols[i]);
}

/* Read one record into cols (each malloc'd); returns the column count, 0 at
 * the end, -1 on a malformed record. */
int csv_record(struct csv *c, char **cols, int max)
{
	int n = 0;
	c->nul_col = -1;
	if (c->p >= c->end)
		return 0;
	c->line++;
	for (;;) {
		size_t cap = 64, len = 0;
		char *f = malloc(cap);
		if (!f) {
			csv_free(cols, n);
			return -1;
		}
		bool quoted = c->p < c->end && *c->p == '"';
		if (quoted)
			c->p++;
		for (;;) {
			if (c->p >= c->end) {
				if (quoted) {
					free(f);
					csv_free(cols, n);
					return -1;
				}
				break;
			}
			char ch = *c->p;
			if (quoted && ch == '"') {
				if (c->p + 1 < c->end && c->p[1] == '"') {
					c->p += 2;
				} else {
					c->p++;
					quoted = false;
					if (c->p < c->end && *c->p != ',' && *c->p != '\n' && *c->p != '\r') {
						free(f);
						csv_free(cols, n);
						return -1;
					}
					continue;
				}
			} else if (!quoted && (ch == ',' || ch == '\n' || ch == '\r')) {
				break;
			} else {
				if (quoted && ch == '\n')
					c->line++;
				c->p++;
			}
			if (len + 2 > cap) {
				char *g = realloc(f, cap *= 2);
				if (!g) {
					free(f);
					csv_free(cols, n);
					return -1;
				}
				f = g;
			}
			if (ch == '\0' && c->nul_col < 0)	/* kept whole, refused by the caller */
				c->nul_col = n;
			f[len++] = ch;
		}
		f[len] = '\0';
		if (n == max) {
			free(f);
			csv_free(cols, n);
			return -1;
		}
		cols[n++] = f;
		if (c->p < c->end && *c->p == ',') {
			c->p++;
			continue;
		}
		if (c->p < c->end && *c->p == '\r')
			c->p++;
		if (c->p < c->end && *c->p == '\n')
			c->p++;
		return n;
	}
}


int register_parse_csv(const char *text, size_t len, const struct waybill_rule *rule,
		       int offset_min, struct reg *out, struct am_error *e)
{
	static const char *const names[] = { "register", "kind", "from", "to", "formed_at",
		"waybill", "application", "postomat", "city", "iin" };
	enum { C_REG, C_KIND, C_FROM, C_TO, C_FORMED, C_WAYBILL, C_APP, C_PM, C_CITY, C_IIN, C__N };
	int idx[C__N];
	char *cols[CSV_MAX_COLS], *head[CSV_MAX_COLS];
	struct csv c = { text, text + len, 0, -1 };
	int rc = 0, nh;

	memset(out, 0, sizeof *out);
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)	/* a BOM from spreadsheets */
		c.p += 3;
	nh = csv_record(&c, head, CSV_MAX_COLS);
	if (nh > 0 && c.nul_col >= 0) {
		csv_free(head, nh);
		return am_fail(e, AM_REFUSED, _("line 1: column %d of the header contains a control character (U+0000)"), c.nul_col + 1);
	}
	if (nh <= 0)
		return am_fail(e, AM_REFUSED, _("line 1: a CSV register starts with a header row (register,kind,from,to,formed_at,waybill,application,postomat,city,iin)"));
	for (int k = 0; k < C__N; k++) {
		idx[k] = -1;
		for (int i = 0; i < nh; i++)
			if (strcmp(head[i], names[k]) == 0)
				idx[k] = i;
		if (idx[k] < 0 && k != C_IIN && k != C_APP && k != C_PM && k != C_CITY) {
			rc = am_fail(e, AM_REFUSED, _("line 1: the header has no column '%s'"), names[k]);
			csv_free(head, nh);
			return rc;
		}
	}
	csv_free(head, nh);
	for (;;) {
		char where[64];
		int n = csv_record(&c, cols, CSV_MAX_COLS);
		if (n == 0)
			break;
		snprintf(where, sizeof where, _("line %zu"), c.line);
		if (n < 0) {
			rc = am_fail(e, AM_REFUSED, _("%s: malformed CSV (an unclosed quote or too many columns)"), where);
			break;
		}
		if (c.nul_col >= 0) {	/* a NUL would cut the field: name it */
			const char *name = NULL;
			for (int k = 0; k < C__N; k++)
				if (idx[k] == c.nul_col)
					name = names[k];
			if (name)
				rc = am_fail(e, AM_REFUSED, _("%s: field '%s' contains a control character (U+0000)"), where, name);
			else
				rc = am_fail(e, AM_REFUSED, _("%s: column %d contains a control character (U+0000)"), where, c.nul_col + 1);
			csv_free(cols, n);
			break;
		}
		if (n == 1 && cols[0][0] == '\0') {	/* a blank line */
			csv_free(cols, n);
			continue;
		}
		if (n != nh) {
			rc = am_fail(e, AM_REFUSED, _("%s: %d fields, the header has %d"), where, n, nh);
			csv_free(cols, n);
			break;
		}
#define COL(k) (idx[k] >= 0 ? cols[idx[k]] : NULL)
		if (out->n_lines == 0) {
			rc = parse_header(out, COL(C_REG), COL(C_KIND), COL(C_FROM), COL(C_TO),
					  COL(C_FORMED), offset_min, where, e);
		} else {
			struct reg h;
			memset(&h, 0, sizeof h);
			rc = parse_header(&h, COL(C_REG), COL(C_KIND), COL(C_FROM), COL(C_TO),
					  COL(C_FORMED), offset_min, where, e);
			if (!rc && (strcmp(h.id, out->id) || h.kind != out->kind || strcmp(h.from, out->from)
				    || strcmp(h.to, out->to) || h.formed_at != out->formed_at))
				rc = am_fail(e, AM_REFUSED, _("%s: register, kind, from, to and formed_at must be the same on every line"), where);
		}
		struct register_line l;
		memset(&l, 0, sizeof l);
		if (!rc)
			rc = put_field(l.waybill, sizeof l.waybill, COL(C_WAYBILL), where, "waybill", true, e);
		if (!rc)
			rc = put_field(l.application, sizeof l.application, COL(C_APP), where, "application", false, e);
		if (!rc)
			rc = put_field(l.postomat, sizeof l.postomat, COL(C_PM), where, "postomat", false, e);
		if (!rc)
			rc = put_field(l.city, sizeof l.city, COL(C_CITY), where, "city", false, e);
		if (!rc)
			rc = put_field(l.iin, sizeof l.iin, COL(C_IIN), where, "iin", false, e);
#undef COL
		csv_free(cols, n);
		if (rc)
			break;
		if (register_add_line(out, &l)) {
			rc = am_fail(e, AM_ENV, _("out of memory"));
			break;
		}
		if ((rc = check_line(out, out->n_lines - 1, rule, where, e)))
			break;
	}
	if (!rc && out->n_lines == 0)
		rc = am_fail(e, AM_REFUSED, _("the CSV register has a header but no lines"));
	if (!rc)
		rc = register_validate(out, rule, e);
	if (rc)
		register_free(out);
	return rc;
}

int register_parse(const char *text, size_t len, const struct waybill_rule *rule,
		   int offset_min, struct reg *out, struct am_error *e)
{
	size_t i = 0;
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < len && isspace((unsigned char)text[i]))
		i++;
	if (i < len && (text[i] == '{' || text[i] == '['))
		return register_parse_json(text + i, len - i, rule, offset_min, out, e);
	return register_parse_csv(text, len, rule, offset_min, out, e);
}
