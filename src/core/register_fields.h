/*
 * register_fields.h - what register.c's readers of a register file (CSV
 * there, JSON in register_json.c) share: a field copied and checked, a
 * line checked, the header read, the register checked whole.  Internal to
 * src/core.
 */
#ifndef AMANAT_CORE_REGISTER_FIELDS_H
#define AMANAT_CORE_REGISTER_FIELDS_H

#include <stdbool.h>
#include <stddef.h>
#include "amanat/register.h"

/* n bytes at src (NULL: absent) into dst, trimmed; refused when required
 * and empty, longer than cap - 1, or not clean UTF-8 text. */
int register_put_field(char *dst, size_t cap, const char *src, size_t n, const char *where,
		       const char *field, bool required, struct am_error *e);
/* Line i's waybill, IIN and (inbound) required fields. */
int register_check_line(const struct reg *r, size_t i, const struct waybill_rule *rule,
			const char *where, struct am_error *e);
int register_parse_header(struct reg *out, const char *id, const char *kind, const char *from,
			  const char *to, const char *formed, int offset_min, const char *where,
			  struct am_error *e);
/* register_validate of a register whose every line passed
 * register_check_line: the header, the count, no waybill twice. */
int register_validate_lines_checked(const struct reg *r, struct am_error *e);
/* register_parse_json as jansson reads the file: the reference that
 * register_json.c's reading of the plain shape is compared with. */
int register_parse_json_tree(const char *text, size_t len, const struct waybill_rule *rule,
			     int offset_min, struct reg *out, struct am_error *e);

#endif
