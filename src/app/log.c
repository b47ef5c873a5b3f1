/*
 * log.c - syslog with a level filter.  journald picks syslog up on systemd
 * machines, so the sync timer's runs are in `journalctl -t amanat`.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "amanat/log.h"

static int threshold = LOG_INFO;
static int to_stderr;

void log_open(const struct config *cfg, int also_stderr)
{
	const char *level = config_get(cfg, "log_level", "info");
	threshold = !strcmp(level, "error") ? LOG_ERR : !strcmp(level, "warning") ? LOG_WARNING
		  : !strcmp(level, "debug") ? LOG_DEBUG : LOG_INFO;
	to_stderr = also_stderr;
	openlog("amanat", LOG_PID, LOG_USER);
	setlogmask(LOG_UPTO(threshold));
}

void log_msg(int priority, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	if (priority > threshold)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	syslog(priority, "%s", buf);
	if (to_stderr)
		fprintf(stderr, "amanat: %s\n", buf);
}
