/*
 * bench_import.c - importing a register of N lines (store_register_import:
 * validation, register, lines, envelopes, one event each with its hash, the
 * register's clocks, one fsync'd commit) beside the bulk floor: the same
 * rows inserted into a bare table with a primary key, in one transaction,
 * with the same durability.
 *
 *   bench_import N...
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <sqlite3.h>
#include "amanat/store.h"
#include "amanat/timeutil.h"
#include "bench.h"

static void make_register(struct reg *r, long n, long first)
{
	memset(r, 0, sizeof *r);
	snprintf(r->id, sizeof r->id, "R-IMPORT-%ld", n);
	r->kind = REG_INBOUND;
	snprintf(r->from, sizeof r->from, "State Corp");
	snprintf(r->to, sizeof r->to, "POINT-1");
	r->formed_at = now_ms();
	for (long i = 0; i < n; i++) {
		struct register_line l;
		memset(&l, 0, sizeof l);
		s10(first + i, l.waybill);
		snprintf(l.application, sizeof l.application, "APP-%07ld", first + i);
		snprintf(l.postomat, sizeof l.postomat, "PM-ALM-%04ld", i % 40);
		snprintf(l.city, sizeof l.city, "Almaty");
		register_add_line(r, &l);
	}
}

static double floor_import(const char *dir, const struct reg *r, double *cpu_s)
{
	char path[512];
	sqlite3 *db;
	sqlite3_stmt *st;
	snprintf(path, sizeof path, "%s/floor-%zu.db", dir, r->n_lines);
	sqlite3_open(path, &db);
	sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
		     "CREATE TABLE t(waybill TEXT PRIMARY KEY, application TEXT, postomat TEXT, city TEXT, iin TEXT)",
		     NULL, NULL, NULL);
	double a = mono(), c = cpu();
	sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	sqlite3_prepare_v2(db, "INSERT INTO t VALUES (?,?,?,?,?)", -1, &st, NULL);
	for (size_t i = 0; i < r->n_lines; i++) {
		const struct register_line *l = &r->lines[i];
		sqlite3_bind_text(st, 1, l->waybill, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, l->application, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, l->postomat, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, l->city, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, l->iin, -1, SQLITE_STATIC);
		sqlite3_step(st);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	double t = mono() - a;
	*cpu_s = cpu() - c;
	sqlite3_close(db);
	unlink(path);
	return t;
}

/* A scan every 5 ms while another process imports n lines: the longest a
 * scan waited for the write lock. */
static int scans_behind_import(const char *dir, long n)
{
	char path[512];
	struct am_error e;
	struct store *s;
	struct reg small, big;
	snprintf(path, sizeof path, "%s/together.db", dir);
	if (store_open(path, &s, &e))
		return fprintf(stderr, "%s\n", e.msg), 1;
	make_register(&small, 400, 30000000);
	snprintf(small.id, sizeof small.id, "R-SCANS");
	struct event_ctx ctx = { "bench", "POINT-1", 0, NULL };
	if (store_register_import(s, &small, &ctx, &e))
		return fprintf(stderr, "%s\n", e.msg), 1;
	make_register(&big, n, 40000000);
	pid_t pid = fork();
	if (pid == 0) {
		struct store *c;
		if (store_open(path, &c, &e) || store_register_import(c, &big, &ctx, &e))
			_exit(1);
		store_close(c);
		_exit(0);
	}
	double worst = 0, a0 = mono();
	int64_t worst_wait = 0;
	int done = 0, status = 0;
	for (size_t i = 0; i < small.n_lines && !done; i++) {
		enum scan_result res;
		double a = mono();
		if (store_tally_scan(s, small.id, small.lines[i].waybill, &ctx, &res, NULL, 0, &e))
			return fprintf(stderr, "scan: %s\n", e.msg), 1;
		double w = mono() - a;
		if (w > worst)
			worst = w;
		if (store_last_wait_ms(s) > worst_wait)
			worst_wait = store_last_wait_ms(s);
		done = waitpid(pid, &status, WNOHANG) == pid;
		usleep(5000);
	}
	if (!done)
		waitpid(pid, &status, 0);
	printf("  a scan while another process imports %ld lines: longest scan %.0f ms, of it waiting for the"
	       " import's lock at most %lld ms, over %.1f s (target 50 ms)\n",
	       n, worst * 1e3, (long long)worst_wait, mono() - a0);
	store_close(s);
	register_free(&small);
	register_free(&big);
	unlink(path);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	char dir[] = "/tmp/amanat-import.XXXXXX", path[512];
	struct am_error e;
	if (!mkdtemp(dir))
		return 1;
	for (int k = 1; k < argc; k++) {
		long n = atol(argv[k]);
		struct reg r;
		make_register(&r, n, 10000000);
		double fl_cpu, fl = floor_import(dir, &r, &fl_cpu);
		struct store *s;
		snprintf(path, sizeof path, "%s/amanat-%ld.db", dir, n);
		if (store_open(path, &s, &e)) {
			fprintf(stderr, "%s\n", e.msg);
			return 1;
		}
		struct event_ctx ctx = { "bench", "POINT-1", 0, NULL };
		double a = mono(), c = cpu();
		if (store_register_import(s, &r, &ctx, &e)) {
			fprintf(stderr, "import: %s\n", e.msg);
			return 1;
		}
		double t = mono() - a, t_cpu = cpu() - c;
		store_close(s);
		unlink(path);
		printf("  import %7ld lines: %8.1f ms (CPU %6.1f)   bulk floor %7.1f ms (CPU %5.1f)   ratio %.1fx\n",
		       n, t * 1e3, t_cpu * 1e3, fl * 1e3, fl_cpu * 1e3, t / fl);
		register_free(&r);
	}
	if (argc > 1 && scans_behind_import(dir, atol(argv[argc - 1])))
		return 1;
	char wal[600];
	snprintf(wal, sizeof wal, "%s/together.db-wal", dir);
	unlink(wal);
	snprintf(wal, sizeof wal, "%s/together.db-shm", dir);
	unlink(wal);
	rmdir(dir);
	return 0;
}
