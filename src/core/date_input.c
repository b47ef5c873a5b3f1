/*
 * date_input.c - a typed date: dd.mm.yyyy as every screen shows dates,
 * dd.mm for this year, and yyyy-mm-dd; a shown date moved by the arrows
 * (see date_input.h).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "amanat/date_input.h"
#include "amanat/timeutil.h"

static int number(const char **p, int max_digits, int *out)
{
	int n = 0, v = 0;
	while (isdigit((unsigned char)**p) && n < max_digits) {
		v = v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	*out = v;
	return n ? 0 : -1;
}

/* The ISO text back from days: date_parse's own calendar does the checks. */
static int iso_of(int y, int m, int d, int64_t *days, char *iso, size_t isolen)
{
	char buf[16];
	int64_t back;
	if (y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
	if (date_parse(buf, &back))
		return -1;
	/* 31.02 parses into March: refuse a day the month does not have */
	char again[16];
	date_input_format(back, again, sizeof again);
	char want[16];
	snprintf(want, sizeof want, "%02d.%02d.%04d", d, m, y);
	if (strcmp(again, want))
		return -1;
	*days = back;
	if (iso)
		snprintf(iso, isolen, "%s", buf);
	return 0;
}

int date_input_parse(const char *s, int64_t today_days, int64_t *days, char *iso, size_t isolen)
{
	const char *p = s;
	int a, b, c;
	while (*p == ' ')
		p++;
	if (strchr(p, '-')) {	/* 2026-03-21 */
		if (number(&p, 4, &a) || *p++ != '-' || number(&p, 2, &b) || *p++ != '-' || number(&p, 2, &c))
			return -1;
		while (*p == ' ')
			p++;
		return *p ? -1 : iso_of(a, b, c, days, iso, isolen);
	}
	if (number(&p, 2, &a) || (*p != '.' && *p != '/'))
		return -1;
	p++;
	if (number(&p, 2, &b))
		return -1;
	char today[16];
	date_input_format(today_days, today, sizeof today);
	int y = (int)strtol(today + 6, NULL, 10);	/* our own "DD.MM.YYYY" */
	if (*p == '.' || *p == '/') {
		p++;
		const char *start = p;
		if (number(&p, 4, &y))
			return -1;
		if (p - start == 2)
			y += 2000;
		else if (p - start != 4)
			return -1;
	}
	while (*p == ' ')
		p++;
	return *p ? -1 : iso_of(y, b, a, days, iso, isolen);
}

void date_input_format(int64_t days, char *buf, size_t len)
{
	char t[32];
	/* noon of the day, at UTC: the civil date is the day itself */
	time_format_local(days * 86400000LL + 12 * 3600000LL, 0, t, sizeof t);
	snprintf(buf, len, "%.2s.%.2s.%.4s", t + 8, t + 5, t);
}

int date_input_shown(const char *iso, char *buf, size_t len)
{
	int64_t day;
	if (iso && strlen(iso) == 10 && date_parse(iso, &day) == 0) {
		date_input_format(day, buf, len);
		return 0;
	}
	snprintf(buf, len, "%s", iso ? iso : "");
	return -1;
}

/* The day, month and year of a day (from our own "DD.MM.YYYY"). */
static void ymd(int64_t days, int *y, int *m, int *d)
{
	char t[16];
	date_input_format(days, t, sizeof t);
	*d = (int)strtol(t, NULL, 10);
	*m = (int)strtol(t + 3, NULL, 10);
	*y = (int)strtol(t + 6, NULL, 10);
}

static int add_months(int64_t days, int months, int64_t *out)
{
	int y, m, d;
	ymd(days, &y, &m, &d);
	int total = y * 12 + (m - 1) + months;
	y = total / 12;
	m = total % 12 + 1;
	for (; d >= 28; d--)	/* 31.01 + 1 month: the last day of February */
		if (!iso_of(y, m, d, out, NULL, 0))
			return 0;
	return iso_of(y, m, d, out, NULL, 0);
}

int date_input_step(const char *s, int64_t today_days, int days, int months, char *out, size_t len)
{
	int64_t day = today_days;
	const char *rest = "";
	while (*s == ' ')
		s++;
	if (*s) {
		size_t n = strcspn(s, " ");
		char date[32];
		if (n >= sizeof date)
			return -1;
		memcpy(date, s, n);
		date[n] = '\0';
		if (date_input_parse(date, today_days, &day, NULL, 0))
			return -1;
		rest = s + n;
	}
	if (months && add_months(day, months, &day))
		return -1;
	day += days;
	if (day < 0)
		return -1;
	char shown[16];
	date_input_format(day, shown, sizeof shown);
	if (strlen(shown) + strlen(rest) >= len)
		return -1;
	snprintf(out, len, "%s%s", shown, rest);
	return 0;
}

int date_input_parse_time(const char *s, int64_t today_days, int offset_min, int64_t *utc_ms)
{
	char iso[16], buf[40];
	int64_t day;
	int hh, mm;
	while (*s == ' ')
		s++;
	size_t n = strcspn(s, " ");
	if (n >= 16)
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (date_input_parse(buf, today_days, &day, iso, sizeof iso))
		return -1;
	const char *p = s + n;
	while (*p == ' ')
		p++;
	if (number(&p, 2, &hh) || *p++ != ':' || number(&p, 2, &mm) || hh > 23 || mm > 59)
		return -1;
	while (*p == ' ')
		p++;
	if (*p)
		return -1;
	snprintf(buf, sizeof buf, "%s %02d:%02d", iso, hh, mm);
	return time_parse(buf, offset_min, utc_ms);
}
