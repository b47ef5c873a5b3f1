/*
 * timeutil.h - civil dates and times without the C library's time zones.
 *
 * Stored times are UTC milliseconds since the epoch.  Local time is UTC plus
 * a fixed offset in minutes (Kazakhstan: +300 since 1 March 2024), taken from
 * config, never from the TZ of the machine.
 */
#ifndef AMANAT_TIMEUTIL_H
#define AMANAT_TIMEUTIL_H

#include <stddef.h>
#include <stdint.h>

#define MS_PER_MINUTE 60000LL
#define MS_PER_HOUR 3600000LL
#define MS_PER_DAY 86400000LL

/* Days since 1970-01-01 for a proleptic Gregorian date, and back. */
int64_t days_from_civil(int y, int m, int d);
void civil_from_days(int64_t days, int *y, int *m, int *d);
/* 0 = Monday ... 6 = Sunday. */
int weekday_from_days(int64_t days);
int days_in_month(int y, int m);

/* Now in UTC ms.  AMANAT_NOW ("YYYY-MM-DD HH:MM[:SS]" local, or ms) overrides it
 * for tests and demos; the value is read once, then the clock runs on from it. */
int64_t now_ms(void);
void now_override(int64_t utc_ms);	/* tests: fix the clock; 0 clears */

/* Parse "YYYY-MM-DD", "YYYY-MM-DD HH:MM", "YYYY-MM-DDTHH:MM[:SS][Z|+05:00]".
 * A time without an offset is local (offset_min). 0 or -1. */
int time_parse(const char *s, int offset_min, int64_t *utc_ms);
/* Parse only a date "YYYY-MM-DD" into days since the epoch. 0 or -1. */
int date_parse(const char *s, int64_t *days);

/* "2026-03-20T12:00:00+05:00" */
void time_format_iso(int64_t utc_ms, int offset_min, char *buf, size_t len);
/* "2026-03-20 12:00" */
void time_format_local(int64_t utc_ms, int offset_min, char *buf, size_t len);
/* "20.03.2026 12:00" as people in Kazakhstan write it */
void time_format_human(int64_t utc_ms, int offset_min, char *buf, size_t len);
/* "-2:10", "20:05": hours:minutes, negative when past */
void duration_format(int64_t ms, char *buf, size_t len);

#endif
