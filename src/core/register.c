/*
 * register.c - validating registers and reading them from CSV (JSON:
 * register_json.c).
 *
 * A register file is refused whole, with the line (CSV) or item (JSON) and
 * field named, or accepted whole: the caller never sees half a register.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "amanat/i18n.h"
#include "amanat/register.h"
#include "amanat/text.h"
#include "amanat/timeutil.h"
#include "csv.h"
#include "register_fields.h"

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

/* Copy a field of n bytes at src (NULL: absent), trimmed, refusing
 * control characters and overlong values. */
int register_put_field(char *dst, size_t cap, const char *src, size_t n, const char *where,
		       const char *field, bool required, struct am_error *e)
{
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
	if (n >= cap)	/* bytes: a Cyrillic letter takes two */
		return am_fail(e, AM_REFUSED, _("%s: field '%s' is %zu bytes long, more than its %zu (a Cyrillic letter takes 2)"),
			       where, field, n, cap - 1);
	int rc = text_check(where, field, src, n, e);	/* another encoding: say so, keep nothing */
	if (rc)
		return rc;
	memcpy(dst, src, n);
	dst[n] = '\0';
	return 0;
}

static int put_field(char *dst, size_t cap, const char *src, const char *where,
		     const char *field, bool required, struct am_error *e)
{
	return register_put_field(dst, cap, src, src ? strlen(src) : 0, where, field, required, e);
}

int register_check_line(const struct reg *r, size_t i, const struct waybill_rule *rule,
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

/* Whether some waybill is there twice: a table of the lines by a hash of
 * their waybills, one look a line (sorting the pointers, a strcmp per
 * comparison, was most of checking a register).  A slot holds the line's
 * index + 1 and 32 more bits of its hash, so a look at another waybill's
 * slot seldom reads that line (a cache miss in a big register). */
static int duplicates_any(const struct reg *r, bool *any, struct am_error *e)
{
	size_t cap = 16;
	*any = false;
	while (cap < 2 * r->n_lines)
		cap *= 2;
	uint64_t *slot = calloc(cap, sizeof *slot);	/* 0: empty */
	if (!slot)
		return am_fail(e, AM_ENV, _("out of memory"));
	for (size_t i = 0; i < r->n_lines && !*any; i++) {
		uint64_t h = UINT64_C(14695981039346656037);	/* FNV-1a */
		for (const unsigned char *c = (const unsigned char *)r->lines[i].waybill; *c; c++)
			h = (h ^ *c) * UINT64_C(1099511628211);
		uint64_t mark = h & UINT64_C(0xffffffff00000000);
		size_t k = (size_t)(h ^ h >> 32) & (cap - 1);
		for (; slot[k]; k = (k + 1) & (cap - 1))
			if ((slot[k] & UINT64_C(0xffffffff00000000)) == mark &&
			    !strcmp(r->lines[(slot[k] & 0xffffffff) - 1].waybill, r->lines[i].waybill)) {
				*any = true;
				break;
			}
		slot[k] = mark | (i + 1);	/* at most 100,000 lines: 32 bits */
	}
	free(slot);
	return 0;
}

/* No waybill twice: *first and *second (indexes into r->lines; -1: none)
 * of the waybill named, the first in sorted order, as it has always been:
 * found with a sorted array of pointers to the ids, once duplicates_any
 * has seen there is one. */
static int duplicates_find(const struct reg *r, long *first, long *second, struct am_error *e)
{
	bool any;
	*first = *second = -1;
	int rc = duplicates_any(r, &any, e);
	if (rc || !any || r->n_lines < 2)
		return rc;
	const char **ids = malloc(r->n_lines * sizeof *ids);
	if (!ids)
		return am_fail(e, AM_ENV, _("out of memory"));
	for (size_t i = 0; i < r->n_lines; i++)
		ids[i] = r->lines[i].waybill;
	qsort(ids, r->n_lines, sizeof *ids, waybill_ptr_cmp);
	for (size_t i = 1; i < r->n_lines; i++)
		if (strcmp(ids[i - 1], ids[i]) == 0) {
			*first = register_find(r, ids[i]);
			*second = *first + 1;
			while ((size_t)*second < r->n_lines && strcmp(r->lines[*second].waybill, ids[i]))
				(*second)++;
			break;
		}
	free(ids);
	return 0;
}

/* duplicates_find, the waybill named by its items (JSON, sheet codes). */
static int duplicates_check(const struct reg *r, struct am_error *e)
{
	long first, second;
	int rc = duplicates_find(r, &first, &second, e);
	if (rc || first < 0)
		return rc;
	return am_fail(e, AM_REFUSED, _("item %ld: waybill %s is listed twice (items %ld and %ld)"),
		       second + 1, r->lines[first].waybill, first + 1, second + 1);
}

/* register_validate's checks of the register as a whole. */
static int validate_head(const struct reg *r, struct am_error *e)
{
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
	return 0;
}

int register_validate(const struct reg *r, const struct waybill_rule *rule, struct am_error *e)
{
	char where[64];
	int rc = validate_head(r, e);
	if (rc)
		return rc;
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

int register_validate_lines_checked(const struct reg *r, struct am_error *e)
{
	int rc = validate_head(r, e);
	return rc ? rc : duplicates_check(r, e);
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
		int rc = register_check_line(r, i, rule, where, e);
		if (rc)
			return rc;
	}
	return register_validate(r, rule, e);
}

int register_parse_header(struct reg *out, const char *id, const char *kind, const char *from,
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


/* Whether a line's register, kind, from, to and formed_at (the first five
 * of idx, columns every line has) are the first line's, byte for byte:
 * then they read as the first line's did, and reading them again (five
 * fields checked and a time parsed a line) was a third of reading a CSV. */
static bool same_head(char *const cols[], char *const first[], const int idx[])
{
	for (int k = 0; k < 5; k++)
		if (strcmp(cols[idx[k]], first[idx[k]]))
			return false;
	return true;
}

/* The line (as the refusals of a line count it: where the record ends)
 * of register line k of a CSV file, blank lines not counted: the file read
 * again, only for a refusal. */
static size_t csv_line_of(const char *text, size_t len, size_t k)
{
	struct csv c = { text, text + len, 0, -1 };
	char *cols[CSV_MAX_COLS];
	size_t i = 0;
	int n;
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		c.p += 3;
	if ((n = csv_record(&c, cols, CSV_MAX_COLS)) > 0)	/* the header */
		csv_free(cols, n);
	while ((n = csv_record(&c, cols, CSV_MAX_COLS)) > 0) {
		bool blank = n == 1 && cols[0][0] == '\0';
		csv_free(cols, n);
		if (!blank && i++ == k)
			return c.line;
	}
	return 0;
}

/* No waybill twice, both lines named by the file's own line numbers. */
static int csv_duplicates(const char *text, size_t len, const struct reg *r, struct am_error *e)
{
	long first, second;
	int rc = duplicates_find(r, &first, &second, e);
	if (rc || first < 0)
		return rc;
	size_t a = csv_line_of(text, len, (size_t)first), b = csv_line_of(text, len, (size_t)second);
	return am_fail(e, AM_REFUSED, _("line %zu: waybill %s is listed twice (lines %zu and %zu)"), b,
		       r->lines[first].waybill, a, b);
}

int register_parse_csv(const char *text, size_t len, const struct waybill_rule *rule,
		       int offset_min, struct reg *out, struct am_error *e)
{
	static const char *const names[] = { "register", "kind", "from", "to", "formed_at",
		"waybill", "application", "postomat", "city", "iin" };
	enum { C_REG, C_KIND, C_FROM, C_TO, C_FORMED, C_WAYBILL, C_APP, C_PM, C_CITY, C_IIN, C__N };
	int idx[C__N];
	char *cols[CSV_MAX_COLS], *head[CSV_MAX_COLS], *first[CSV_MAX_COLS];
	struct csv c = { text, text + len, 0, -1 };
	int rc = 0, nh, n_first = 0;	/* first: the first line's columns as read */

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
			/* a spreadsheet of another country's settings: one column
			 * holding them all, separated by ';' (or a tab) */
			const char *sep = nh == 1 ? strpbrk(head[0], ";\t") : NULL;
			if (sep && strstr(head[0], names[k]))
				rc = am_fail(e, AM_REFUSED, _("line 1: the columns are separated by '%s', not by commas - save the file again as CSV with commas (Excel: \"CSV UTF-8 (Comma delimited)\") and load it again"),
					     *sep == ';' ? ";" : "Tab");
			else
				rc = am_fail(e, AM_REFUSED, _("line 1: the header has no column '%s'"), names[k]);
			csv_free(head, nh);
			return rc;
		}
	}
	csv_free(head, nh);
	const char *line_fmt = _("line %zu");	/* looked up once, not a line */
	for (;;) {
		char where[64];
		int n = csv_record(&c, cols, CSV_MAX_COLS);
		if (n == 0)
			break;
		snprintf(where, sizeof where, line_fmt, c.line);
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
			rc = register_parse_header(out, COL(C_REG), COL(C_KIND), COL(C_FROM), COL(C_TO),
					  COL(C_FORMED), offset_min, where, e);
		} else if (n_first && same_head(cols, first, idx)) {
			rc = 0;	/* read on the first line already: the same answer */
		} else {
			struct reg h;
			memset(&h, 0, sizeof h);
			rc = register_parse_header(&h, COL(C_REG), COL(C_KIND), COL(C_FROM), COL(C_TO),
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
		if (!rc && !n_first) {	/* kept for same_head */
			memcpy(first, cols, (size_t)n * sizeof *cols);
			n_first = n;
		} else {
			csv_free(cols, n);
		}
		if (rc)
			break;
		if (register_add_line(out, &l)) {
			rc = am_fail(e, AM_ENV, _("out of memory"));
			break;
		}
		if ((rc = register_check_line(out, out->n_lines - 1, rule, where, e)))
			break;
	}
	csv_free(first, n_first);
	if (!rc && out->n_lines == 0)
		rc = am_fail(e, AM_REFUSED, _("the CSV register has a header but no lines"));
	if (!rc)	/* each line checked already */
		rc = validate_head(out, e);
	if (!rc)
		rc = csv_duplicates(text, len, out, e);
	if (rc)
		register_free(out);
	return rc;
}

/* The first byte of text that is not part of valid UTF-8 (len: none),
 * and the line it is on. */
static size_t first_not_utf8(const char *text, size_t len, size_t *line)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t i = 0;
	*line = 1;
	while (i < len) {
		if (p[i] < 0x80) {
			*line += p[i++] == '\n';
			continue;
		}
		size_t n = p[i] >= 0xF0 ? 4 : p[i] >= 0xE0 ? 3 : 2;
		if (n > len - i || !text_utf8_valid(text + i, n))
			return i;
		i += n;
	}
	return len;
}

/* A refused file said for what it is, when that is the file's fault, not
 * one field's: not UTF-8, or JSON that is not an object; and every
 * refusal ends with what to do (after " - ", a part of its own on the
 * UI's error block) if it does not say so already. */
static void refusal_cause(const char *text, size_t len, bool json, struct am_error *e)
{
	size_t line, at = first_not_utf8(text, len, &line);
	if (at < len) {
		unsigned char b = (unsigned char)text[at];
		am_fail(e, AM_REFUSED, _("line %zu: the file is not UTF-8 text (byte 0x%02X%s) - save it as UTF-8 (Excel: \"CSV UTF-8\") and load it again"),
			line, b, b >= 0xC0 ? _(", Windows-1251?") : "");
		return;
	}
	json_error_t je;
	json_t *any = json ? NULL : json_loadb(text, len, JSON_DECODE_ANY, &je);
	if (any) {	/* "a string", 12, true: JSON, but not a register */
		json_decref(any);
		am_fail(e, AM_REFUSED, "%s", _("the file holds JSON but not one object: a register file is one JSON object {\"register\": …, \"items\": […]}"));
	}
	if (!strstr(e->msg, " - ")) {
		int n = (int)strlen(e->msg);	/* < sizeof e->msg */
		am_fit(e->msg, sizeof e->msg, n + snprintf(e->msg + n, sizeof e->msg - (size_t)n, "%s",
							   _(" - ask the sender for a corrected file")));
	}
}

/* A register file in JSON or CSV (which one: its first character), refused
 * whole with what is wrong and what to do, or accepted whole. */
int register_parse(const char *text, size_t len, const struct waybill_rule *rule,
		   int offset_min, struct reg *out, struct am_error *e)
{
	size_t i = 0;
	memset(out, 0, sizeof *out);
	if (len == 0)
		return am_fail(e, AM_REFUSED, "%s", _("the file is empty (0 bytes) - copy the register file again from where it came"));
	/* UTF-16 (Notepad's "Unicode"): a BOM, or a NUL in each of the first two pairs */
	if ((len >= 2 && ((unsigned char)text[0] == 0xFF || (unsigned char)text[0] == 0xFE) &&
	     (unsigned char)text[1] == ((unsigned char)text[0] ^ 1)) ||
	    (len >= 4 && (!text[0] || !text[1]) && (!text[2] || !text[3])))
		return am_fail(e, AM_REFUSED, "%s", _("the file is UTF-16 (Notepad's \"Unicode\"), not UTF-8 - open it, save it again with Encoding UTF-8 and load it again"));
	if ((len >= 4 && memcmp(text, "PK\x03\x04", 4) == 0) || (len >= 4 && memcmp(text, "\xD0\xCF\x11\xE0", 4) == 0))
		return am_fail(e, AM_REFUSED, "%s", _("the file is an Excel workbook, not CSV - in Excel: Save As, \"CSV UTF-8 (Comma delimited)\", and load that file"));
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < len && isspace((unsigned char)text[i]))
		i++;
	if (i == len)
		return am_fail(e, AM_REFUSED, "%s", _("the file holds only spaces and blank lines - copy the register file again from where it came"));
	bool json = text[i] == '{' || text[i] == '[';
	/* jansson's line numbers count from where it starts: the blank lines
	 * before the '{' are given to it (all but \v and \f, which it refuses) */
	while (json && i > 0 && text[i - 1] && strchr(" \t\r\n", text[i - 1]))
		i--;
	int rc = json ? register_parse_json(text + i, len - i, rule, offset_min, out, e)
		      : register_parse_csv(text, len, rule, offset_min, out, e);
	if (rc == AM_REFUSED)
		refusal_cause(text, len, json, e);
	return rc;
}
