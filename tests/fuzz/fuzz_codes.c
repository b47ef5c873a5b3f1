/*
 * fuzz_codes.c - the code validators: a waybill rule from config, a waybill
 * and an IIN as scanned or typed, the IIN mask, the keyboard-wedge unmapping.
 * Input: byte 0 picks the buffer sizes; then "rule\ncode\niin" (any part may
 * be missing).
 */
#include <ctype.h>
#include "amanat/classify.h"
#include "amanat/codes.h"
#include "amanat/layout.h"
#include "fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_bytes b = { data, size };
	size_t whylen = fuzz_byte(&b) % 80;	/* 0 .. 79: messages cut short too */
	char *text = fuzz_text(b.p, b.n);
	char *spec = text, *code = strchr(spec, '\n'), *iin = NULL;
	if (code) {
		*code++ = '\0';
		iin = strchr(code, '\n');
		if (iin)
			*iin++ = '\0';
	} else {
		code = spec;
	}
	if (!iin)
		iin = code;

	struct waybill_rule rule;
	if (waybill_rule_parse(&rule, spec) != 0)
		waybill_rule_default(&rule);
	fuzz_check(rule.min_len >= 2 && rule.max_len >= rule.min_len && rule.max_len <= 30);
	fuzz_check(memchr(rule.pattern, '\0', sizeof rule.pattern) != NULL);

	char *why = malloc(whylen ? whylen : 1);
	fuzz_check(why != NULL);
	if (waybill_validate(&rule, code, whylen ? why : NULL, whylen) == 0) {
		size_t n = strlen(code);
		for (size_t i = 0; i < n; i++)
			fuzz_check(code[i] > 0x20 && code[i] < 0x7f);
		if (rule.format == WAYBILL_S10)
			fuzz_check(n == 13 && s10_check_digit(code + 2) == code[10] - '0');
		else if (rule.format == WAYBILL_LUHN)
			fuzz_check(luhn_valid(code) && (int)n >= rule.min_len && (int)n <= rule.max_len);
		else
			fuzz_check(n == strlen(rule.pattern));
	} else if (whylen) {
		fuzz_check(strlen(why) < whylen);
	}
	if (iin_validate(iin, whylen ? why : NULL, whylen) == 0) {
		fuzz_check(strlen(iin) == 12);
		for (int i = 0; i < 12; i++)
			fuzz_check(isdigit((unsigned char)iin[i]));
	}
	free(why);

	/* the kind of a scan, and the sentence that names it */
	bool valid = false;
	enum code_kind kind = code_classify(&rule, code, &valid);
	fuzz_check((int)kind >= 0 && kind < CODE__COUNT && code_kind_name(kind) != NULL);
	if (kind == CODE_WAYBILL && valid)
		fuzz_check(waybill_validate(&rule, code, NULL, 0) == 0);
	if (kind == CODE_IIN && valid)
		fuzz_check(iin_validate(code, NULL, 0) == 0);
	char what[200];	/* the size the screens give */
	code_describe(kind, code, what, sizeof what);
	if (fuzz_clean_utf8(code))	/* a long code is cut, never inside a letter */
		fuzz_check(fuzz_clean_utf8(what));
	(void)code_expected(kind);
	if (strlen(code) >= 8)
		(void)s10_check_digit(code);
	(void)luhn_valid(code);

	size_t outlen = size ? data[0] % 40 : 0;
	char *out = malloc(outlen + 1);
	fuzz_check(out != NULL);
	out[outlen] = 'X';	/* a guard byte past the end given */
	if (outlen) {
		iin_mask(iin, out, outlen);
		fuzz_check(strlen(out) < outlen);
		/* the mask shows the birth date at most, never the rest */
		size_t keep = strlen(iin) > 6 ? 6 : 0, shown = strlen(out);
		for (size_t i = keep; i < shown; i++)
			fuzz_check(out[i] == '*');
	}
	int mapped = wedge_unmap(code, out, outlen);
	fuzz_check(out[outlen] == 'X' && mapped >= 0);
	if (outlen)
		fuzz_check(strlen(out) < outlen);
	/* the keyboard layouts a wedge scanner may type under (layout.c) */
	for (int l = 0; l < KB__COUNT; l++) {
		layout_unmap((enum kb_layout)l, size && (data[0] & 1), code, out, outlen);
		fuzz_check(out[outlen] == 'X' && (!outlen || strlen(out) < outlen));
		if (layout_map((enum kb_layout)l, code, out, outlen) >= 0 && outlen)
			fuzz_check(strlen(out) < outlen);
		fuzz_check(out[outlen] == 'X');
	}
	code_unmap(&rule, code, out, outlen);
	fuzz_check(out[outlen] == 'X' && (!outlen || strlen(out) < outlen));
	free(out);
	free(text);
	return 0;
}
