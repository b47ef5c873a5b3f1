/*
 * reconcile.c - the acceptance tally against a register.
 *
 * scan_classify is the one rule; the tally keeps per-line marks so that the
 * summary at the end (matched / missing / unexpected / damaged) follows from
 * the scans alone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "amanat/i18n.h"
#include "amanat/reconcile.h"

enum { LINE_UNSEEN = 0, LINE_MATCHED = 1, LINE_DAMAGED = 2 };

const char *scan_result_name(enum scan_result r)
{
	static const char *const names[] = { "matched", "duplicate", "unexpected", "invalid" };
	return (unsigned)r < 4 ? names[r] : "?";
}

const char *scan_result_label(enum scan_result r)
{
	switch (r) {
	case SCAN_MATCHED: return _("matched");
	case SCAN_DUPLICATE: return _("scanned before: counted once");
	case SCAN_UNEXPECTED: return _("not on this register: set it aside");
	case SCAN_INVALID: return _("not a valid code: scan again or type it");
	}
	return "?";
}

enum scan_result scan_classify(bool valid, bool on_register, bool already_scanned)
{
	if (!valid)
		return SCAN_INVALID;
	if (already_scanned)
		return SCAN_DUPLICATE;
	return on_register ? SCAN_MATCHED : SCAN_UNEXPECTED;
}

int tally_init(struct tally *t, const struct reg *reg)
{
	memset(t, 0, sizeof *t);
	t->reg = reg;
	t->seen = calloc(reg->n_lines ? reg->n_lines : 1, 1);
	return t->seen ? 0 : -1;
}

void tally_free(struct tally *t)
{
	free(t->seen);
	free(t->unexpected);
	memset(t, 0, sizeof *t);
}

static bool unexpected_seen(const struct tally *t, const char *code)
{
	for (size_t i = 0; i < t->n_unexpected; i++)
		if (strcmp(t->unexpected[i], code) == 0)
			return true;
	return false;
}

enum scan_result tally_scan(struct tally *t, const struct waybill_rule *rule,
			    const char *code, char *why, size_t whylen)
{
	bool valid = waybill_validate(rule, code, why, whylen) == 0;
	long line = valid ? register_find(t->reg, code) : -1;
	bool before = line >= 0 ? t->seen[line] != LINE_UNSEEN
				: valid && unexpected_seen(t, code);
	enum scan_result r = scan_classify(valid, line >= 0, before);

	switch (r) {
	case SCAN_MATCHED:
		t->seen[line] = LINE_MATCHED;
		t->matched++;
		break;
	case SCAN_UNEXPECTED:
		if (t->n_unexpected == t->cap_unexpected) {
			size_t cap = t->cap_unexpected ? t->cap_unexpected * 2 : 8;
			char (*u)[32] = realloc(t->unexpected, cap * sizeof *u);
			if (!u)
				return SCAN_INVALID;
			t->unexpected = u;
			t->cap_unexpected = cap;
		}
		snprintf(t->unexpected[t->n_unexpected++], 32, "%s", code);
		break;
	case SCAN_DUPLICATE:
		t->duplicates++;
		break;
	case SCAN_INVALID:
		t->invalid++;
		break;
	}
	return r;
}

int tally_damaged(struct tally *t, const char *code)
{
	long line = register_find(t->reg, code);
	if (line < 0)
		return -1;
	if (t->seen[line] == LINE_MATCHED)
		t->matched--;
	if (t->seen[line] != LINE_DAMAGED)
		t->damaged++;
	t->seen[line] = LINE_DAMAGED;
	return 0;
}

void tally_summarize(const struct tally *t, struct tally_summary *s)
{
	memset(s, 0, sizeof *s);
	s->expected = t->reg->n_lines;
	s->matched = t->matched;
	s->damaged = t->damaged;
	s->unexpected = t->n_unexpected;
	s->duplicates = t->duplicates;
	s->missing = s->expected - s->matched - s->damaged;
	s->needs_act = s->missing || s->unexpected || s->damaged;
}
