/*
 * codes.h - validation of the codes that arrive from scanners and files:
 * waybill numbers (UPU S10 by default, Luhn digits or a plain pattern by
 * config) and the recipient's IIN.  Pure functions: nothing here touches
 * the database, so an invalid code is stopped before it can.
 */
#ifndef AMANAT_CODES_H
#define AMANAT_CODES_H

#include <stdbool.h>
#include <stddef.h>

enum waybill_format {
	WAYBILL_S10,		/* RR123456785KZ */
	WAYBILL_LUHN,		/* digits, last one a Luhn check digit */
	WAYBILL_PATTERN,	/* a pattern, no check digit */
};

struct waybill_rule {
	enum waybill_format format;
	/*
	 * For WAYBILL_PATTERN: A = letter A-Z, 9 = digit, * = letter or digit,
	 * any other character stands for itself.  For WAYBILL_LUHN: minimum and
	 * maximum length in min_len/max_len (defaults 8..20).
	 */
	char pattern[64];
	int min_len, max_len;
};

/* The default rule: UPU S10. */
void waybill_rule_default(struct waybill_rule *r);
/* Parse "s10", "luhn", "luhn:8-20" or "pattern:AA9999999" into r; 0 or -1. */
int waybill_rule_parse(struct waybill_rule *r, const char *spec);

/* S10 check digit for an 8-digit serial; -1 when serial is not 8 digits. */
int s10_check_digit(const char *serial8);

/* 0 when code is a valid waybill under r; else -1 and a reason in why. */
int waybill_validate(const struct waybill_rule *r, const char *code,
		     char *why, size_t whylen);

/* 0 when iin is a valid IIN; else -1 and a reason. */
int iin_validate(const char *iin, char *why, size_t whylen);
/* The IIN masked for display and logs: "900101******". */
void iin_mask(const char *iin, char *out, size_t outlen);

/* Luhn check over a string of digits. */
bool luhn_valid(const char *digits);

/*
 * Keyboard-wedge scans typed under a Cyrillic (Russian or Kazakh) layout
 * arrive as the letters on the same keys: map them back to the US layout.
 * Writes at most outlen-1 bytes; returns the number of characters mapped.
 */
int wedge_unmap(const char *in, char *out, size_t outlen);

#endif
