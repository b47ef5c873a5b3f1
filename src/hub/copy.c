/*
 * copy.c - rows to PostgreSQL by COPY FROM STDIN (text format), the fastest
 * way in: ingest writes a batch's events, new envelopes and clocks this way
 * instead of through a JSON document PostgreSQL must parse again.
 *
 * A field is escaped as COPY's text format wants it (backslash, tab,
 * newline, carriage return); NULL is \N.  Strings come from jansson, which
 * never hands over a NUL inside a string, so every value survives exactly.
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
