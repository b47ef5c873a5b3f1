/*
 * date_input.c - a typed date: dd.mm.yyyy as every screen shows dates,
 * dd.mm for this year, and yyyy-mm-dd (see date_input.h).
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
