/*
 * classify.h - what kind of code a scan is, before any screen sees it.
 *
 * One place knows every code the pilot uses: the envelope's waybill (UPU
 * S10 or the configured rule), a staff badge, a postomat, a cell label, a
 * register id, a part of a register sheet's 2D code, and an IIN (typed).
 * The screens compare the kind with what their field expects, so a scan of
 * the wrong kind is named for what it is ("this is the label of cell A05")
 * instead of failing a character count.  Pure: no I/O.
 */
#ifndef AMANAT_CLASSIFY_H
#define AMANAT_CLASSIFY_H

#include <stdbool.h>
#include <stddef.h>
#include "amanat/codes.h"

#define CODE_KINDS(X) \
	X(UNKNOWN, "unknown") \
	X(WAYBILL, "waybill") \
	X(BADGE, "badge") \
	X(POSTOMAT, "postomat") \
	X(CELL, "cell") \
	X(REGISTER, "register") \
	X(SHEET, "sheet") \
	X(IIN, "iin")

enum code_kind {
#define X(id, name) CODE_##id,
	CODE_KINDS(X)
#undef X
	CODE__COUNT
};

/* The kind of code (already mapped back from a keyboard layout).  valid is
 * false when it has the kind's shape but fails its check (an S10 with a
 * wrong check digit, an IIN with a wrong checksum). */
enum code_kind code_classify(const struct waybill_rule *rule, const char *code, bool *valid);
/* A scanned code mapped back from the keyboard layout it arrived under:
 * as read, then the Kazakh and Russian layouts (xkb-data, layout.h), with
 * and without Caps Lock; the first reading that is a valid code of the
 * pilot wins, else the likeliest layout's.  Writes at most outlen-1 bytes. */
void code_unmap(const struct waybill_rule *rule, const char *in, char *out, size_t outlen);
/* The kind's name in form files and messages ("waybill", "cell"); -1 if unknown. */
const char *code_kind_name(enum code_kind k);
int code_kind_from_name(const char *name);
/* A sentence for people naming what was scanned: "this is the label of
 * cell A05" (translated; written into buf). */
void code_describe(enum code_kind k, const char *code, char *buf, size_t len);
/* The same sentence whole, however long the code (malloc'd; NULL when
 * memory is out): what the screens show. */
char *code_description(enum code_kind k, const char *code);
/* What a field of kind k asks for: "scan the envelope first" (translated). */
const char *code_expected(enum code_kind k);

/*
 * Keyboard-wedge bursts: a scanner types its code as keys a few ms apart and
 * ends with Enter; a person types 100 ms and more apart.  Feed every key's
 * time; at Enter, burst_is_scan says which it was.
 */
#define BURST_GAP_MS 30
#define BURST_MIN_KEYS 4
/* The Enter may lag the code's last key a little more than the keys lag each
 * other (a scanner's suffix, a loaded terminal): the code's keys already
 * showed it was no person's typing. */
#define BURST_ENTER_MS 120
struct burst {
	int keys;
	bool slow;
	long long last_ms;
};
void burst_reset(struct burst *b);
void burst_key(struct burst *b, long long now_ms);
/* At Enter (enter_ms): were the keys since the reset a scanner's burst? */
bool burst_is_scan(const struct burst *b, long long enter_ms);

#endif
