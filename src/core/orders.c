/*
 * orders.c - parsing the sorting sector's applications list (orders.h).
 * Like a register file, it is taken whole or refused whole with the line
 * and field named: the sorting clerk fixes the file, never half a list.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "amanat/i18n.h"
#include "amanat/orders.h"
#include "amanat/text.h"
#include "csv.h"

enum { O_APP, O_WAYBILL, O_PM, O_CITY, O_POINT, O_IIN, O__N };
static const char *const names[O__N] = { "application", "waybill", "postomat", "city", "point", "iin" };

void orders_free(struct order_list *l)
{
	free(l->items);
	l->items = NULL;
	l->n = 0;
}

/* Copy a field trimmed of spaces; refuse it empty (when required), too
 * long, or holding what is not text. */
static int take(char *dst, size_t cap, const char *src, const char *where, int k, struct am_error *e)
{
	size_t n = src ? strlen(src) : 0;
	while (n && isspace((unsigned char)src[n - 1]))
		n--;
	while (n && isspace((unsigned char)*src)) {
		src++;
		n--;
	}
	if (n == 0) {
		dst[0] = '\0';
		return k == O_IIN ? 0 : am_fail(e, AM_REFUSED, _("%s: field '%s' is missing or empty"), where, names[k]);
	}
	if (n >= cap)
		return am_fail(e, AM_REFUSED, _("%s: field '%s' is longer than %zu characters"), where, names[k], cap - 1);
	int rc = text_check(where, names[k], src, n, e);
	if (rc)
		return rc;
	memcpy(dst, src, n);
	dst[n] = '\0';
	return 0;
}

static int check(const struct order_list *l, const struct order *o, const struct waybill_rule *rule,
		 const char *where, struct am_error *e)
{
	char why[200];
	if (waybill_validate(rule, o->line.waybill, why, sizeof why))
		return am_fail(e, AM_REFUSED, _("%s: field 'waybill' (%s): %s"), where, o->line.waybill, why);
	if (o->line.iin[0] && iin_validate(o->line.iin, why, sizeof why))
		return am_fail(e, AM_REFUSED, _("%s: field 'iin': %s"), where, why);
	for (size_t i = 0; i < l->n; i++) {
		if (!strcmp(l->items[i].line.waybill, o->line.waybill))
			return am_fail(e, AM_REFUSED, _("%s: waybill %s is listed twice"), where, o->line.waybill);
		if (!strcmp(l->items[i].line.application, o->line.application))
			return am_fail(e, AM_REFUSED, _("%s: application %s is listed twice"), where, o->line.application);
	}
	return 0;
}

static int add(struct order_list *l, const struct order *o, size_t *cap)
{
	if (l->n == *cap) {
		size_t c = *cap ? *cap * 2 : 64;
		struct order *p = realloc(l->items, c * sizeof *p);
		if (!p)
			return -1;
		l->items = p;
		*cap = c;
	}
	l->items[l->n++] = *o;
	return 0;
}

/* One record into o: each column taken from where the header put it. */
static int record(char **cols, const int idx[O__N], const char *where, struct order *o, struct am_error *e)
{
	struct {
		char *dst;
		size_t cap;
	} to[O__N] = {
		{ o->line.application, sizeof o->line.application }, { o->line.waybill, sizeof o->line.waybill },
		{ o->line.postomat, sizeof o->line.postomat }, { o->line.city, sizeof o->line.city },
		{ o->point, sizeof o->point }, { o->line.iin, sizeof o->line.iin },
	};
	memset(o, 0, sizeof *o);
	for (int k = 0; k < O__N; k++) {
		int rc = take(to[k].dst, to[k].cap, idx[k] >= 0 ? cols[idx[k]] : NULL, where, k, e);
		if (rc)
			return rc;
	}
	return 0;
}

static int header(struct csv *c, int idx[O__N], int *nh, struct am_error *e)
{
	char *head[CSV_MAX_COLS];
	*nh = csv_record(c, head, CSV_MAX_COLS);
	if (*nh <= 0 || c->nul_col >= 0) {
		if (*nh > 0)
			csv_free(head, *nh);
		return am_fail(e, AM_REFUSED, _("line 1: an applications list starts with a header row (application,waybill,postomat,city,point,iin)"));
	}
	int rc = 0;
	for (int k = 0; k < O__N && !rc; k++) {
		idx[k] = -1;
		for (int i = 0; i < *nh; i++)
			if (!strcmp(head[i], names[k]))
				idx[k] = i;
		if (idx[k] < 0 && k != O_IIN)
			rc = am_fail(e, AM_REFUSED, _("line 1: the header has no column '%s'"), names[k]);
	}
	csv_free(head, *nh);
	return rc;
}

int orders_parse_csv(const char *text, size_t len, const struct waybill_rule *rule,
		     struct order_list *out, struct am_error *e)
{
	struct csv c = { text, text + len, 0, -1 };
	int idx[O__N], nh, rc;
	size_t cap = 0;
	memset(out, 0, sizeof *out);
	if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))	/* a BOM from spreadsheets */
		c.p += 3;
	if ((rc = header(&c, idx, &nh, e)))
		return rc;
	for (;;) {
		char *cols[CSV_MAX_COLS], where[64];
		struct order o;
		int n = csv_record(&c, cols, CSV_MAX_COLS);
		if (n == 0)
			break;
		snprintf(where, sizeof where, _("line %zu"), c.line);
		if (n < 0) {
			rc = am_fail(e, AM_REFUSED, _("%s: malformed CSV (an unclosed quote or too many columns)"), where);
			break;
		}
		if (n == 1 && !cols[0][0]) {	/* a blank line */
			csv_free(cols, n);
			continue;
		}
		if (c.nul_col >= 0)
			rc = am_fail(e, AM_REFUSED, _("%s: column %d contains a control character (U+0000)"), where, c.nul_col + 1);
		else if (n != nh)
			rc = am_fail(e, AM_REFUSED, _("%s: %d fields, the header has %d"), where, n, nh);
		else if (!(rc = record(cols, idx, where, &o, e)) && !(rc = check(out, &o, rule, where, e))
			 && add(out, &o, &cap))
			rc = am_fail(e, AM_ENV, _("out of memory"));
		csv_free(cols, n);
		if (rc)
			break;
	}
	if (!rc && out->n == 0)
		rc = am_fail(e, AM_REFUSED, "%s", _("the applications list has a header but no lines"));
	if (rc)
		orders_free(out);
	return rc;
}
