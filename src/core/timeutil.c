/*
 * timeutil.c - civil calendar arithmetic and time formatting.
 *
 * Dates are converted with Howard Hinnant's days_from_civil algorithm (exact
 * for the proleptic Gregorian calendar), so no code here depends on the
 * machine's TZ or on mktime().  Local time is always UTC + a fixed offset.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "amanat/timeutil.h"

int64_t days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void civil_from_days(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

int weekday_from_days(int64_t z)
{
	/* 1970-01-01 was a Thursday (3 when Monday is 0). */
	int64_t w = (z + 3) % 7;
	return (int)(w < 0 ? w + 7 : w);
}

int days_in_month(int y, int m)
{
	static const int len[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return len[m - 1];
}

static int64_t clock_base_ms;		/* fixed "now" at start, 0 = real clock */
static int64_t clock_base_mono;		/* monotonic ms when it was fixed */
static int clock_env_read;

static int64_t real_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void now_override(int64_t utc_ms)
{
	clock_env_read = 1;
	clock_base_ms = utc_ms;
	clock_base_mono = mono_ms();
}

int64_t now_ms(void)
{
	if (!clock_env_read) {
		const char *env = getenv("AMANAT_NOW");
		int64_t t;
		clock_env_read = 1;
		if (env && *env) {
			char *end;
			long long v = strtoll(env, &end, 10);
			if (*end == '\0' && v > 100000000000LL)
				now_override(v);
			else if (time_parse(env, 300, &t) == 0)
				now_override(t);
		}
	}
	if (clock_base_ms)
		return clock_base_ms + (mono_ms() - clock_base_mono);
	return real_ms();
}

static int digits(const char **p, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)**p))
			return -1;
		v = v * 10 + (**p - '0');
		(*p)++;
	}
	*out = v;
	return 0;
}

static int parse_date_part(const char **p, int *y, int *m, int *d)
{
	if (digits(p, 4, y) || **p != '-')
		return -1;
	(*p)++;
	if (digits(p, 2, m) || **p != '-')
		return -1;
	(*p)++;
	if (digits(p, 2, d))
		return -1;
	if (*m < 1 || *m > 12 || *d < 1 || *d > days_in_month(*y, *m))
		return -1;
	return 0;
}

int date_parse(const char *s, int64_t *days)
{
	int y, m, d;
	const char *p = s;
	if (parse_date_part(&p, &y, &m, &d) || *p)
		return -1;
	*days = days_from_civil(y, m, d);
	return 0;
}

int time_parse(const char *s, int offset_min, int64_t *utc_ms)
{
	int y, m, d, hh = 0, mm = 0, ss = 0, off = offset_min;
	const char *p = s;
	if (parse_date_part(&p, &y, &m, &d))
		return -1;
	if (*p == ' ' || *p == 'T') {
		p++;
		if (digits(&p, 2, &hh) || *p != ':')
			return -1;
		p++;
		if (digits(&p, 2, &mm))
			return -1;
		if (*p == ':') {
			p++;
			if (digits(&p, 2, &ss))
				return -1;
			if (*p == '.') {	/* fractions of a second are dropped */
				p++;
				while (isdigit((unsigned char)*p))
					p++;
			}
		}
		if (*p == 'Z') {
			off = 0;
			p++;
		} else if (*p == '+' || *p == '-') {
			int sign = *p == '-' ? -1 : 1, oh, om = 0;
			p++;
			if (digits(&p, 2, &oh))
				return -1;
			if (*p == ':')
				p++;
			if (*p && digits(&p, 2, &om))
				return -1;
			off = sign * (oh * 60 + om);
		}
	}
	if (*p || hh > 23 || mm > 59 || ss > 60)
		return -1;
	*utc_ms = (days_from_civil(y, m, d) * 86400 + (int64_t)hh * 3600 + (int64_t)mm * 60 + ss) * 1000LL
		  - (int64_t)off * MS_PER_MINUTE;
	return 0;
}

struct civil { int y, m, d, hh, mm, ss; };

static struct civil to_local(int64_t utc_ms, int offset_min)
{
	struct civil c;
	int64_t t = utc_ms + (int64_t)offset_min * MS_PER_MINUTE;
	int64_t days = t >= 0 ? t / MS_PER_DAY : -((-t + MS_PER_DAY - 1) / MS_PER_DAY);
	int64_t rest = (t - days * MS_PER_DAY) / 1000;
	civil_from_days(days, &c.y, &c.m, &c.d);
	c.hh = (int)(rest / 3600);
	c.mm = (int)(rest / 60 % 60);
	c.ss = (int)(rest % 60);
	return c;
}

void time_format_iso(int64_t utc_ms, int offset_min, char *buf, size_t len)
{
	struct civil c = to_local(utc_ms, offset_min);
	int a = offset_min < 0 ? -offset_min : offset_min;
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", c.y, c.m, c.d,
		 c.hh, c.mm, c.ss, offset_min < 0 ? '-' : '+', a / 60, a % 60);
}

void time_format_local(int64_t utc_ms, int offset_min, char *buf, size_t len)
{
	struct civil c = to_local(utc_ms, offset_min);
	snprintf(buf, len, "%04d-%02d-%02d %02d:%02d", c.y, c.m, c.d, c.hh, c.mm);
}

void time_format_human(int64_t utc_ms, int offset_min, char *buf, size_t len)
{
	struct civil c = to_local(utc_ms, offset_min);
	snprintf(buf, len, "%02d.%02d.%04d %02d:%02d", c.d, c.m, c.y, c.hh, c.mm);
}

void duration_format(int64_t ms, char *buf, size_t len)
{
	int neg = ms < 0;
	int64_t min = (neg ? -ms : ms) / MS_PER_MINUTE;
	snprintf(buf, len, "%s%lld:%02lld", neg ? "-" : "", (long long)(min / 60),
		 (long long)(min % 60));
}
