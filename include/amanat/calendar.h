/*
 * calendar.h - Kazakhstan's working days, fed by a data file.
 *
 * File format, one entry a line:
 *     YYYY-MM-DD off  [comment]
 *     YYYY-MM-DD work [comment]
 *     covers YYYY-MM-DD YYYY-MM-DD   the first and last day the file describes
 *     provisional YYYY-MM-DD         from that day on, not yet final (no decree)
 * '#' starts a comment; blank lines are ignored.  Saturday and Sunday are off
 * unless listed "work"; any day listed "off" is off.  The shipped file is
 * assets/calendar/kz-2026.txt; an operator corrects it, not the code.
 */
#ifndef AMANAT_CALENDAR_H
#define AMANAT_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct calendar;

/* Parse text (NUL-terminated).  On error returns NULL and names the line in err. */
struct calendar *calendar_parse(const char *text, char *err, size_t errlen);
void calendar_free(struct calendar *cal);

/* day: days since 1970-01-01 */
bool calendar_is_working(const struct calendar *cal, int64_t day);
/* First and last year that the file lists any entry for (0 when empty). */
void calendar_span(const struct calendar *cal, int *first_year, int *last_year);
/* True when the file describes day (its "covers" range; without one, a year
 * with any entry): only then can a deadline on it be trusted. */
bool calendar_covers(const struct calendar *cal, int64_t day);
/* The last day the file describes (days since the epoch), 0 when empty. */
int64_t calendar_last_day(const struct calendar *cal);
/* True when day is on or after the file's "provisional" line. */
bool calendar_is_provisional(const struct calendar *cal, int64_t day);

#endif
