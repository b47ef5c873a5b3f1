/*
 * bench.h - what the benchmark programs share: a monotonic clock, CPU time,
 * percentiles, and valid S10 waybills made from a serial number.
 */
#ifndef AMANAT_BENCH_H
#define AMANAT_BENCH_H

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

static inline double mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* User + system CPU seconds of this process so far. */
static inline double cpu(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

/* User CPU seconds only: the program's own work, not the kernel's fsync. */
static inline double cpu_user(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6;
}

static inline int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Sorts lat in place; p is 50 or 99. */
static inline double pct(double *lat, int n, int p)
{
	qsort(lat, (size_t)n, sizeof *lat, cmp_double);
	return lat[(long)n * p / 100];
}

/* The S10 waybill RR<serial><check>KZ (UPU S10 weights). */
static inline void s10(long serial, char out[14])
{
	static const int w[8] = { 8, 6, 4, 2, 3, 5, 9, 7 };
	char d[16];
	snprintf(d, sizeof d, "%08ld", serial % 100000000);
	int sum = 0;
	for (int i = 0; i < 8; i++)
		sum += (d[i] - '0') * w[i];
	int c = 11 - sum % 11;
	c = c == 10 ? 0 : c == 11 ? 5 : c;
	snprintf(out, 14, "RR%s%dKZ", d, c);
}

#endif
