/*
 * log.h - messages for technicians: syslog/journald (ident "amanat") with
 * levels, and stderr as well when asked.  Never pass a device token or an
 * IIN in clear: log_mask_iin() is there for the cases that carry one.
 */
#ifndef AMANAT_LOG_H
#define AMANAT_LOG_H

#include <syslog.h>
#include "amanat/config.h"

/* level: config "log_level" = error | warning | info | debug (default info). */
void log_open(const struct config *cfg, int also_stderr);
void log_msg(int priority, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
