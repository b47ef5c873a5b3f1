/*
 * register.h - a register (тізілім): the list of envelopes handed over.
 *
 * Kinds: "inbound" (State Corp -> point), "return" (point -> State Corp),
 * "acceptance" (the point's register of accepted documents, §18).
 * Parsing is pure: text in, a validated register or a refusal naming the
 * line and field out.  Nothing is half-parsed.
 */
#ifndef AMANAT_REGISTER_H
#define AMANAT_REGISTER_H

#include <stddef.h>
#include <stdint.h>
#include "amanat/codes.h"
#include "amanat/error.h"

#define REG_ID_MAX 64
#define REG_FIELD_MAX 128

enum register_kind { REG_INBOUND, REG_RETURN, REG_ACCEPTANCE };

struct register_line {
	char waybill[32];
	char application[REG_FIELD_MAX];
	char postomat[REG_FIELD_MAX];
	char city[REG_FIELD_MAX];
	char iin[16];		/* optional, "" when absent */
};

struct reg {
	char id[REG_ID_MAX];
	enum register_kind kind;
	char from[REG_FIELD_MAX];
	char to[REG_FIELD_MAX];
	int64_t formed_at;	/* UTC ms */
	struct register_line *lines;
	size_t n_lines;
};

const char *register_kind_name(enum register_kind k);
int register_kind_from_name(const char *name);	/* -1 if unknown */

/* Parse a register file's text: JSON if it starts with '{', CSV otherwise.
 * Times without an offset are local (offset_min).  Waybills are checked with
 * rule, IINs (when given) with their checksum, and no waybill may repeat. */
int register_parse(const char *text, size_t len, const struct waybill_rule *rule,
		   int offset_min, struct reg *out, struct am_error *e);
int register_parse_json(const char *text, size_t len, const struct waybill_rule *rule,
			int offset_min, struct reg *out, struct am_error *e);
int register_parse_csv(const char *text, size_t len, const struct waybill_rule *rule,
		       int offset_min, struct reg *out, struct am_error *e);
/* Check an already filled register (ids, fields, codes, duplicates). */
int register_validate(const struct reg *r, const struct waybill_rule *rule,
		      struct am_error *e);

/* Every check a register file's import runs, for a register that came
 * another way (a sheet's 2D codes): kind, texts (UTF-8, no control
 * characters), formed_at, every line and register_validate. */
int register_check(const struct reg *r, const struct waybill_rule *rule, struct am_error *e);

/* Append a line (grows lines); 0 or -1 on allocation failure. */
int register_add_line(struct reg *r, const struct register_line *line);
void register_free(struct reg *r);
/* Index of waybill in r, or -1. */
long register_find(const struct reg *r, const char *waybill);

#endif
