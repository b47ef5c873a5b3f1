/*
 * log.c - structured logs: one JSON object a line on stderr (journald keeps
 * them).  Tokens and personal data never reach a log line; callers pass only
 * ids that were checked to be plain (letters, digits, - . _).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <jansson.h>
#include "hub.h"

int64_t hub_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* fmt yields the extra members of the object ("\"k\":v,..."), or "". */
void hub_log(const char *level, const char *event, const char *fmt, ...)
{
	char extra[1024] = "";
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(extra, sizeof extra, fmt, ap);
	va_end(ap);
	fprintf(stderr, "{\"ts_ms\":%lld,\"level\":\"%s\",\"event\":\"%s\"%s%s}\n",
		(long long)hub_now_ms(), level, event, extra[0] ? "," : "", extra);
}

char *hub_json_error(const char *msg)
{
	json_t *o = json_pack("{s:s}", "error", msg);
	char *s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return s;
}

char *hub_read_file(const char *path, size_t *len, struct am_error *e)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		am_fail(e, AM_ENV, "cannot read %s", path);
		return NULL;
	}
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	for (;;) {
		if (!buf)
			break;
		n += fread(buf + n, 1, cap - n - 1, f);
		if (n < cap - 1)
			break;
		char *b = realloc(buf, cap * 2);
		if (!b) {
			free(buf);
			buf = NULL;
			break;
		}
		buf = b;
		cap *= 2;
	}
	bool bad = ferror(f);
	fclose(f);
	if (!buf || bad) {
		free(buf);
		am_fail(e, AM_ENV, "cannot read %s", path);
		return NULL;
	}
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}
