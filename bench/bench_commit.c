/*
 * bench_commit.c - what one acceptance scan costs: store_tally_scan (check,
 * event with hash chain, envelope, clocks, fsync'd commit) beside the floor,
 * one bare INSERT in its own transaction with the same durability (WAL,
 * synchronous=FULL) on the same disk.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sqlite3.h>
#include "amanat/store.h"
#include "amanat/timeutil.h"

#define N 2000

static double mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void report(const char *what, double *lat, int n, double total)
{
	qsort(lat, n, sizeof *lat, cmp);
	printf("%-34s %8.0f /s   p50 %6.2f ms   p99 %6.2f ms\n", what, n / total,
	       lat[n / 2] * 1e3, lat[n * 99 / 100] * 1e3);
}

static void s10(int serial, char out[14])
{
	static const int w[8] = { 8, 6, 4, 2, 3, 5, 9, 7 };
	char d[9];
	snprintf(d, sizeof d, "%08d", serial);
	int sum = 0;
	for (int i = 0; i < 8; i++)
		sum += (d[i] - '0') * w[i];
	int c = 11 - sum % 11;
	c = c == 10 ? 0 : c == 11 ? 5 : c;
	snprintf(out, 14, "RR%s%dKZ", d, c);
}

int main(void)
{
	char dir[] = "/tmp/amanat-bench.XXXXXX", path[256], cmd[300];
	static double lat[N];
	struct am_error e;
	if (!mkdtemp(dir))
		return 1;

	/* the floor: bare durable inserts */
	sqlite3 *db;
	snprintf(path, sizeof path, "%s/floor.db", dir);
	sqlite3_open(path, &db);
	sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
		     "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)", NULL, NULL, NULL);
	sqlite3_stmt *st;
	sqlite3_prepare_v2(db, "INSERT INTO t(v) VALUES ('RR123456785KZ')", -1, &st, NULL);
	double t0 = mono();
	for (int i = 0; i < N; i++) {
		double a = mono();
		sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
		sqlite3_step(st);
		sqlite3_reset(st);
		sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
		lat[i] = mono() - a;
	}
	report("floor: bare INSERT + fsync commit", lat, N, mono() - t0);
	sqlite3_finalize(st);
	sqlite3_close(db);

	/* the real path */
	struct store *s;
	snprintf(path, sizeof path, "%s/amanat.db", dir);
	if (store_open(path, &s, &e)) {
		fprintf(stderr, "%s\n", e.msg);
		return 1;
	}
	struct reg r;
	memset(&r, 0, sizeof r);
	snprintf(r.id, sizeof r.id, "R-BENCH");
	r.kind = REG_INBOUND;
	snprintf(r.from, sizeof r.from, "SC");
	snprintf(r.to, sizeof r.to, "KP");
	r.formed_at = now_ms();
	for (int i = 0; i < N; i++) {
		struct register_line l = { "", "APP", "PM-1", "Almaty", "" };
		s10(10000000 + i, l.waybill);
		register_add_line(&r, &l);
	}
	struct event_ctx ctx = { "bench", "KP", 0, NULL };
	if (store_register_import(s, &r, &ctx, &e)) {
		fprintf(stderr, "%s\n", e.msg);
		return 1;
	}
	t0 = mono();
	for (int i = 0; i < N; i++) {
		enum scan_result res;
		double a = mono();
		if (store_tally_scan(s, "R-BENCH", r.lines[i].waybill, &ctx, &res, NULL, 0, &e) || res != SCAN_MATCHED) {
			fprintf(stderr, "scan %d: %s\n", i, e.msg);
			return 1;
		}
		lat[i] = mono() - a;
	}
	report("amanat: acceptance scan (store)", lat, N, mono() - t0);
	register_free(&r);
	store_close(s);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : 1;
}
