/*
 * fuzz_codes.c - the code validators: a waybill rule from config, a waybill
 * and an IIN as scanned or typed, the IIN mask, the keyboard-wedge unmapping.
 * Input: byte 0 picks the buffer sizes; then "rule\ncode\niin" (any part may
 * be missing).
 */
#include <ctype.h>
#include "amanat/codes.h"
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
	free(out);
	free(text);
	return 0;
}
