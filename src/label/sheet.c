/*
 * sheet.c - a register in 2D codes and back (the format in label.h and
 * docs/sheet-code.md).  The payload is one line of printable text ('~'
 * ends a record), so a part survives any scanner, wedge or serial.  The parts carry the register id, their number and
 * the CRC-32 of the whole payload, so parts can be scanned in any order and
 * a part scanned twice, or one of another register, is named as such.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "amanat/i18n.h"
#include "amanat/label.h"
#include "amanat/timeutil.h"

uint32_t crc32_text(const char *s, size_t n)
{
	uint32_t c = 0xffffffffu;
	for (size_t i = 0; i < n; i++) {
		c ^= (unsigned char)s[i];
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
	}
	return ~c;
}

struct buf {
	char *p;
	size_t len, cap;
	bool failed;
};

static void put(struct buf *b, const char *s, size_t n)
{
	if (b->failed)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 1024;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (!p) {
			b->failed = true;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void field(struct buf *b, const char *s, bool last)
{
	for (; *s; s++) {
		if (*s == '%') put(b, "%25", 3);
		else if (*s == '|') put(b, "%7C", 3);
		else if (*s == '~') put(b, "%7E", 3);
		else if (*s == '\n') put(b, "%0A", 3);
		else put(b, s, 1);
	}
	put(b, last ? "~" : "|", 1);
}

int sheet_encode(const struct reg *r, size_t max_chunk, char ***parts, size_t *n, struct am_error *e)
{
	struct buf b = { 0 };
	char num[32];
	snprintf(num, sizeof num, "%lld", (long long)r->formed_at);
	field(&b, r->id, false);
	field(&b, register_kind_name(r->kind), false);
	field(&b, r->from, false);
	field(&b, r->to, false);
	field(&b, num, true);
	for (size_t i = 0; i < r->n_lines; i++) {
		const struct register_line *l = &r->lines[i];
		field(&b, l->waybill, false);
		field(&b, l->application, false);
		field(&b, l->postomat, false);
		field(&b, l->city, false);
		field(&b, "", true);	/* the IIN stays off paper codes: anyone can scan them */
	}
	if (b.failed) {
		free(b.p);
		return am_fail(e, AM_ENV, _("out of memory"));
	}
	if (max_chunk < 16)
		max_chunk = 16;
	/* Cut only between UTF-8 characters, so that every part is text. */
	size_t count = 0, pos = 0, cap = b.len / max_chunk + 2;
	char **out = calloc(cap, sizeof *out);
	uint32_t crc = crc32_text(b.p, b.len);
	size_t *cuts = calloc(cap + 1, sizeof *cuts);
	if (!out || !cuts) {
		free(out);
		free(cuts);
		free(b.p);
		return am_fail(e, AM_ENV, _("out of memory"));
	}
	while (pos < b.len) {
		size_t end = pos + max_chunk < b.len ? pos + max_chunk : b.len;
		while (end < b.len && end > pos && ((unsigned char)b.p[end] & 0xc0) == 0x80)
			end--;
		cuts[count++] = pos;
		pos = end;
	}
	cuts[count] = b.len;
	for (size_t k = 0; k < count; k++) {
		size_t clen = cuts[k + 1] - cuts[k];
		size_t need = strlen(r->id) + clen + 64;
		out[k] = malloc(need);
		if (!out[k]) {
			sheet_parts_free(out, k);
			free(cuts);
			free(b.p);
			return am_fail(e, AM_ENV, _("out of memory"));
		}
		int h = snprintf(out[k], need, "AMR1:%s:%zu/%zu:%08x:", r->id, k + 1, count, crc);
		memcpy(out[k] + h, b.p + cuts[k], clen);
		out[k][h + clen] = '\0';
	}
	free(cuts);
	free(b.p);
	*parts = out;
	*n = count;
	return 0;
}

void sheet_parts_free(char **parts, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(parts[i]);
	free(parts);
}

int sheet_assembly_add(struct sheet_assembly *a, const char *part, struct am_error *e)
{
	char id[64];
	unsigned long k, n, crc;
	char *end;
	if (strncmp(part, "AMR1:", 5) != 0)
		return am_fail(e, AM_REFUSED, _("this is not a code of an amanat register sheet"));
	const char *p = part + 5, *colon = strchr(p, ':');
	if (!colon || (size_t)(colon - p) >= sizeof id)
		return am_fail(e, AM_REFUSED, _("a damaged register code: scan it again"));
	memcpy(id, p, (size_t)(colon - p));
	id[colon - p] = '\0';
	/* "K/N:CRC:" - digits, digits, 1 to 8 hex digits (not sscanf: its %u
	 * takes "-1" and is undefined past UINT_MAX) */
	const char *q = colon + 1;
	k = isdigit((unsigned char)*q) ? strtoul(q, &end, 10) : 0;
	if (k && *end == '/' && isdigit((unsigned char)end[1]))
		n = strtoul(end + 1, &end, 10);
	else
		n = 0;
	crc = 0;
	if (n && *end == ':' && isxdigit((unsigned char)end[1])) {
		crc = strtoul(q = end + 1, &end, 16);
		if (end - q > 8 || *end != ':')
			n = 0;
	} else {
		n = 0;
	}
	if (k < 1 || n < 1 || k > n || n > 1000)
		return am_fail(e, AM_REFUSED, _("a damaged register code: scan it again"));
	const char *chunk = end + 1;
	if (!a->chunks) {
		a->chunks = calloc(n, sizeof *a->chunks);
		if (!a->chunks)
			return am_fail(e, AM_ENV, _("out of memory"));
		snprintf(a->reg_id, sizeof a->reg_id, "%s", id);
		a->total = (int)n;
		a->crc = (uint32_t)crc;
	} else if (strcmp(id, a->reg_id) || (int)n != a->total || crc != a->crc) {
		return am_fail(e, AM_REFUSED, _("this code is of another register (%s), not %s: scan the codes of one sheet"),
			       id, a->reg_id);
	}
	if (a->chunks[k - 1])
		return am_fail(e, AM_REFUSED, _("code %u/%u of %s was scanned already"), (unsigned)k, (unsigned)n, id);
	a->chunks[k - 1] = strdup(chunk);
	if (!a->chunks[k - 1])
		return am_fail(e, AM_ENV, _("out of memory"));
	a->have++;
	return 0;
}

bool sheet_assembly_complete(const struct sheet_assembly *a)
{
	return a->chunks && a->have == a->total;
}

void sheet_assembly_free(struct sheet_assembly *a)
{
	for (int i = 0; a->chunks && i < a->total; i++)
		free(a->chunks[i]);
	free(a->chunks);
	memset(a, 0, sizeof *a);
}

/* Split one payload line into n fields, undoing the %-escapes in place. */
static int split(char *line, char **f, int n)
{
	int i = 0;
	f[i++] = line;
	for (char *p = line; *p; p++)
		if (*p == '|') {
			*p = '\0';
			if (i == n)
				return -1;
			f[i++] = p + 1;
		}
	if (i != n)
		return -1;
	for (int k = 0; k < n; k++) {
		char *w = f[k];
		for (char *r = f[k]; *r; r++) {
			if (r[0] == '%' && r[1] && r[2]) {
				char hex[3] = { r[1], r[2], 0 };
				long v = strtol(hex, NULL, 16);
				if (v == 0)
					v = 0x01;	/* %00 would cut the field: keep a control character, refused later */
				*w++ = (char)v;
				r += 2;
			} else {
				*w++ = *r;
			}
		}
		*w = '\0';
	}
	return 0;
}

int sheet_assembly_decode(const struct sheet_assembly *a, int offset_min, struct reg *out,
			  struct am_error *e)
{
	struct buf b = { 0 };
	(void)offset_min;
	if (!sheet_assembly_complete(a))
		return am_fail(e, AM_REFUSED, _("%d of %d codes of %s scanned: scan the rest"), a->have, a->total, a->reg_id);
	for (int i = 0; i < a->total; i++)
		put(&b, a->chunks[i], strlen(a->chunks[i]));
	if (b.failed) {
		free(b.p);
		return am_fail(e, AM_ENV, _("out of memory"));
	}
	if (crc32_text(b.p, b.len) != a->crc) {
		free(b.p);
		return am_fail(e, AM_REFUSED, _("the codes of %s do not add up (checksum): scan the sheet again"), a->reg_id);
	}
	memset(out, 0, sizeof *out);
	char *save = NULL, *line = strtok_r(b.p, "~", &save);
	char *f[5];
	int rc = 0;
	if (!line || split(line, f, 5)) {
		rc = am_fail(e, AM_REFUSED, _("the register code has no header"));
		goto done;
	}
	int kind = register_kind_from_name(f[1]);
	if (kind != REG_INBOUND && kind != REG_RETURN) {
		rc = am_fail(e, AM_REFUSED, _("register: field 'kind' must be 'inbound' or 'return'"));
		goto done;
	}
	char *end = NULL;
	errno = 0;
	long long formed = strtoll(f[4], &end, 10);
	if (!f[4][0] || *end || errno || formed <= 0) {
		rc = am_fail(e, AM_REFUSED, _("register: field 'formed_at' is not a time"));
		goto done;
	}
	snprintf(out->id, sizeof out->id, "%s", f[0]);
	out->kind = (enum register_kind)kind;
	snprintf(out->from, sizeof out->from, "%s", f[2]);
	snprintf(out->to, sizeof out->to, "%s", f[3]);
	out->formed_at = formed;
	while ((line = strtok_r(NULL, "~", &save))) {
		struct register_line l;
		if (split(line, f, 5)) {
			rc = am_fail(e, AM_REFUSED, _("line %zu of the register code is damaged"), out->n_lines + 1);
			break;
		}
		memset(&l, 0, sizeof l);
		snprintf(l.waybill, sizeof l.waybill, "%s", f[0]);
		snprintf(l.application, sizeof l.application, "%s", f[1]);
		snprintf(l.postomat, sizeof l.postomat, "%s", f[2]);
		snprintf(l.city, sizeof l.city, "%s", f[3]);
		snprintf(l.iin, sizeof l.iin, "%s", f[4]);
		if (register_add_line(out, &l)) {
			rc = am_fail(e, AM_ENV, _("out of memory"));
			break;
		}
	}
done:
	free(b.p);
	if (rc)
		register_free(out);
	return rc;
}
