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

static double floor_import(const char *dir, const struct reg *r)
{
	char path[512];
	sqlite3 *db;
	sqlite3_stmt *st;
	snprintf(path, sizeof path, "%s/floor-%zu.db", dir, r->n_lines);
	sqlite3_open(path, &db);
	sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
		     "CREATE TABLE t(waybill TEXT PRIMARY KEY, application TEXT, postomat TEXT, city TEXT, iin TEXT)",
		     NULL, NULL, NULL);
	double a = mono();
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
	sqlite3_close(db);
	unlink(path);
	return t;
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
		double fl = floor_import(dir, &r);
		struct store *s;
		snprintf(path, sizeof path, "%s/amanat-%ld.db", dir, n);
		if (store_open(path, &s, &e)) {
			fprintf(stderr, "%s\n", e.msg);
			return 1;
		}
		struct event_ctx ctx = { "bench", "POINT-1", 0, NULL };
		double a = mono();
		if (store_register_import(s, &r, &ctx, &e)) {
			fprintf(stderr, "import: %s\n", e.msg);
			return 1;
		}
		double t = mono() - a;
		store_close(s);
		unlink(path);
		printf("  import %7ld lines: %8.1f ms   bulk floor %7.1f ms   ratio %.1fx\n", n, t * 1e3, fl * 1e3,
		       t / fl);
		register_free(&r);
	}
	rmdir(dir);
	return 0;
}
