/*
 * reconcile.h - acceptance against a register: the live tally.
 *
 * Each scan is matched (on the register, first time), duplicate (scanned
 * before: counted once), unexpected (a valid code that is not on the
 * register) or invalid (fails its format or check digit).  Finishing gives
 * matched / missing / unexpected / damaged; anything not matched makes a
 * discrepancy act.  Pure logic: the store keeps the scans, this counts them.
 */
#ifndef AMANAT_RECONCILE_H
#define AMANAT_RECONCILE_H

#include <stdbool.h>
#include <stddef.h>
#include "amanat/codes.h"
#include "amanat/register.h"

enum scan_result { SCAN_MATCHED, SCAN_DUPLICATE, SCAN_UNEXPECTED, SCAN_INVALID };

const char *scan_result_name(enum scan_result r);
/* Translated one-line meaning for people ("not on this register: set it aside"). */
const char *scan_result_label(enum scan_result r);

/* The one rule of classification, shared by the tally below and the store. */
enum scan_result scan_classify(bool valid, bool on_register, bool already_scanned);

struct tally {
	const struct reg *reg;
	unsigned char *seen;	/* per register line: 0 no, 1 scanned, 2 damaged */
	char (*unexpected)[32];
	size_t n_unexpected, cap_unexpected;
	size_t matched, duplicates, invalid, damaged;
};

int tally_init(struct tally *t, const struct reg *reg);
void tally_free(struct tally *t);
/* Classify one scanned code and count it.  why gets the reason for invalid. */
enum scan_result tally_scan(struct tally *t, const struct waybill_rule *rule,
			    const char *code, char *why, size_t whylen);
/* Mark a line damaged (received, but damaged).  -1 if code is not on the register. */
int tally_damaged(struct tally *t, const char *code);

struct tally_summary {
	size_t expected, matched, missing, unexpected, damaged, duplicates;
	bool needs_act;
};
void tally_summarize(const struct tally *t, struct tally_summary *s);

#endif
