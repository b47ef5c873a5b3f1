/*
 * date_input.h - dates as people in Kazakhstan write them: 21.03.2026 (or
 * 21.03, this year; 1.4.2026), and the ISO form 2026-03-21 too.  Pure.
 */
#ifndef AMANAT_DATE_INPUT_H
#define AMANAT_DATE_INPUT_H

#include <stddef.h>
#include <stdint.h>

/* Parse s; today_days (days since 1970-01-01, local) gives the year when
 * it is left out.  days gets the day, iso "YYYY-MM-DD".  -1: not a date. */
int date_input_parse(const char *s, int64_t today_days, int64_t *days, char *iso, size_t isolen);
/* "21.03.2026" for a day. */
void date_input_format(int64_t days, char *buf, size_t len);

#endif
