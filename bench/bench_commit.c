/*
 * bench_commit.c - what one acceptance scan costs: store_tally_scan (check,
 * event with hash chain, envelope, clocks, fsync'd commit) beside the floor,
 * one bare INSERT in its own transaction with the same durability (WAL,
 * synchronous=FULL) on the same disk.  Also the pages each commit writes
 * (WAL frames) and the CPU time per scan.  The store has the shipped
 * calendar, as every terminal does: an acceptance opens its clock.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sqlite3.h>
#include "amanat/calendar.h"
#include "amanat/store.h"
#include "amanat/timeutil.h"
#include "bench.h"

#define N 2000

/* The shipped calendar ($AMANAT_TOP/assets/calendar/kz-2026.txt). */
static struct calendar *load_calendar(void)
{
	char path[4200], err[200], *text;
	const char *top = getenv("AMANAT_TOP");
	snprintf(path, sizeof path, "%s/assets/calendar/kz-2026.txt", top ? top : ".");
	FILE *f = fopen(path, "r");
	if (!f || !(text = calloc(1, 1 << 20))) {
		fprintf(stderr, "no calendar at %s\n", path);
		exit(1);
	}
	size_t n = fread(text, 1, (1 << 20) - 1, f);
	fclose(f);
	if (n == 0) {
		fprintf(stderr, "%s is empty\n", path);
		exit(1);
	}
	struct calendar *cal = calendar_parse(text, err, sizeof err);
	free(text);
	if (!cal) {
		fprintf(stderr, "%s: %s\n", path, err);
		exit(1);
	}
	return cal;
}

static int frames_hook(void *arg, sqlite3 *db, const char *name, int frames)
{
	(void)db;
	(void)name;
	*(int *)arg = frames;
	return SQLITE_OK;
}

int main(void)
{
	char dir[] = "/tmp/amanat-bench.XXXXXX", path[256];
	static double lat[N];
	struct am_error e;
	/* as store_open sets SQLite up (no allocation statistics), for the
	 * floor and the store alike: the floor opens SQLite first */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	if (!mkdtemp(dir))
		return 1;

	/* the floor: bare durable inserts */
	sqlite3 *db;
	int frames = 0, floor_frames = 0;
	snprintf(path, sizeof path, "%s/floor.db", dir);
	sqlite3_open(path, &db);
	sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
		     "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)", NULL, NULL, NULL);
	sqlite3_wal_hook(db, frames_hook, &frames);
	sqlite3_stmt *st;
	sqlite3_prepare_v2(db, "INSERT INTO t(v) VALUES ('RR123456785KZ')", -1, &st, NULL);
	double t0 = mono(), c0 = cpu(), u0 = cpu_user();
	for (int i = 0; i < N; i++) {
		double a = mono();
		int before = frames;
		sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
		sqlite3_step(st);
		sqlite3_reset(st);
		sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
		lat[i] = mono() - a;
		floor_frames += frames - before;
	}
	double f_total = mono() - t0, f_cpu = (cpu() - c0) / N, f_user = (cpu_user() - u0) / N;
	double f50 = pct(lat, N, 50), f99 = pct(lat, N, 99);
	sqlite3_finalize(st);
	sqlite3_close(db);

	/* the real path */
	struct store *s;
	snprintf(path, sizeof path, "%s/amanat.db", dir);
	if (store_open(path, &s, &e)) {
		fprintf(stderr, "%s\n", e.msg);
		return 1;
	}
	struct calendar *cal = load_calendar();
	struct store_rules rules = *store_get_rules(s);
	rules.calendar = cal;
	store_set_rules(s, &rules);
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
	store_idle(s);
	long pages = 0;
	t0 = mono();
	c0 = cpu();
	u0 = cpu_user();
	for (int i = 0; i < N; i++) {
		enum scan_result res;
		int before = store_wal_frames(s);
		double a = mono();
		if (store_tally_scan(s, "R-BENCH", r.lines[i].waybill, &ctx, &res, NULL, 0, &e) || res != SCAN_MATCHED) {
			fprintf(stderr, "scan %d: %s\n", i, e.msg);
			return 1;
		}
		lat[i] = mono() - a;
		int after = store_wal_frames(s);
		pages += after >= before ? after - before : after;
	}
	double total = mono() - t0, s_cpu = (cpu() - c0) / N, s_user = (cpu_user() - u0) / N;
	double p50 = pct(lat, N, 50), p99 = pct(lat, N, 99);
	printf("%-36s %5.0f /s  p50 %6.3f ms  p99 %6.3f ms  %4.1f pages  CPU %4.0f us (user %3.0f)\n",
	       "floor: bare INSERT + fsync'd commit", N / f_total, f50 * 1e3, f99 * 1e3,
	       (double)floor_frames / N, f_cpu * 1e6, f_user * 1e6);
	printf("%-36s %5.0f /s  p50 %6.3f ms  p99 %6.3f ms  %4.1f pages  CPU %4.0f us (user %3.0f)\n",
	       "amanat: acceptance scan (store)", N / total, p50 * 1e3, p99 * 1e3, (double)pages / N,
	       s_cpu * 1e6, s_user * 1e6);
	printf("ratio: p50 %.2fx  p99 %.2fx  (targets <= 1.5x, <= 2x; <= 5 pages; <= 100 us CPU)\n",
	       p50 / f50, p99 / f99);
	register_free(&r);
	store_close(s);
	calendar_free(cal);
	unlink(path);
	snprintf(path, sizeof path, "%s/floor.db", dir);
	unlink(path);
	rmdir(dir);
	return 0;
}
