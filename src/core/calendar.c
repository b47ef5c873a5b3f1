/*
 * calendar.c - working days of Kazakhstan from a data file.
 *
 * The file lists exceptions only (holidays and their transfers as "off",
 * transferred working Saturdays as "work"); every other day is a working day
 * from Monday to Friday.  Lookups are a binary search over the sorted
 * exceptions: deadlines are computed on every scan and must be cheap.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "amanat/calendar.h"
#include "amanat/timeutil.h"

struct day_entry {
	int64_t day;
	bool work;
};

struct calendar {
	struct day_entry *v;
	size_t n;
	int first_year, last_year;
	int64_t covers_from, covers_to;	/* the "covers" line, or 0, 0 */
	bool has_covers;
	int64_t provisional_from;	/* "provisional" line: days from here on are not final */
	bool has_provisional;
	unsigned char years[64];	/* years 2000..2063 with any entry */
};

static int by_day(const void *a, const void *b)
{
	const struct day_entry *x = a, *y = b;
	return (x->day > y->day) - (x->day < y->day);
}

void calendar_free(struct calendar *cal)
{
	if (cal) {
		free(cal->v);
		free(cal);
	}
}

struct calendar *calendar_parse(const char *text, char *err, size_t errlen)
{
	struct calendar *cal = calloc(1, sizeof *cal);
	size_t cap = 0, lineno = 0;
	const char *p = text;
	if (!cal) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char line[256], date[16], kind[16];
		lineno++;
		if (len >= sizeof line) {
			snprintf(err, errlen, "line %zu: too long", lineno);
			goto fail;
		}
		memcpy(line, p, len);
		line[len] = '\0';
		p += len + (nl ? 1 : 0);
		char *hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		char *s = line;
		while (isspace((unsigned char)*s))
			s++;
		if (!*s)
			continue;
		int64_t day, day2;
		char d2[16];
		if (strncmp(s, "covers", 6) == 0 && isspace((unsigned char)s[6])) {
			if (sscanf(s + 6, "%15s %15s", date, d2) != 2 || date_parse(date, &day) || date_parse(d2, &day2)
			    || day2 < day) {
				snprintf(err, errlen, "line %zu: expected 'covers YYYY-MM-DD YYYY-MM-DD' (first and last day the file describes)", lineno);
				goto fail;
			}
			cal->covers_from = day;
			cal->covers_to = day2;
			cal->has_covers = true;
			continue;
		}
		if (strncmp(s, "provisional", 11) == 0 && isspace((unsigned char)s[11])) {
			if (sscanf(s + 11, "%15s", date) != 1 || date_parse(date, &day)) {
				snprintf(err, errlen, "line %zu: expected 'provisional YYYY-MM-DD' (from that day on the file is not final)", lineno);
				goto fail;
			}
			cal->provisional_from = day;
			cal->has_provisional = true;
			continue;
		}
		int n = sscanf(s, "%15s %15s", date, kind);
		if (n < 2 || date_parse(date, &day) != 0) {
			snprintf(err, errlen, "line %zu: expected 'YYYY-MM-DD off|work [comment]'", lineno);
			goto fail;
		}
		bool work = strcmp(kind, "work") == 0;
		if (!work && strcmp(kind, "off") != 0) {
			snprintf(err, errlen, "line %zu: '%s' must be 'off' or 'work'", lineno, kind);
			goto fail;
		}
		for (size_t i = 0; i < cal->n; i++)
			if (cal->v[i].day == day && cal->v[i].work != work) {
				snprintf(err, errlen, "line %zu: %s is listed both off and work", lineno, date);
				goto fail;
			}
		if (cal->n == cap) {
			cap = cap ? cap * 2 : 64;
			struct day_entry *v = realloc(cal->v, cap * sizeof *v);
			if (!v) {
				snprintf(err, errlen, "out of memory");
				goto fail;
			}
			cal->v = v;
		}
		cal->v[cal->n].day = day;
		cal->v[cal->n].work = work;
		cal->n++;
		int y, m, d;
		civil_from_days(day, &y, &m, &d);
		if (!cal->first_year || y < cal->first_year)
			cal->first_year = y;
		if (y > cal->last_year)
			cal->last_year = y;
		if (y >= 2000 && y < 2064)
			cal->years[y - 2000] = 1;
	}
	if (cal->n)
		qsort(cal->v, cal->n, sizeof *cal->v, by_day);
	return cal;
fail:
	calendar_free(cal);
	return NULL;
}

bool calendar_is_working(const struct calendar *cal, int64_t day)
{
	struct day_entry key = { day, false };
	const struct day_entry *hit = cal && cal->n
		? bsearch(&key, cal->v, cal->n, sizeof key, by_day) : NULL;
	if (hit)
		return hit->work;
	return weekday_from_days(day) < 5;
}

void calendar_span(const struct calendar *cal, int *first_year, int *last_year)
{
	*first_year = cal ? cal->first_year : 0;
	*last_year = cal ? cal->last_year : 0;
}

bool calendar_covers(const struct calendar *cal, int64_t day)
{
	int y, m, d;
	if (!cal)
		return false;
	if (cal->has_covers)
		return day >= cal->covers_from && day <= cal->covers_to;
	civil_from_days(day, &y, &m, &d);
	if (y >= 2000 && y < 2064)
		return cal->years[y - 2000] != 0;
	return false;
}

int64_t calendar_last_day(const struct calendar *cal)
{
	if (!cal)
		return 0;
	if (cal->has_covers)
		return cal->covers_to;
	return cal->last_year ? days_from_civil(cal->last_year, 12, 31) : 0;
}

bool calendar_is_provisional(const struct calendar *cal, int64_t day)
{
	return cal && cal->has_provisional && day >= cal->provisional_from;
}
