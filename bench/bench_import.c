/*
 * bench_import.c - importing a register of N lines (store_register_import:
 * validation, register, lines, envelopes, one event each with its hash, the
 * register's clocks, fsync'd commits) beside the bulk floor: the same
 * rows (line, envelope, event) inserted into bare tables with their primary
 * keys, in one transaction, with the same durability; and beside the
 * floor of one such row a line.
 *
 *   bench_import N...
 */
#include <stdbool.h>
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
	/* BENCH_IMPORT_SHUFFLE=1: the lines in random order, as a register
	 * not sorted by waybill comes (its envelopes' waybill index and its
	 * lines' keys then take each insert at a random place) */
	const char *shuffle = getenv("BENCH_IMPORT_SHUFFLE");
	if (shuffle && *shuffle == '1' && r->n_lines > 1) {
		srand(7);
		for (size_t i = r->n_lines - 1; i > 0; i--) {
			size_t j = (size_t)rand() % (i + 1);
			struct register_line t = r->lines[i];
			r->lines[i] = r->lines[j];
			r->lines[j] = t;
		}
	}
}

/* The floor: the rows an import writes inserted bare, in one transaction
 * with the same durability.  With same_rows, per line the three rows the
 * import writes (the line, its envelope, its event with a uuid, a payload
 * and a previous hash of their real sizes), each in a table with its
 * primary key and no other index, no hash computed; without it one row per
 * line (the floor this benchmark printed before). */
static double floor_import(const char *dir, const struct reg *r, bool same_rows, double *cpu_s)
{
	char path[512];
	sqlite3 *db;
	sqlite3_stmt *st, *line, *event;
	snprintf(path, sizeof path, "%s/floor-%zu.db", dir, r->n_lines);
	sqlite3_open(path, &db);
	sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
		     "CREATE TABLE t(waybill TEXT PRIMARY KEY, state TEXT, register_id TEXT, application TEXT,"
		     " postomat TEXT, city TEXT, iin TEXT, updated_at INTEGER);"
		     "CREATE TABLE l(register_id TEXT, line INTEGER, waybill TEXT, application TEXT, postomat TEXT,"
		     " city TEXT, iin TEXT, PRIMARY KEY (register_id, waybill));"
		     "CREATE TABLE ev(seq INTEGER PRIMARY KEY, uuid TEXT, device TEXT, type TEXT, waybill TEXT,"
		     " register_id TEXT, actor TEXT, at_ms INTEGER, place TEXT, payload TEXT, prev_hash TEXT)",
		     NULL, NULL, NULL);
	double a = mono(), c = cpu();
	int64_t at = now_ms();
	sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	sqlite3_prepare_v2(db, "INSERT INTO t VALUES (?,'registered',?,?,?,?,?,?)", -1, &st, NULL);
	sqlite3_prepare_v2(db, "INSERT INTO l VALUES (?,?,?,?,?,?,?)", -1, &line, NULL);
	sqlite3_prepare_v2(db, "INSERT INTO ev VALUES (?,?,'0123456789abcdef','registered',?,?,'bench',?,"
			   "'POINT-1',?,'9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08')", -1, &event, NULL);
	for (size_t i = 0; i < r->n_lines; i++) {
		const struct register_line *l = &r->lines[i];
		sqlite3_bind_text(st, 1, l->waybill, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, r->id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, l->application, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, l->postomat, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, l->city, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, l->iin, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 7, at);
		sqlite3_step(st);
		sqlite3_reset(st);
		if (!same_rows)
			continue;
		sqlite3_bind_text(line, 1, r->id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(line, 2, (sqlite3_int64)i + 1);
		sqlite3_bind_text(line, 3, l->waybill, -1, SQLITE_STATIC);
		sqlite3_bind_text(line, 4, l->application, -1, SQLITE_STATIC);
		sqlite3_bind_text(line, 5, l->postomat, -1, SQLITE_STATIC);
		sqlite3_bind_text(line, 6, l->city, -1, SQLITE_STATIC);
		sqlite3_bind_text(line, 7, l->iin, -1, SQLITE_STATIC);
		sqlite3_step(line);
		sqlite3_reset(line);
		char uuid[40], payload[256];
		snprintf(uuid, sizeof uuid, "0f1e2d3c-4b5a-8697-a887-%012zx", i + 1);
		snprintf(payload, sizeof payload, "{\"application\":\"%s\",\"city\":\"%s\",\"postomat\":\"%s\","
			 "\"to\":\"registered\"}", l->application, l->city, l->postomat);
		sqlite3_bind_int64(event, 1, (sqlite3_int64)i + 1);
		sqlite3_bind_text(event, 2, uuid, -1, SQLITE_STATIC);
		sqlite3_bind_text(event, 3, l->waybill, -1, SQLITE_STATIC);
		sqlite3_bind_text(event, 4, r->id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(event, 5, at);
		sqlite3_bind_text(event, 6, payload, -1, SQLITE_STATIC);
		sqlite3_step(event);
		sqlite3_reset(event);
	}
	sqlite3_finalize(st);
	sqlite3_finalize(line);
	sqlite3_finalize(event);
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	double t = mono() - a;
	*cpu_s = cpu() - c;
	sqlite3_close(db);
	unlink(path);
	return t;
}

/* What the other process does while the scans go on. */
struct marks {
	struct outbox_mark *m;
	size_t n;
};

static int mark_acked(const struct event_row *r, void *arg)
{
	struct marks *k = arg;
	memset(&k->m[k->n], 0, sizeof k->m[k->n]);
	memcpy(k->m[k->n].uuid, r->uuid, sizeof k->m[k->n].uuid);
	k->m[k->n++].state = SYNC_ACKED;
	return 0;
}

/* A sync's commits without the network: the outbox in batches of 500, each
 * answer's acknowledgements in one transaction (upload.c). */
static int sync_acks(struct store *c, size_t *n_acked, struct am_error *e)
{
	struct marks k = { calloc(500, sizeof *k.m), 0 };
	int rc = k.m ? 0 : 1;
	*n_acked = 0;
	do {
		k.n = 0;
		if (!rc)
			rc = store_outbox_batch(c, 500, mark_acked, &k, e);
		if (!rc && k.n)
			rc = store_outbox_mark_many(c, k.m, k.n, e);
		*n_acked += k.n;
	} while (!rc && k.n);
	free(k.m);
	return rc;
}

/* A scan every 5 ms (against its own register of 400 lines) while another
 * process imports big or, without big, acknowledges the whole outbox as a
 * sync does: the longest a scan waited for the other's lock. */
static int scans_behind(struct store *s, const char *path, const char *id, long first,
			const struct reg *big)
{
	struct am_error e;
	struct reg small;
	make_register(&small, 400, first);
	snprintf(small.id, sizeof small.id, "%s", id);
	struct event_ctx ctx = { "bench", "POINT-1", 0, NULL };
	if (store_register_import(s, &small, &ctx, &e))
		return fprintf(stderr, "%s\n", e.msg), 1;
	int pipefd[2];
	if (pipe(pipefd))
		return 1;
	pid_t pid = fork();
	if (pid == 0) {
		struct store *c;
		size_t n = 0;
		close(pipefd[0]);
		if (store_open(path, &c, &e) || (big ? store_register_import(c, big, &ctx, &e) : sync_acks(c, &n, &e)))
			_exit(1);
		if (write(pipefd[1], &n, sizeof n) != (ssize_t)sizeof n)
			_exit(1);
		store_close(c);
		_exit(0);
	}
	close(pipefd[1]);
	double worst = 0, a0 = mono();
	int64_t worst_wait = 0;
	int done = 0, status = 0;
	size_t scans = 0, acked = 0, over = 0;
	for (size_t i = 0; i < small.n_lines && !done; i++) {
		enum scan_result res;
		double a = mono();
		if (store_tally_scan(s, small.id, small.lines[i].waybill, &ctx, &res, NULL, 0, &e))
			return fprintf(stderr, "scan: %s\n", e.msg), 1;
		double w = mono() - a;
		scans++;
		if (w > worst)
			worst = w;
		if (store_last_wait_ms(s) > worst_wait)
			worst_wait = store_last_wait_ms(s);
		over += store_last_wait_ms(s) > 50;
		done = waitpid(pid, &status, WNOHANG) == pid;
		usleep(5000);
	}
	if (!done)
		waitpid(pid, &status, 0);
	if (read(pipefd[0], &acked, sizeof acked) != (ssize_t)sizeof acked)
		acked = 0;
	close(pipefd[0]);
	double took = mono() - a0;
	if (big)
		printf("  %zu scans while another process imports %zu lines: the longest waited for the import's lock"
		       " %lld ms (target 50 ms; %zu waited longer), took %.0f ms with its own fsync; over %.1f s\n",
		       scans, big->n_lines, (long long)worst_wait, over, worst * 1e3, took);
	else
		printf("  %zu scans while another process commits a sync's acknowledgements of %zu events"
		       " (500 an answer): the longest waited for its lock %lld ms (target 50 ms; %zu waited longer),"
		       " took %.0f ms with its own fsync; over %.1f s\n",
		       scans, acked, (long long)worst_wait, over, worst * 1e3, took);
	register_free(&small);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}

static int scans_behind_others(const char *dir, long n)
{
	char path[512];
	struct am_error e;
	struct store *s;
	struct reg big;
	snprintf(path, sizeof path, "%s/together.db", dir);
	if (store_open(path, &s, &e))
		return fprintf(stderr, "%s\n", e.msg), 1;
	make_register(&big, n, 40000000);
	int rc = scans_behind(s, path, "R-SCANS", 30000000, &big);
	if (!rc)
		rc = scans_behind(s, path, "R-SCANS-2", 31000000, NULL);
	store_close(s);
	register_free(&big);
	static const char *const tail[] = { "", "-wal", "-shm", "-wait" };
	for (size_t i = 0; i < sizeof tail / sizeof tail[0]; i++) {
		char f[600];
		snprintf(f, sizeof f, "%s%s", path, tail[i]);
		unlink(f);
	}
	return rc;
}

int main(int argc, char **argv)
{
	char dir[] = "/tmp/amanat-import.XXXXXX", path[512];
	struct am_error e;
	if (!mkdtemp(dir))
		return 1;
	/* BENCH_IMPORT_ONLY=1: the imports alone (for callgrind and perf);
	 * BENCH_IMPORT_SCANS=0: without the scans behind another process;
	 * BENCH_IMPORT_SHUFFLE=1: registers not sorted by waybill */
	const char *only = getenv("BENCH_IMPORT_ONLY"), *scans = getenv("BENCH_IMPORT_SCANS");
	bool only_import = only && *only == '1', no_scans = only_import || (scans && *scans == '0');
	for (int k = 1; k < argc; k++) {
		long n = atol(argv[k]);
		struct reg r;
		make_register(&r, n, 10000000);
		double fl1_cpu = 1, fl1 = 1, fl_cpu = 1, fl = 1;
		if (!only_import) {
			fl1 = floor_import(dir, &r, false, &fl1_cpu);
			fl = floor_import(dir, &r, true, &fl_cpu);
		}
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
		snprintf(path, sizeof path, "%s/amanat-%ld.db-wait", dir, n);
		unlink(path);
		printf("  import %7ld lines: %8.1f ms (CPU %6.1f)   bulk floor of the same rows %7.1f ms (CPU %6.1f)"
		       "   ratio %.1fx (CPU %.1fx); one row a line %6.1f ms (CPU %5.1f): %.1fx\n",
		       n, t * 1e3, t_cpu * 1e3, fl * 1e3, fl_cpu * 1e3, t / fl, t_cpu / fl_cpu,
		       fl1 * 1e3, fl1_cpu * 1e3, t / fl1);
		register_free(&r);
	}
	if (argc > 1 && !no_scans && scans_behind_others(dir, atol(argv[argc - 1])))
		return 1;
	rmdir(dir);
	return 0;
}
