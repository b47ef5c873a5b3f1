/*
 * error.c - filling struct am_error and mapping statuses to exit codes.
 */
#include <stdarg.h>
#include <stdio.h>
#include "amanat/error.h"

int (am_fail)(struct am_error *e, int status, const char *fmt, ...)	/* (): not the analyser's macro */
{
	if (e) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(e->msg, sizeof e->msg, fmt, ap);
		va_end(ap);
	}
	return status;
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
