/*
 * register_common.h - the two register targets (JSON, CSV) share the rule
 * chosen by the first input byte and the promises checked on a register that
 * was accepted.
 */
#ifndef AMANAT_FUZZ_REGISTER_COMMON_H
#define AMANAT_FUZZ_REGISTER_COMMON_H

#include "amanat/codes.h"
#include "amanat/register.h"
#include "fuzz/fuzz.h"

static inline void fuzz_rule(unsigned pick, struct waybill_rule *rule)
{
	static const char *const specs[] = { "s10", "luhn", "luhn:6-12", "pattern:AA999999999", "pattern:**-9*" };
	waybill_rule_default(rule);
	if (waybill_rule_parse(rule, specs[pick % (sizeof specs / sizeof specs[0])]))
		abort();
}

/* One register in, accepted or refused; an accepted one keeps every promise. */
static inline void fuzz_register(int (*parse)(const char *, size_t, const struct waybill_rule *, int,
				       struct reg *, struct am_error *),
			  const uint8_t *data, size_t size)
{
	struct fuzz_bytes b = { data, size };
	struct waybill_rule rule;
	fuzz_rule(fuzz_byte(&b), &rule);
	int offset_min = ((int)fuzz_byte(&b) - 128) * 10;	/* -1280 .. +1270 minutes */
	/* the exact bytes, not NUL-terminated: the parser must keep to len */
	char *text = malloc(b.n ? b.n : 1);
	fuzz_check(text != NULL);
	memcpy(text, b.p, b.n);
	struct reg r;
	struct am_error e;
	e.msg[0] = '\0';
	int rc = parse(text, b.n, &rule, offset_min, &r, &e);
	free(text);
	if (rc) {
		fuzz_check(rc < 0 && e.msg[0]);
		return;
	}
	struct am_error e2;
	fuzz_check(register_validate(&r, &rule, &e2) == 0);
	fuzz_check(r.n_lines > 0 && r.lines);
	fuzz_check(fuzz_clean_utf8(r.id) && fuzz_clean_utf8(r.from) && fuzz_clean_utf8(r.to));
	for (size_t i = 0; i < r.n_lines; i++) {
		const struct register_line *l = &r.lines[i];
		fuzz_check(fuzz_clean_utf8(l->waybill) && fuzz_clean_utf8(l->application));
		fuzz_check(fuzz_clean_utf8(l->postomat) && fuzz_clean_utf8(l->city) && fuzz_clean_utf8(l->iin));
		fuzz_check(register_find(&r, l->waybill) == (long)i);	/* no waybill twice */
	}
	register_free(&r);
}

#endif
