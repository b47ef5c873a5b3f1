/*
 * copy.c - rows to PostgreSQL by COPY FROM STDIN, the fastest way in:
 * ingest writes a batch's events, new envelopes and clocks this way instead
 * of through a JSON document PostgreSQL must parse again.  (Measured against
 * INSERT ... SELECT FROM unnest(arrays) of the same rows: COPY took 30% less
 * of PostgreSQL's CPU.)
 *
 * Text format: a field is escaped as COPY wants it (backslash, tab,
 * newline, carriage return); NULL is \N.  The events go in the binary
 * format (hub_bin_*: 3% less of their COPY's CPU at 200,000 events, no
 * integer, uuid or escape read back).  Strings come from the upload's JSON
 * reader, which never hands over a NUL inside a string, so every value
 * survives exactly (tests/hub/burst.sh).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hub.h"

static bool grow(struct hub_buf *b, size_t more)
{
	if (b->oom)
		return false;
	if (b->len + more + 1 <= b->cap)
		return true;
	size_t cap = b->cap ? b->cap : 65536;
	while (cap < b->len + more + 1)
		cap *= 2;
	char *p = realloc(b->p, cap);
	if (!p) {
		b->oom = true;
		return false;
	}
	b->p = p;
	b->cap = cap;
	return true;
}

void hub_buf_raw(struct hub_buf *b, const char *s, size_t n)
{
	if (!grow(b, n))
		return;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void sep(struct hub_buf *b)
{
	if (b->col++)
		hub_buf_raw(b, "\t", 1);
}

void hub_buf_text(struct hub_buf *b, const char *s)
{
	sep(b);
	if (!s) {
		hub_buf_raw(b, "\\N", 2);
		return;
	}
	size_t n = strlen(s);
	if (!grow(b, 2 * n))
		return;
	char *o = b->p + b->len;
	for (size_t i = 0; i < n;) {
		/* runs without a character to escape are copied whole */
		size_t run = strcspn(s + i, "\\\t\n\r");
		memcpy(o, s + i, run);
		o += run;
		i += run;
		if (i == n)
			break;
		char ch = s[i++];
		*o++ = '\\';
		*o++ = (char)(ch == '\\' ? '\\' : ch == '\t' ? 't' : ch == '\n' ? 'n' : 'r');
	}
	b->len = (size_t)(o - b->p);
	b->p[b->len] = '\0';
}

void hub_buf_int(struct hub_buf *b, int64_t v)
{
	char n[24], *e = n + sizeof n, *p = e;
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--p = '-';
	sep(b);
	hub_buf_raw(b, p, (size_t)(e - p));
}

void hub_buf_end_row(struct hub_buf *b)
{
	hub_buf_raw(b, "\n", 1);
	b->col = 0;
}

/* ---- COPY's binary format: no text to parse for PostgreSQL (a tenth of
 * the events' COPY was reading integers, uuids and escapes back). */
static void be(struct hub_buf *b, uint64_t v, int bytes)
{
	char o[8];
	for (int i = 0; i < bytes; i++)
		o[i] = (char)(v >> (8 * (bytes - 1 - i)) & 0xff);
	hub_buf_raw(b, o, (size_t)bytes);
}

void hub_bin_begin(struct hub_buf *b)
{
	hub_buf_raw(b, "PGCOPY\n\377\r\n\0", 11);
	be(b, 0, 4);	/* flags */
	be(b, 0, 4);	/* header extension */
}

void hub_bin_row(struct hub_buf *b, int fields)
{
	be(b, (uint64_t)fields, 2);
}

void hub_bin_text(struct hub_buf *b, const char *s)
{
	if (!s) {
		be(b, 0xffffffffu, 4);	/* NULL */
		return;
	}
	size_t n = strlen(s);
	be(b, n, 4);
	hub_buf_raw(b, s, n);
}

void hub_bin_int(struct hub_buf *b, int64_t v, int bytes)
{
	be(b, (uint64_t)bytes, 4);
	be(b, (uint64_t)v, bytes);
}

/* A uuid written as hub_is_uuid checks it (36 characters, hex and dashes). */
void hub_bin_uuid(struct hub_buf *b, const char *u)
{
	char o[16];
	int k = 0;
	for (int i = 0; u[i] && k < 32; i++) {
		int c = (unsigned char)u[i], d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
				  : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (d < 0)
			continue;
		o[k / 2] = (char)(k % 2 ? (o[k / 2] & 0xf0) | d : d << 4);
		k++;
	}
	be(b, 16, 4);
	hub_buf_raw(b, o, 16);
}

/* jsonb's binary form: version 1, then the JSON text (PostgreSQL parses it). */
void hub_bin_jsonb(struct hub_buf *b, const char *json)
{
	size_t n = strlen(json);
	be(b, n + 1, 4);
	hub_buf_raw(b, "\1", 1);
	hub_buf_raw(b, json, n);
}

void hub_bin_end(struct hub_buf *b)
{
	be(b, 0xffff, 2);
}

void hub_buf_free(struct hub_buf *b)
{
	free(b->p);
	*b = (struct hub_buf){ 0 };
}

/* The SQLSTATE of this thread's last failed statement ("" when none). */
static __thread char sqlstate[6];

void hub_pg_note_state(PGresult *r)
{
	const char *s = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	snprintf(sqlstate, sizeof sqlstate, "%s", s ? s : "");
}

const char *hub_pg_sqlstate(void)
{
	return sqlstate;
}

int hub_copy(PGconn *c, const char *sql, const struct hub_buf *b, size_t *rows, struct am_error *e)
{
	if (b->oom)
		return am_fail(e, AM_ENV, "out of memory");
	sqlstate[0] = '\0';
	PGresult *r = PQexec(c, sql);
	if (PQresultStatus(r) != PGRES_COPY_IN) {
		hub_pg_note_state(r);
		am_fail(e, AM_ENV, "PostgreSQL: %s", PQresultErrorMessage(r));
		PQclear(r);
		return AM_ENV;
	}
	PQclear(r);
	bool sent = b->len == 0 || PQputCopyData(c, b->p, (int)b->len) == 1;
	if (PQputCopyEnd(c, sent ? NULL : "the hub could not send the rows") != 1)
		return am_fail(e, AM_ENV, "PostgreSQL: %s", PQerrorMessage(c));
	int rc = 0;
	while ((r = PQgetResult(c))) {
		if (PQresultStatus(r) != PGRES_COMMAND_OK && !rc) {
			hub_pg_note_state(r);
			rc = am_fail(e, AM_ENV, "PostgreSQL: %s", PQresultErrorMessage(r));
		} else if (!rc && rows) {
			*rows = (size_t)strtoull(PQcmdTuples(r), NULL, 10);
		}
		PQclear(r);
	}
	return rc;
}
