/*
 * error.c - filling struct am_error and mapping statuses to exit codes.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "amanat/error.h"
#include "amanat/text.h"

int (am_fail)(struct am_error *e, int status, const char *fmt, ...)	/* (): not the analyser's macro */
{
	if (e) {
		va_list ap;
		va_start(ap, fmt);
		int n = vsnprintf(e->msg, sizeof e->msg, fmt, ap);
		va_end(ap);
		am_fit(e->msg, sizeof e->msg, n);
	}
	return status;
}

void am_fit(char *buf, size_t size, int n)
{
	if (n < (int)size || size < sizeof "…")
		return;
	/* A message longer than the buffer ends at a whole letter with "…":
	 * half a Kazakh letter would make the line invalid UTF-8, and a screen
	 * (or a JSON answer) would drop all of it. */
	size_t at = text_fit(buf, size - 1, size - sizeof "…");
	memcpy(buf + at, "…", sizeof "…");
}

int am_exit_code(int status)
{
	switch (status) {
	case AM_OK: return 0;
	case AM_REFUSED: return 1;
	case AM_USAGE: return 2;
	default: return 3;
	}
}

int am_is_env(int status)
{
	return status == AM_ENV || (status <= AM_ENV_OFFLINE && status >= AM_ENV_REFUSES_ALL);
}

int am_setup_exit_code(int status)
{
	switch (status) {
	case AM_OK: return 0;
	case AM_REFUSED: return 1;
	case AM_USAGE: return 2;
	case AM_ENV_OFFLINE: return 3;
	case AM_ENV_TOKEN: return 4;
	case AM_ENV_UPSTREAM: return 5;
	case AM_ENV_READONLY: return 6;
	case AM_ENV_SCHEMA: return 7;
	case AM_ENV_CALENDAR: return 8;
	case AM_ENV_REFUSES_ALL: return 9;
	default: return 10;
	}
}
