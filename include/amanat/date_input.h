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
/* A stored yyyy-mm-dd shown as people write it (dd.mm.yyyy); text that is not
 * such a date is shown as it is (NULL as "") and gives -1. */
int date_input_shown(const char *iso, char *buf, size_t len);

/* A shown date moved with the arrows: the date at the start of s (any form
 * date_input_parse takes; today_days when s is empty) moved by days and by
 * months (the 31st a month on is the month's last day), written back as
 * "dd.mm.yyyy" with what followed the date (" 18:00") kept.  -1, out
 * untouched, when s does not start with a date. */
int date_input_step(const char *s, int64_t today_days, int days, int months, char *out, size_t len);

/* A local time as screens show it, "21.03.2026 18:00" (or "21.03 18:00",
 * or ISO "2026-03-21 18:00"), to UTC ms; -1 when it is not one. */
int date_input_parse_time(const char *s, int64_t today_days, int offset_min, int64_t *utc_ms);

#endif
