/*
 * classify.c - the one classifier of scanned codes (see classify.h).
 *
 * The shapes, checked in this order:
 *   AMR1:...                 a part of a register sheet's 2D code
 *   the waybill rule (S10)   an envelope; two letters, nine digits, two
 *                            letters with a wrong check digit is still one
 *   12 digits                an IIN (its checksum decides valid)
 *   PM-...                   a postomat
 *   R-...                    a register (inbound, return, acceptance)
 *   0-2 letters, 1-3 digits  a cell label (A05, AB123, 12)
 *   letters, digits, dashes  a staff badge (CLERK-1, SC-COURIER-9)
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "amanat/classify.h"
#include "amanat/i18n.h"
#include "amanat/layout.h"

static const char *const kind_names[] = {
#define X(id, name) name,
	CODE_KINDS(X)
#undef X
};

const char *code_kind_name(enum code_kind k)
{
	return (unsigned)k < CODE__COUNT ? kind_names[k] : "?";
}

int code_kind_from_name(const char *name)
{
	for (int i = 0; i < CODE__COUNT; i++)
		if (!strcmp(kind_names[i], name))
			return i;
	return -1;
}

static bool all(const char *s, size_t n, int (*is)(int))
{
	for (size_t i = 0; i < n; i++)
		if (!is((unsigned char)s[i]))
			return false;
	return true;
}

/* AMR1:<register id>:<k>/<n>:<8 hex digits>:<chunk> (docs/sheet-code.md) */
static bool sheet_shape(const char *c)
{
	const char *p = c + 5, *colon = strchr(p, ':');
	if (!colon || colon == p)
		return false;
	p = colon + 1;
	size_t k = strspn(p, "0123456789");
	if (!k || p[k] != '/')
		return false;
	p += k + 1;
	k = strspn(p, "0123456789");
	if (!k || p[k] != ':')
		return false;
	p += k + 1;
	return strspn(p, "0123456789abcdefABCDEF") == 8 && p[8] == ':';
}

static bool s10_shape(const char *c)
{
	return strlen(c) == 13 && all(c, 2, isupper) && all(c + 2, 9, isdigit) && all(c + 11, 2, isupper);
}

static bool cell_shape(const char *c)
{
	size_t n = strlen(c), letters = 0;
	while (letters < n && isupper((unsigned char)c[letters]))
		letters++;
	return letters <= 2 && n - letters >= 1 && n - letters <= 3 && all(c + letters, n - letters, isdigit);
}

static bool badge_shape(const char *c)
{
	size_t n = strlen(c);
	bool letter = false;
	if (n < 3 || n > 32 || !isalnum((unsigned char)c[0]))
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)c[i];
		if (!(isupper(ch) || isdigit(ch) || ch == '-' || ch == '_'))
			return false;
		letter |= isupper(ch) != 0;
	}
	return letter;
}

enum code_kind code_classify(const struct waybill_rule *rule, const char *code, bool *valid)
{
	bool dummy;
	char why[160];
	if (!valid)
		valid = &dummy;
	*valid = true;
	if (!code || !*code)
		return CODE_UNKNOWN;
	if (!strncmp(code, "AMR1:", 5)) {
		*valid = sheet_shape(code);
		return CODE_SHEET;
	}
	if (rule && waybill_validate(rule, code, why, sizeof why) == 0)
		return CODE_WAYBILL;
	if (s10_shape(code)) {
		*valid = false;
		return CODE_WAYBILL;
	}
	size_t n = strlen(code);
	if (n == 12 && all(code, 12, isdigit)) {
		*valid = iin_validate(code, why, sizeof why) == 0;
		return CODE_IIN;
	}
	if (!strncmp(code, "PM-", 3) && n > 3 && badge_shape(code))
		return CODE_POSTOMAT;
	if (!strncmp(code, "R-", 2) && n > 2 && badge_shape(code))
		return CODE_REGISTER;
	if (cell_shape(code))
		return CODE_CELL;
	if (badge_shape(code))
		return CODE_BADGE;
	*valid = false;
	return CODE_UNKNOWN;
}

/* snprintf cuts bytes: a sentence cut short must not end in half a letter. */
static void cut_at_letter(char *buf, size_t len)
{
	size_t n = strlen(buf);
	if (n + 1 < len || n == 0)
		return;	/* not cut */
	size_t start = n;
	while (start > 0 && ((unsigned char)buf[start - 1] & 0xc0) == 0x80)
		start--;	/* back to the lead byte of the last character */
	if (start == 0)
		return;
	unsigned char lead = (unsigned char)buf[start - 1];
	size_t want = lead < 0x80 ? 1 : (lead & 0xe0) == 0xc0 ? 2 : (lead & 0xf0) == 0xe0 ? 3 : 4;
	if (n - (start - 1) < want)
		buf[start - 1] = '\0';
}

void code_unmap(const struct waybill_rule *rule, const char *in, char *out, size_t outlen)
{
	static const struct { enum kb_layout l; bool caps, upper; } tries[] = {
		{ KB_US, false, false }, { KB_KZ, false, false }, { KB_RU, false, false },
		{ KB_KZ, true, false }, { KB_RU, true, false },
		{ KB_US, false, true }, { KB_KZ, true, true }, { KB_RU, true, true },
	};
	if (!outlen)
		return;
	/* first a reading that is a valid code, then one of a known kind */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < sizeof tries / sizeof tries[0]; i++) {
			bool valid;
			layout_unmap(tries[i].l, tries[i].caps, in, out, outlen);
			if (tries[i].upper)	/* Caps Lock on a US layout: the letters came lower */
				for (char *p = out; *p; p++)
					*p = (char)toupper((unsigned char)*p);
			if (code_classify(rule, out, &valid) != CODE_UNKNOWN && (valid || pass))
				return;
		}
	wedge_unmap(in, out, outlen);
}

void code_describe(enum code_kind k, const char *code, char *buf, size_t len)
{
	if (len == 0)
		return;
	switch (k) {
	case CODE_WAYBILL: snprintf(buf, len, _("this is envelope %s"), code); break;
	case CODE_BADGE: snprintf(buf, len, _("this is badge %s"), code); break;
	case CODE_POSTOMAT: snprintf(buf, len, _("this is postomat %s"), code); break;
	case CODE_CELL: snprintf(buf, len, _("this is the label of cell %s"), code); break;
	case CODE_REGISTER: snprintf(buf, len, _("this is register %s"), code); break;
	case CODE_SHEET: snprintf(buf, len, "%s", _("this is a register sheet's code")); break;
	case CODE_IIN: snprintf(buf, len, _("this is an IIN (%.6s…)"), code); break;
	default: snprintf(buf, len, _("not a code of the pilot: read «%s»"), code); break;
	}
	cut_at_letter(buf, len);
}

char *code_description(enum code_kind k, const char *code)
{
	char *s = NULL;
	int rc;
	switch (k) {
	case CODE_WAYBILL: rc = asprintf(&s, _("this is envelope %s"), code); break;
	case CODE_BADGE: rc = asprintf(&s, _("this is badge %s"), code); break;
	case CODE_POSTOMAT: rc = asprintf(&s, _("this is postomat %s"), code); break;
	case CODE_CELL: rc = asprintf(&s, _("this is the label of cell %s"), code); break;
	case CODE_REGISTER: rc = asprintf(&s, _("this is register %s"), code); break;
	case CODE_SHEET: rc = asprintf(&s, "%s", _("this is a register sheet's code")); break;
	case CODE_IIN: rc = asprintf(&s, _("this is an IIN (%.6s…)"), code); break;
	default: rc = asprintf(&s, _("not a code of the pilot: read «%s»"), code); break;
	}
	return rc < 0 ? NULL : s;
}

const char *code_expected(enum code_kind k)
{
	switch (k) {
	case CODE_WAYBILL: return _("scan the envelope first");
	case CODE_BADGE: return _("scan a badge");
	case CODE_POSTOMAT: return _("scan the postomat first");
	case CODE_CELL: return _("scan the cell's label");
	case CODE_REGISTER: return _("scan the register first");
	case CODE_SHEET: return _("scan the register sheet's code");
	case CODE_IIN: return _("type the IIN");
	default: return _("scan again");
	}
}

void burst_reset(struct burst *b)
{
	b->keys = 0;
	b->slow = false;
	b->last_ms = 0;
}

void burst_key(struct burst *b, long long now_ms)
{
	if (b->keys && now_ms - b->last_ms > BURST_GAP_MS)
		b->slow = true;
	b->keys++;
	b->last_ms = now_ms;
}

bool burst_is_scan(const struct burst *b, long long enter_ms)
{
	return b->keys >= BURST_MIN_KEYS && !b->slow && enter_ms - b->last_ms <= BURST_ENTER_MS;
}
