/*
 * test_import.c - a register import gives way to other writers and stores
 * what it stored before: a writer waiting for the lock shows it on the file
 * DB-wait (a shared flock); an import that sees one ends its slice at once
 * (a few dozen lines, not a tenth of a second's worth); the counts its
 * slices keep without per-row triggers are the ones verify expects; a
 * refusal found on any line leaves nothing at all; lines written a chunk
 * to a statement are what one statement a line wrote (the uuid derived
 * from each event's own record, the chain whole).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <cmocka.h>
#include <openssl/evp.h>
#include <sqlite3.h>
#include <jansson.h>
#include "amanat/store.h"
#include "amanat/calendar.h"
#include "support/store_fixture.h"
#include "amanat/timeutil.h"

static char dir[] = "/tmp/amanat-imp.XXXXXX";
static char path[256], wait_path[300];

static int setup(void **state)
{
	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/t.db", dir);
	snprintf(wait_path, sizeof wait_path, "%s-wait", path);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return fixture_rmtree(dir);
}

static void fresh(void)
{
	char p[320];
	unlink(path);
	snprintf(p, sizeof p, "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", path);
	unlink(p);
}

static struct store *open_store(void)
{
	struct store *s;
	struct am_error e;
	if (store_open(path, &s, &e))
		fail_msg("store_open: %s", e.msg);
	return s;
}

static void make_register(struct reg *r, const char *id, long n, long first)
{
	memset(r, 0, sizeof *r);
	snprintf(r->id, sizeof r->id, "%s", id);
	r->kind = REG_INBOUND;
	snprintf(r->from, sizeof r->from, "SC-ALM-01");
	snprintf(r->to, sizeof r->to, "KP-ALM-007");
	r->formed_at = now_ms();
	for (long i = 0; i < n; i++) {
		struct register_line l;
		memset(&l, 0, sizeof l);
		fixture_s10(first + i, l.waybill);
		snprintf(l.application, sizeof l.application, "APP-%07ld", first + i);
		snprintf(l.postomat, sizeof l.postomat, "PM-ALM-%04ld", i % 40);
		snprintf(l.city, sizeof l.city, "Almaty");
		register_add_line(r, &l);
	}
}

static long query_long(const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	long v = -1;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		return -1;
	sqlite3_busy_timeout(db, 2000);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			v = (long)sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	return v;
}

/* Does anyone hold DB-wait shared (a writer waiting in BEGIN)? */
static bool someone_waits(void)
{
	int fd = open(wait_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	bool held = flock(fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK;
	close(fd);
	return held;
}

static void verified(struct store *s)
{
	struct am_error e;
	size_t n = 0;
	if (store_verify(s, &n, &e))
		fail_msg("verify: %s", e.msg);
}

/* A writer that waits for the lock shows it, and stops showing it once it
 * has the lock: a process that holds it sees the flock taken. */
static void waiting_shows(void **state)
{
	(void)state;
	fresh();
	struct am_error e;
	store_close(open_store());	/* the database, made before the fork */
	int go[2];
	assert_int_equal(pipe(go), 0);
	/* the child opens its store after the fork: SQLite's locks must not
	 * cross a fork */
	pid_t pid = fork();
	if (pid == 0) {
		struct store *b;
		struct event_ctx ctx = { "T", "P", 0, NULL };
		char c;
		close(go[1]);
		if (read(go[0], &c, 1) != 1)
			_exit(2);
		if (store_open(path, &b, &e) || store_append_event(b, EV_NOTE, "", "", "{\"reason\":\"x\"}", &ctx, &e)) {
			fprintf(stderr, "waiting writer: %s\n", e.msg);
			_exit(1);
		}
		store_close(b);
		_exit(0);
	}
	close(go[0]);
	struct store *a = open_store();
	assert_int_equal(store_batch_begin(a, &e), 0);
	assert_int_equal(write(go[1], "g", 1), 1);
	close(go[1]);
	bool seen = false;
	for (int i = 0; i < 3000 && !seen; i++) {
		seen = someone_waits();
		usleep(1000);
	}
	assert_true(seen);
	assert_int_equal(store_batch_end(a, true, &e), 0);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_false(someone_waits());
	store_close(a);
}

/* An import that sees a waiting writer ends its slice within a few dozen
 * lines and leaves the lock to it; the register is whole in the end. */
static void import_gives_way(void **state)
{
	(void)state;
	fresh();
	struct am_error e;
	store_close(open_store());	/* the database, made before the fork */
	int fd = open(wait_path, O_RDONLY | O_CLOEXEC | O_CREAT, 0600);
	assert_true(fd >= 0);
	assert_int_equal(flock(fd, LOCK_SH), 0);	/* "a writer waits" */
	pid_t pid = fork();
	if (pid == 0) {
		struct store *b;
		struct reg r;
		struct event_ctx ctx = { "T", "P", 0, NULL };
		make_register(&r, "R-GIVE", 6000, 10000000);
		if (store_open(path, &b, &e) || store_register_import(b, &r, &ctx, &e))
			_exit(1);
		store_close(b);
		register_free(&r);
		_exit(0);
	}
	long first = 0;
	for (int i = 0; i < 20000 && first <= 0; i++) {
		first = query_long("SELECT count(*) FROM register_line WHERE register_id = 'R-GIVE'");
		usleep(500);
	}
	flock(fd, LOCK_UN);
	close(fd);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* 32 lines a look; a slice without the waiter would hold thousands */
	if (first <= 0 || first > 256)
		fail_msg("the first slice seen held %ld lines", first);
	struct store *a = open_store();
	struct register_info info;
	struct reg got;
	assert_int_equal(store_register_get(a, "R-GIVE", &info, &got, &e), 0);
	assert_int_equal(got.n_lines, 6000);
	register_free(&got);
	verified(a);
	store_close(a);
}

/* The slices' own counts: envelope_count and the log agree with verify,
 * with scans on top; a line that names another register's envelope (the
 * last one) refuses the file before anything is written. */
static void counts_and_refusal(void **state)
{
	(void)state;
	fresh();
	struct am_error e;
	struct store *a = open_store();
	struct event_ctx ctx = { "T", "P", 0, NULL };
	struct reg r1, r2;
	make_register(&r1, "R-ONE", 3000, 20000000);
	assert_int_equal(store_register_import(a, &r1, &ctx, &e), 0);
	assert_int_equal(query_long("SELECT n FROM envelope_count WHERE state = 'registered'"), 3000);
	enum scan_result res;
	assert_int_equal(store_tally_scan(a, "R-ONE", r1.lines[7].waybill, &ctx, &res, NULL, 0, &e), 0);
	verified(a);
	long events = query_long("SELECT count(*) FROM event");
	make_register(&r2, "R-TWO", 4000, 30000000);
	snprintf(r2.lines[3999].waybill, sizeof r2.lines[3999].waybill, "%s", r1.lines[5].waybill);
	assert_int_equal(store_register_import(a, &r2, &ctx, &e), AM_REFUSED);
	assert_non_null(strstr(e.msg, r1.lines[5].waybill));
	assert_int_equal(query_long("SELECT count(*) FROM register WHERE id = 'R-TWO'"), 0);
	assert_int_equal(query_long("SELECT count(*) FROM envelope WHERE register_id = 'R-TWO'"), 0);
	assert_int_equal(query_long("SELECT count(*) FROM event"), events);
	verified(a);
	register_free(&r1);
	register_free(&r2);
	store_close(a);
}

/* A register whose waybills lie among the point's envelopes (the same
 * range, none the same) goes in; one that names an envelope of another
 * register is refused with nothing written, the one named its least or
 * its greatest waybill included (the range asked first is inclusive);
 * one past every envelope goes in too. */
static void refusal_in_range(void **state)
{
	(void)state;
	fresh();
	struct am_error e;
	struct store *a = open_store();
	struct event_ctx ctx = { "T", "P", 0, NULL };
	struct reg r, odd;
	memset(&odd, 0, sizeof odd);
	make_register(&odd, "R-ODD", 1, 0);
	odd.n_lines = 0;
	for (long i = 0; i < 200; i++) {	/* serials 50000001, 50000003, ... */
		struct register_line l = odd.lines[0];
		fixture_s10(50000001 + 2 * i, l.waybill);
		snprintf(l.application, sizeof l.application, "APP-ODD-%ld", i);
		register_add_line(&odd, &l);
	}
	assert_int_equal(store_register_import(a, &odd, &ctx, &e), 0);
	make_register(&r, "R-EVEN", 200, 50000000);	/* 50000000 .. 50000199: odd ones taken */
	r.n_lines = 0;
	for (long i = 0; i < 200; i++) {
		struct register_line l = r.lines[0];
		fixture_s10(50000000 + 2 * i, l.waybill);
		register_add_line(&r, &l);
	}
	assert_int_equal(store_register_import(a, &r, &ctx, &e), 0);
	long events = query_long("SELECT count(*) FROM event");
	/* "a writer waits" all along: each import's first slice ends after
	 * its first chunk and commits, so a refusal found only when the taken
	 * line is written (line 51) would leave that slice behind */
	int fd = open(wait_path, O_RDONLY | O_CLOEXEC | O_CREAT, 0600);
	assert_true(fd >= 0);
	assert_int_equal(flock(fd, LOCK_SH), 0);
	/* the greatest envelope as bad's least (the rest past every envelope),
	 * one in the middle, the least envelope as bad's greatest (the rest
	 * before every envelope): the first and the last alone in the range */
	static const long taken[] = { 50000399, 50000201, 50000000 };
	for (size_t k = 0; k < sizeof taken / sizeof taken[0]; k++) {
		struct reg bad;
		char id[32];
		snprintf(id, sizeof id, "R-BAD-%zu", k);
		make_register(&bad, id, 100, 60000000);
		for (long i = 0; i < 100 && k != 1; i++)
			fixture_s10(k == 0 ? 50000400 + i : 40000000 + i, bad.lines[i].waybill);
		fixture_s10(taken[k], bad.lines[50].waybill);
		assert_int_equal(store_register_import(a, &bad, &ctx, &e), AM_REFUSED);
		char want[64];
		fixture_s10(taken[k], want);
		assert_non_null(strstr(e.msg, want));
		char sql[128];
		snprintf(sql, sizeof sql, "SELECT count(*) FROM register_line WHERE register_id = '%s'", id);
		assert_int_equal(query_long(sql), 0);
		snprintf(sql, sizeof sql, "SELECT count(*) FROM register WHERE id = '%s'", id);
		assert_int_equal(query_long(sql), 0);
		register_free(&bad);
	}
	flock(fd, LOCK_UN);
	close(fd);
	assert_int_equal(query_long("SELECT count(*) FROM event"), events);
	struct reg past;
	make_register(&past, "R-PAST", 300, 70000000);
	assert_int_equal(store_register_import(a, &past, &ctx, &e), 0);
	assert_int_equal(query_long("SELECT n FROM envelope_count WHERE state = 'registered'"), 700);
	verified(a);
	register_free(&odd);
	register_free(&r);
	register_free(&past);
	store_close(a);
}

/* An event's uuid as event.c derives it (schema 13), worked out here from
 * the row alone: 62 bits of the SHA-256 of the record (seq, "", device,
 * type, waybill, "", "", at_ms, "", "", prev_hash, each followed by 0x1f)
 * and the seq in its last twelve digits. */
static void uuid_of(long long seq, const char *device, const char *type, const char *waybill,
		    long long at, const char *prev, char out[37])
{
	char rec[512], h[65];
	unsigned char md[32];
	unsigned int len = 0;
	int n = snprintf(rec, sizeof rec, "%lld\x1f\x1f%s\x1f%s\x1f%s\x1f\x1f\x1f%lld\x1f\x1f\x1f%s\x1f",
			 seq, device, type, waybill, at, prev);
	assert_true(n > 0 && (size_t)n < sizeof rec);
	assert_int_equal(EVP_Digest(rec, (size_t)n, md, &len, EVP_sha256(), NULL), 1);
	for (int i = 0; i < 32; i++)
		snprintf(h + 2 * i, 3, "%02x", md[i]);
	int v = h[15] <= '9' ? h[15] - '0' : h[15] - 'a' + 10;
	snprintf(out, 37, "%.8s-%.4s-8%.3s-%c%.3s-%012llx", h, h + 8, h + 12, "89ab"[v & 3], h + 16,
		 seq & 0xffffffffffffLL);
}

/* 70 lines (two chunks of 32 and one of 6), then a register cut after its
 * first slice and finished from where it stopped: every line, envelope and
 * "registered" event is there once and in order, each event's uuid is the
 * one derived from its own record, and verify walks the chain. */
static void chunks_write_what_lines_wrote(void **state)
{
	(void)state;
	fresh();
	struct am_error e;
	struct store *a = open_store();
	struct event_ctx ctx = { "T", "P", 0, NULL };
	struct reg r;
	make_register(&r, "R-CHUNK", 70, 40000000);
	assert_int_equal(store_register_import(a, &r, &ctx, &e), 0);
	store_close(a);
	sqlite3 *db;
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT e.seq, e.uuid, e.device, e.type, e.waybill, e.at_ms,"
					    " e.prev_hash, l.line, v.state FROM event e"
					    " JOIN register_line l ON l.register_id = e.register_id AND l.waybill = e.waybill"
					    " JOIN envelope v ON v.waybill = e.waybill"
					    " WHERE e.register_id = 'R-CHUNK' ORDER BY e.seq", -1, &st, NULL), SQLITE_OK);
	long n = 0, first_seq = -1;
	while (sqlite3_step(st) == SQLITE_ROW) {
		long long seq = sqlite3_column_int64(st, 0);
		char want[37];
		if (first_seq < 0)
			first_seq = (long)seq;
		assert_int_equal(seq, first_seq + n);
		assert_int_equal(sqlite3_column_int64(st, 7), n + 1);	/* the file's order */
		assert_string_equal((const char *)sqlite3_column_text(st, 4), r.lines[n].waybill);
		assert_string_equal((const char *)sqlite3_column_text(st, 3), "registered");
		assert_string_equal((const char *)sqlite3_column_text(st, 8), "registered");
		uuid_of(seq, (const char *)sqlite3_column_text(st, 2), "registered",
			(const char *)sqlite3_column_text(st, 4), sqlite3_column_int64(st, 5),
			(const char *)sqlite3_column_text(st, 6), want);
		assert_string_equal((const char *)sqlite3_column_text(st, 1), want);
		n++;
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	assert_int_equal(n, 70);
	/* each envelope's list of events (schema 25) starts with its
	 * "registered" event: linked, so not in event_waybill */
	assert_int_equal(query_long("SELECT count(*) FROM event e JOIN envelope v ON v.waybill = e.waybill"
				    " AND v.last_seq = e.seq WHERE e.register_id = 'R-CHUNK' AND e.type = 'registered'"
				    " AND e.prev_seq = 0"), 70);

	/* cut short: the register row hidden, its first 1,000 lines there */
	struct reg big;
	make_register(&big, "R-CUT", 2500, 41000000);
	a = open_store();
	struct reg head = big;
	head.n_lines = 1000;
	assert_int_equal(store_register_import(a, &head, &ctx, &e), 0);
	store_close(a);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "UPDATE register SET imported_at = 0 WHERE id = 'R-CUT';"
				      "DELETE FROM clock WHERE register_id = 'R-CUT';"
				      "UPDATE log_head SET n = n - 1000 WHERE kind = 1 AND name = 'registered'",
				      NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	a = open_store();
	assert_int_equal(store_register_import(a, &big, &ctx, &e), 0);
	verified(a);
	store_close(a);
	assert_int_equal(query_long("SELECT count(*) FROM register_line WHERE register_id = 'R-CUT'"), 2500);
	assert_int_equal(query_long("SELECT count(*) FROM register_line WHERE register_id = 'R-CUT'"
				    " AND line = CAST(substr(waybill, 3, 8) AS INTEGER) - 41000000 + 1"), 2500);
	assert_int_equal(query_long("SELECT count(DISTINCT waybill) FROM event WHERE register_id = 'R-CUT'"
				    " AND type = 'registered'"), 2500);
	assert_int_equal(query_long("SELECT count(*) FROM event WHERE register_id = 'R-CUT'"
				    " AND type = 'registered'"), 2500);
	register_free(&r);
	register_free(&big);
}


/* Each "registered" payload is written straight into the chunk's buffer:
 * it must be, byte for byte, what jansson writes (every payload in the
 * hashed log so far was), for text that needs escaping and for Kazakh. */
static void payloads_as_jansson_writes(void **state)
{
	(void)state;
	fresh();
	struct am_error e;
	struct store *a = open_store();
	struct event_ctx ctx = { "T", "P", 0, NULL };
	struct reg r;
	static const char *const apps[] = { "A\"1\\2", "Ә-0001/ҚР", "plain" };
	static const char *const cities[] = { "Алматы", "Shymkent \"South\"", "Қарағанды" };
	make_register(&r, "R-PAYLOAD", 40, 42000000);
	for (size_t i = 0; i < r.n_lines; i++) {
		snprintf(r.lines[i].application, sizeof r.lines[i].application, "%s-%zu", apps[i % 3], i);
		snprintf(r.lines[i].city, sizeof r.lines[i].city, "%s", cities[i % 3]);
	}
	assert_int_equal(store_register_import(a, &r, &ctx, &e), 0);
	verified(a);
	store_close(a);
	sqlite3 *db;
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT waybill, payload FROM event WHERE register_id = 'R-PAYLOAD'"
					    " AND type = 'registered' ORDER BY seq", -1, &st, NULL), SQLITE_OK);
	size_t n = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		assert_true(n < r.n_lines);
		const struct register_line *l = &r.lines[n];
		assert_string_equal((const char *)sqlite3_column_text(st, 0), l->waybill);
		json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "application", l->application, "city", l->city,
				      "postomat", l->postomat, "to", "registered");
		char *want = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
		assert_string_equal((const char *)sqlite3_column_text(st, 1), want);
		free(want);
		json_decref(o);
		n++;
	}
	assert_int_equal(n, r.n_lines);
	sqlite3_finalize(st);
	sqlite3_close(db);
	register_free(&r);
}

/* A deep copy of r: the same file read twice (the inbox and a sync). */
static void copy_register(struct reg *to, const struct reg *from)
{
	*to = *from;
	to->lines = NULL;
	to->n_lines = 0;
	for (size_t i = 0; i < from->n_lines; i++)
		assert_int_equal(register_add_line(to, &from->lines[i]), 0);
}

/* Step both jobs, one slice (one chunk: budget 0) each in turn, until
 * both are done; each job's error in its rc (the first one kept). */
static void step_both(struct store_import *a, struct store_import *b, int *rc_a, int *rc_b)
{
	bool done_a = a == NULL, done_b = b == NULL;
	struct am_error e;
	for (int turns = 0; (!done_a || !done_b) && turns < 10000; turns++) {
		if (!done_a) {
			int rc = store_import_step(a, 0, &done_a, &e);
			if (rc) {
				*rc_a = rc;
				done_a = true;
			}
		}
		if (!done_b) {
			int rc = store_import_step(b, 0, &done_b, &e);
			if (rc) {
				*rc_b = rc;
				done_b = true;
			}
		}
	}
	assert_true(done_a && done_b);
}

/* The register whole and once: its lines in the file's order, an envelope
 * and a "registered" event each, counted once, its two clocks once. */
static void whole_once(struct store *s, const char *id, const struct reg *r)
{
	char sql[400];
	long n = (long)r->n_lines;
	snprintf(sql, sizeof sql, "SELECT count(*) FROM register WHERE id = '%s' AND imported_at <> 0", id);
	assert_int_equal(query_long(sql), 1);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM register_line WHERE register_id = '%s'", id);
	assert_int_equal(query_long(sql), n);
	snprintf(sql, sizeof sql, "SELECT count(DISTINCT line) FROM register_line WHERE register_id = '%s'"
		 " AND line BETWEEN 1 AND %ld", id, n);
	assert_int_equal(query_long(sql), n);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM envelope WHERE register_id = '%s'", id);
	assert_int_equal(query_long(sql), n);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM event WHERE register_id = '%s' AND type = 'registered'", id);
	assert_int_equal(query_long(sql), n);
	snprintf(sql, sizeof sql, "SELECT count(DISTINCT waybill) FROM event WHERE register_id = '%s'"
		 " AND type = 'registered'", id);
	assert_int_equal(query_long(sql), n);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM clock WHERE register_id = '%s' AND waybill = ''", id);
	assert_int_equal(query_long(sql), 2);
	struct register_info info;
	struct reg got;
	struct am_error e;
	assert_int_equal(store_register_get(s, id, &info, &got, &e), 0);
	assert_int_equal(got.n_lines, r->n_lines);
	for (size_t i = 0; i < got.n_lines; i++) {
		assert_string_equal(got.lines[i].waybill, r->lines[i].waybill);
		assert_string_equal(got.lines[i].application, r->lines[i].application);
		assert_string_equal(got.lines[i].postomat, r->lines[i].postomat);
		assert_string_equal(got.lines[i].city, r->lines[i].city);
	}
	register_free(&got);
	verified(s);
}

/*
 * A clerk loads from the inbox the very register a sync is importing at
 * the same moment: two import jobs on one register id in one process (one
 * connection), their slices taking turns.  Started together, one after the
 * other has written half, or after it finished: the register is there
 * whole and once, whichever job writes which slice, and neither job fails.
 * The same id with other lines (another file) is refused, never mixed in.
 */
static void two_jobs_one_register(void **state)
{
	(void)state;
	fresh();
	struct am_error e;
	struct store *s = open_store();
	struct event_ctx ctx = { "T", "P", 0, NULL };
	struct reg file, inbox, sync;
	struct store_rules rules;
	struct calendar *cal = fixture_rules(&rules);
	store_set_rules(s, &rules);	/* the register's clocks are opened */
	make_register(&file, "R-TWICE", 500, 43000000);
	long registered0 = query_long("SELECT coalesce((SELECT n FROM envelope_count WHERE state = 'registered'), 0)");

	/* together: both begin before either has written a line */
	struct store_import *a, *b;
	int rc_a = 0, rc_b = 0;
	copy_register(&inbox, &file);
	copy_register(&sync, &file);
	assert_int_equal(store_import_start(s, &sync, &ctx, &a, &e), 0);
	assert_int_equal(store_import_start(s, &inbox, &ctx, &b, &e), 0);
	assert_non_null(a);
	assert_non_null(b);
	step_both(a, b, &rc_a, &rc_b);
	assert_int_equal(rc_a, 0);
	assert_int_equal(rc_b, 0);
	store_import_free(a);
	store_import_free(b);
	whole_once(s, "R-TWICE", &file);
	assert_int_equal(query_long("SELECT n FROM envelope_count WHERE state = 'registered'"), registered0 + 500);

	/* after it finished: the second is the same register again, no job */
	copy_register(&inbox, &file);
	assert_int_equal(store_import_start(s, &inbox, &ctx, &b, &e), 0);
	assert_null(b);
	register_free(&inbox);

	/* one begins when the other has written about half */
	struct reg half;
	make_register(&half, "R-HALF", 500, 44000000);
	copy_register(&sync, &half);
	assert_int_equal(store_import_start(s, &sync, &ctx, &a, &e), 0);
	bool done = false;
	for (int k = 0; k < 8; k++)	/* 8 chunks of 32 */
		assert_int_equal(store_import_step(a, 0, &done, &e), 0);
	assert_false(done);
	copy_register(&inbox, &half);
	assert_int_equal(store_import_start(s, &inbox, &ctx, &b, &e), 0);
	assert_non_null(b);
	rc_a = rc_b = 0;
	step_both(b, a, &rc_b, &rc_a);
	assert_int_equal(rc_a, 0);
	assert_int_equal(rc_b, 0);
	store_import_free(a);
	store_import_free(b);
	whole_once(s, "R-HALF", &half);

	/* the same id, header and count from another file with other lines:
	 * whichever goes on from the other's lines is refused */
	struct reg other;
	make_register(&other, "R-OTHER", 500, 45000000);
	copy_register(&sync, &other);
	copy_register(&inbox, &other);
	for (size_t i = 0; i < inbox.n_lines; i++)
		fixture_s10(46000000 + (long)i, inbox.lines[i].waybill);
	assert_int_equal(store_import_start(s, &sync, &ctx, &a, &e), 0);
	assert_int_equal(store_import_start(s, &inbox, &ctx, &b, &e), 0);
	rc_a = rc_b = 0;
	step_both(a, b, &rc_a, &rc_b);
	assert_int_equal(rc_a, 0);
	assert_int_equal(rc_b, AM_REFUSED);
	store_import_free(a);
	store_import_free(b);
	whole_once(s, "R-OTHER", &other);
	assert_int_equal(query_long("SELECT count(*) FROM envelope WHERE waybill LIKE 'RR46%'"), 0);

	register_free(&file);
	register_free(&half);
	register_free(&other);
	store_close(s);
	calendar_free(cal);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(waiting_shows),
		cmocka_unit_test(import_gives_way),
		cmocka_unit_test(counts_and_refusal),
		cmocka_unit_test(refusal_in_range),
		cmocka_unit_test(chunks_write_what_lines_wrote),
		cmocka_unit_test(payloads_as_jansson_writes),
		cmocka_unit_test(two_jobs_one_register),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
