/*
 * verify_full.c - the full `amanat verify`: ranges of the log checked at
 * once, one thread and one read connection each.
 *
 * Each event stores the hash of the record before it (prev_hash), so a
 * range of seqs can be checked on its own: each link inside it, each uuid,
 * and the hash of its last record; where two ranges meet, the first
 * range's last hash must be the next range's first prev_hash.  The log's
 * end (its largest seq) and the stored chain end are read first, in the
 * read transaction the derived tables are compared in; every range is
 * bounded by that end, and the log up to it is append-only (event_no_update,
 * event_no_delete), so each thread reads what that transaction sees.
 *
 * The replay is in ranges too.  A range cannot know an envelope's state
 * when it starts, so for each envelope it met it keeps where each possible
 * state at its start ends (to[], "not registered yet" being one more), and
 * the cell the range leaves it in; scans are last-one-wins; each person's
 * work is counted by the range's own shift number (closed shifts so far in
 * the range), moved by the shifts closed before it.  The calling thread
 * folds the ranges into one replay in the log's order while later ranges
 * are still being read, and reports the first thing wrong by seq, with the
 * words the one-thread check used (verify.c's walk_chain, now the quick
 * check's): what it finds and names does not depend on the ranges.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "amanat/i18n.h"
#include "verify_internal.h"

#define ABSENT ST__COUNT	/* a start state: not registered before the range */
#define NSTART (ST__COUNT + 1)
#define MAX_THREADS 8
#define MIN_RANGE 65536		/* events: smaller ranges only cost more folding */

/* An envelope as one range leaves it. */
struct rslot {
	uint64_t key;		/* 0: empty */
	uint64_t cell;		/* the cell its last cell event left (cell_set) */
	uint8_t to[NSTART];	/* the state each start state ends in (ABSENT: still not registered) */
	uint8_t cell_set;	/* a cell event in the range */
	uint8_t reg_seen;	/* registered in the range: a start ABSENT ends in cell_a */
	uint64_t cell_a;	/* the cell after its first registration here (0 at it) */
};

enum fail_kind { F_NONE, F_MISSING, F_LINK, F_UUID, F_SHA, F_DB };

struct range {
	int64_t lo, hi;		/* seqs, both in */
	bool has_first;		/* its first row is lo */
	char first_prev[65];	/* and that row's prev_hash ("" when not 64 long) */
	char last[65];		/* hash of its last row */
	enum fail_kind fail;
	int64_t fail_seq, found;	/* F_MISSING: the seq found next (-1: after the range) */
	char uuid[37];
	char dbmsg[200];
	struct map env;		/* of struct rslot */
	struct replay rep;	/* scans and work; rep.shift counts the shifts it closes */
	bool nomem;
	bool done;		/* under job.mu */
};

struct job {
	const char *path;	/* NULL: the store's own connection, one thread */
	sqlite3 *shared;
	uint8_t next[ST__COUNT][EV__COUNT];	/* lifecycle_next, a failed step staying */
	struct range *r;
	size_t n;
	atomic_size_t take;		/* the next range to walk */
	atomic_llong stop;		/* a range starting after this need not be walked */
	pthread_mutex_t mu;
	pthread_cond_t cv;
};

static struct rslot *rmap_get(struct map *m, uint64_t key)
{
	bool fresh;
	struct rslot *v = map_find(m, sizeof *v, key, true, &fresh);
	if (v && fresh)
		for (int i = 0; i < NSTART; i++)
			v->to[i] = (uint8_t)i;
	return v;
}

/* One envelope event into the range: what verify.c's replay_event does to
 * one envelope, done to each state it may have started the range in. */
static bool range_env(struct range *r, const struct job *j, int type, uint64_t key, const char *payload)
{
	struct rslot *v = rmap_get(&r->env, key);
	if (!v)
		return false;
	for (int i = 0; i < NSTART; i++) {
		uint8_t at = v->to[i];
		if (at != ABSENT)
			v->to[i] = j->next[at][type];
		else if (type == EV_REGISTERED)
			v->to[i] = j->next[ST_NONE][EV_REGISTERED];	/* a new slot starts at none */
	}
	if (type == EV_REGISTERED && !v->reg_seen) {
		v->reg_seen = 1;
		v->cell_a = 0;
	}
	if (type == EV_PLACED || type == EV_COLLECTED || type == EV_EXPIRED_REMOVED) {
		uint64_t cell = type == EV_PLACED ? vfy_payload_field(payload, "\"cell\":\"") : 0;
		v->cell = cell;
		v->cell_set = 1;
		if (v->reg_seen)
			v->cell_a = cell;
	}
	return true;
}

/* A thread's walk through the range it took: the state of the SQL
 * function every row of the range is handed to. */
struct walker {
	struct job *j;
	struct range *r;
	int64_t next;		/* the seq the next row must have */
	char h[65];		/* the hash of the last row */
	bool halted;		/* a failure recorded in r, or an earlier range failed */
};

/* Each row of a range goes to an aggregate function inside SQLite
 * (walk_row) instead of coming back through sqlite3_step and a
 * sqlite3_column_* call per column: its arguments are the row's values as
 * the statement holds them, without each call's trip through the
 * connection's API (a quarter of the bare read's CPU, measured: 0.72
 * against 0.98 s for 1M rows).  The walker comes in as a pointer bound to
 * ?3.  A rowid range hands the rows in seq order; a row out of order would
 * be named as a missing event, never passed. */
#define ROWS_FN "amanat_verify_rows"
#define WALKER "amanat_verify_walker"
#define RANGE_SQL "SELECT " ROWS_FN "(?3, seq, uuid, device, type, waybill, register_id, actor, at_ms, place," \
	" payload, prev_hash) FROM event WHERE seq BETWEEN ?1 AND ?2"

static void range_db_fail(struct range *r, sqlite3 *db, int64_t seq)
{
	r->fail = F_DB;
	r->fail_seq = seq;
	snprintf(r->dbmsg, sizeof r->dbmsg, "%s", db ? sqlite3_errmsg(db) : "out of memory");
}

static bool row_fails(struct walker *w, enum fail_kind kind, int64_t seq)
{
	w->r->fail = kind;
	w->r->fail_seq = seq;
	w->halted = true;
	return false;
}

/* One row of the range: its link, uuid and hash, and its replay (false:
 * stop, w->halted says why). */
static bool walk_one(struct walker *w, sqlite3_value **v)
{
	struct range *r = w->r;
	const char *f[RECORD_FIELDS];
	size_t len[RECORD_FIELDS];
	int64_t seq = sqlite3_value_int64(v[0]), at = sqlite3_value_int64(v[7]);
	for (int i = 1; i < RECORD_FIELDS; i++) {
		if (i == 7)
			continue;
		f[i] = (const char *)sqlite3_value_text(v[i]);
		len[i] = f[i] ? (size_t)sqlite3_value_bytes(v[i]) : 0;
		if (!f[i])
			f[i] = "";
	}
	/* the envelope's slot asked for now, read after the hashing: a
	 * range's map is bigger than the caches (a third of the walk's own
	 * time was waiting for it) */
	uint64_t key = len[4] ? fnv(f[4], len[4], "", 0) : 0;
	if (key && r->env.cap)
		__builtin_prefetch(map_home(&r->env, sizeof(struct rslot), key));
	if (seq != w->next) {
		r->found = seq;
		return row_fails(w, F_MISSING, w->next);
	}
	if (seq == r->lo) {
		r->has_first = true;
		if (len[10] == 64)
			memcpy(r->first_prev, f[10], 65);
	} else if (len[10] != 64 || memcmp(f[10], w->h, 64) != 0) {
		return row_fails(w, F_LINK, seq);
	}
	/* the two numbers as text once, for the uuid's hash and the record's */
	char num[2][24];
	f[0] = num[0];
	len[0] = record_decimal(seq, num[0]);
	f[7] = num[1];
	len[7] = record_decimal(at, num[1]);
	/* a version 8 uuid is derived from its record (event.c) */
	char uuid[37];
	if (len[1] == 36 && f[1][14] == '8' &&
	    (event_uuid_derive_parts(f, len, seq, uuid) || memcmp(uuid, f[1], 36) != 0)) {
		memcpy(r->uuid, f[1], 36);
		r->uuid[36] = '\0';
		return row_fails(w, F_UUID, seq);
	}
	if (record_hash_parts(f, len, NULL, w->h))
		return row_fails(w, F_SHA, seq);
	int type = vfy_type_of(f[3], len[3]);
	if (type >= 0 && len[4]) {
		if (!vfy_replay_scan(&r->rep, type, f[4], len[4], f[5], len[5]) ||
		    (event_is_envelope_event((enum event_type)type) && !range_env(r, w->j, type, key, f[9])))
			r->nomem = true;
	}
	vfy_replay_work(&r->rep, type, len[4], f[6], len[6], f[9]);
	if (!vfy_replay_record(&r->rep, type, f[4], len[4], f[5], len[5], f[9], seq))
		r->nomem = true;
	w->next++;
	if ((w->next & 4095) == 0 && atomic_load_explicit(&w->j->stop, memory_order_relaxed) < r->lo) {
		w->halted = true;	/* an earlier range failed: this one will not be read */
		return false;
	}
	return true;
}

/* The aggregate's step: one row (v[0] the walker, v[1..] the columns). */
static void walk_row(sqlite3_context *cx, int argc, sqlite3_value **v)
{
	struct walker *w = sqlite3_value_pointer(v[0], WALKER);
	if (!w || argc != RECORD_FIELDS + 1)
		sqlite3_result_error(cx, "verify: no walker", -1);
	else if (!w->halted && !walk_one(w, v + 1))
		sqlite3_result_error(cx, "verify: stopped", -1);	/* the statement ends here */
}

static void walk_end(sqlite3_context *cx)
{
	sqlite3_result_null(cx);
}

/* Walk one range: its links, uuids and hashes, and its replay. */
static void range_walk(struct walker *w, struct range *r, sqlite3_stmt *st)
{
	w->r = r;
	w->next = r->lo;
	w->h[0] = '\0';
	w->halted = false;
	r->rep.shift = 0;
	sqlite3_bind_int64(st, 1, r->lo);
	sqlite3_bind_int64(st, 2, r->hi);
	sqlite3_bind_pointer(st, 3, w, WALKER, NULL);
	int step = sqlite3_step(st);
	if (!w->halted && step != SQLITE_ROW)
		range_db_fail(r, sqlite3_db_handle(st), w->next);
	else if (!w->halted && w->next <= r->hi) {
		r->fail = F_MISSING;	/* the range's end is missing */
		r->fail_seq = w->next;
		r->found = -1;
	}
	sqlite3_reset(st);
	memcpy(r->last, w->h, sizeof w->h);
	if (r->fail)
		for (long long stop = atomic_load(&w->j->stop); r->fail_seq < stop;)
			if (atomic_compare_exchange_weak(&w->j->stop, &stop, r->fail_seq))
				break;
}

/* The range statement on db, its function made on the connection when it
 * has none yet (the store's own: made once, kept). */
static bool range_prepare(sqlite3 *db, sqlite3_stmt **st)
{
	if (sqlite3_prepare_v2(db, RANGE_SQL, -1, st, NULL) == SQLITE_OK)
		return true;
	return sqlite3_create_function(db, ROWS_FN, RECORD_FIELDS + 1, SQLITE_UTF8, NULL, NULL, walk_row, walk_end)
		== SQLITE_OK && sqlite3_prepare_v2(db, RANGE_SQL, -1, st, NULL) == SQLITE_OK;
}

static void range_done(struct job *j, struct range *r)
{
	pthread_mutex_lock(&j->mu);
	r->done = true;
	pthread_cond_broadcast(&j->cv);
	pthread_mutex_unlock(&j->mu);
}

/* A thread: its own read connection, ranges taken in order until none is left. */
static void *worker(void *arg)
{
	struct job *j = arg;
	sqlite3 *db = j->shared;
	sqlite3_stmt *st = NULL;
	struct walker w = { j, NULL, 0, "", false };
	bool own = !db, ok = true;
	if (own && sqlite3_open_v2(j->path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
		ok = false;
	if (ok && own) {
		sqlite3_busy_timeout(db, 5000);
		sqlite3_exec(db, "PRAGMA mmap_size = 4294967296", NULL, NULL, NULL);
		ok = sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK;
	}
	if (ok)
		ok = range_prepare(db, &st);
	for (size_t k; (k = atomic_fetch_add(&j->take, 1)) < j->n;) {
		struct range *r = &j->r[k];
		if (!ok)
			range_db_fail(r, db, r->lo);
		else if (atomic_load(&j->stop) >= r->lo)
			range_walk(&w, r, st);
		range_done(j, r);
	}
	sqlite3_finalize(st);
	if (own && db) {
		sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);	/* nothing written: the read lock goes */
		sqlite3_close(db);
	}
	return NULL;
}

/* ---- folding the ranges ------------------------------------------------- */

static bool fold(struct replay *all, struct range *r)
{
	for (size_t i = 0; i < r->env.cap; i++) {
		const struct rslot *v = map_at(&r->env, sizeof *v, i);
		if (!v->key)
			continue;
		struct slot *g = map_get(&all->env, v->key, false);
		uint8_t to = v->to[g ? g->state : ABSENT];
		if (to == ABSENT)
			continue;	/* never registered: its events changed nothing */
		if (!g) {
			if (!(g = map_get(&all->env, v->key, true)))
				return false;
			g->cell = v->cell_a;
		} else if (v->cell_set) {
			g->cell = v->cell;
		}
		g->state = to;
	}
	for (size_t i = 0; i < r->rep.scan.cap; i++) {
		const struct slot *v = map_slot(&r->rep.scan, i);
		struct slot *g = v->key ? map_get(&all->scan, v->key, true) : NULL;
		if (v->key && !g)
			return false;
		if (g)
			g->state = v->state;
	}
	for (size_t i = 0; i < r->rep.work.cap; i++) {
		const struct work *w = map_at(&r->rep.work, sizeof *w, i);
		if (!w->key)
			continue;
		struct work *g = vfy_work_get(all, all->shift + w->shift, w->actor, strlen(w->actor), true);
		if (!g)
			return false;
		for (int k = 0; k < 5; k++)
			g->n[k] += w->n[k];
	}
	all->shift += r->rep.shift;
	return vfy_records_fold(all, &r->rep);
}

static void range_free(struct range *r)
{
	free(r->env.v);
	r->env.v = NULL;
	vfy_replay_free(&r->rep);
	memset(&r->rep, 0, sizeof r->rep);
}

/* What range r (the next in order; expect the hash before it) says, in
 * the order the one-thread walk would have met it; *bad the seq named. */
static int range_verdict(struct store *s, const struct range *r, const char *expect, int64_t *bad,
			 struct am_error *e)
{
	*bad = r->fail_seq;
	if (r->has_first && strcmp(r->first_prev, expect) != 0) {
		*bad = r->lo;
		return am_fail(e, AM_REFUSED, _("event chain broken at event %lld: it or the event before it was changed"),
			       (long long)r->lo);
	}
	switch (r->fail) {
	case F_MISSING: {
		int64_t found = r->found;
		if (found < 0) {	/* after the range: the next there is */
			sqlite3_stmt *st;
			int rc = db_prepare(s, &st, "SELECT min(seq) FROM event WHERE seq > ?", e);
			if (rc)
				return rc;
			sqlite3_bind_int64(st, 1, r->fail_seq);
			found = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
			sqlite3_finalize(st);
		}
		return am_fail(e, AM_REFUSED, _("event chain broken: event %lld is missing (found %lld next)"),
			       (long long)r->fail_seq, (long long)found);
	}
	case F_LINK:
		return am_fail(e, AM_REFUSED, _("event chain broken at event %lld: it or the event before it was changed"),
			       (long long)r->fail_seq);
	case F_UUID:
		return am_fail(e, AM_REFUSED, _("event %lld: its uuid %s is not the one derived from its record"),
			       (long long)r->fail_seq, r->uuid);
	case F_SHA:
		return am_fail(e, AM_ENV, _("SHA-256 failed"));
	case F_DB:
		return am_fail(e, AM_ENV, "%s: %s", _("reading events"), r->dbmsg);
	case F_NONE:
	default:
		return 0;
	}
}

static int cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : (int)n;
}

/* The log's end and the stored chain end, in the open read transaction. */
static int log_end(struct store *s, int64_t *end, char head[65], struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(s, &st, "SELECT coalesce(max(seq), 0) FROM event", e);
	if (rc)
		return rc;
	if (sqlite3_step(st) == SQLITE_ROW)
		*end = sqlite3_column_int64(st, 0);
	else
		rc = db_fail(s, e, _("reading events"));
	sqlite3_finalize(st);
	return rc ? rc : event_chain_stored(s, head, e);
}

/* Walk the ranges on threads; fold and judge them in order as they finish. */
static int walk_ranges(struct store *s, struct job *j, int threads, struct replay *all, size_t *n_checked,
		       char last[65], struct vfy_derived *d, int *drc, struct am_error *de, struct am_error *e)
{
	pthread_t tid[MAX_THREADS];
	int started = 0, rc = 0;
	/* the store's own connection is this thread's: walked here, first */
	for (; !j->shared && started < threads; started++)
		if (pthread_create(&tid[started], NULL, worker, j))
			break;
	if (!started)
		worker(j);	/* (or no thread to be had) */
	else		/* the derived tables, in this connection's read transaction, meanwhile */
		*drc = vfy_derived_read(s, d, de);
	bool nomem = false;
	for (size_t k = 0; k < j->n; k++) {
		struct range *r = &j->r[k];
		pthread_mutex_lock(&j->mu);
		while (!r->done)
			pthread_cond_wait(&j->cv, &j->mu);
		pthread_mutex_unlock(&j->mu);
		int64_t bad;
		if ((rc = range_verdict(s, r, last, &bad, e))) {
			*n_checked = (size_t)(bad - 1);
			atomic_store(&j->stop, 0);	/* the rest need not be walked */
			break;
		}
		nomem = nomem || r->nomem || !fold(all, r);
		memcpy(last, r->last, 65);
		*n_checked = (size_t)r->hi;
		range_free(r);
	}
	for (int t = 0; t < started; t++)
		pthread_join(tid[t], NULL);
	for (size_t k = 0; k < j->n; k++)
		range_free(&j->r[k]);
	if (!rc && (nomem || all->nomem))
		rc = am_fail(e, AM_ENV, _("out of memory"));
	return rc;
}

int vfy_full(struct store *s, int64_t range_events, int threads, size_t *n_checked, struct am_error *e)
{
	*n_checked = 0;
	/* libcrypto loaded (src/app/lib_lazy.c) and the event names' table
	 * built here, before any thread can race to do either */
	const char *f[RECORD_FIELDS] = { "", "", "", "", "", "", "", "", "", "", "" };
	size_t len[RECORD_FIELDS] = { 0 };
	char probe[65];
	if (record_hash_row(f, len, 0, 0, NULL, probe))
		return am_fail(e, AM_ENV, _("SHA-256 failed"));
	(void)vfy_type_of("registered", 10);

	struct job *j = calloc(1, sizeof *j);
	struct replay all;
	struct vfy_derived derived;
	struct am_error de = { "" };
	int drc = 0;
	memset(&all, 0, sizeof all);
	memset(&derived, 0, sizeof derived);
	all.shift = 1;
	if (!j)
		return am_fail(e, AM_ENV, _("out of memory"));
	for (int st = 0; st < ST__COUNT; st++)
		for (int t = 0; t < EV__COUNT; t++) {
			int to = lifecycle_next((enum envelope_state)st, (enum event_type)t);
			j->next[st][t] = (uint8_t)(to >= 0 ? to : st);
		}
	/* one read transaction: the log's end, the chain end, the derived tables */
	bool txn = sqlite3_get_autocommit(s->db) && db_exec(s, "BEGIN", e) == 0;
	int64_t end = 0;
	char head[65], last[65] = GENESIS;
	int rc = log_end(s, &end, head, e);
	const char *path = sqlite3_db_filename(s->db, "main");
	bool own = path && *path && txn;	/* a file of its own, ours not in a writer's transaction */
	if (threads <= 0)
		threads = own ? cpus() : 1;
	if (!own)
		threads = 1;
	if (range_events <= 0) {
		int64_t parts = (int64_t)threads * 4;	/* a few each: a slow thread holds up less */
		range_events = (end + parts - 1) / parts;
		range_events = range_events < MIN_RANGE ? MIN_RANGE : range_events;
	}
	j->n = !rc && end > 0 ? (size_t)((end + range_events - 1) / range_events) : 0;
	if (threads > (int)j->n)
		threads = j->n ? (int)j->n : 1;
	if (j->n && !(j->r = calloc(j->n, sizeof *j->r)))
		rc = am_fail(e, AM_ENV, _("out of memory"));
	if (!rc && j->n) {
		for (size_t k = 0; k < j->n; k++) {
			j->r[k].lo = 1 + (int64_t)k * range_events;
			j->r[k].hi = j->r[k].lo + range_events - 1 < end ? j->r[k].lo + range_events - 1 : end;
		}
		j->path = own ? path : NULL;
		j->shared = own ? NULL : s->db;
		atomic_init(&j->take, 0);
		atomic_init(&j->stop, INT64_MAX);
		pthread_mutex_init(&j->mu, NULL);
		pthread_cond_init(&j->cv, NULL);
		rc = walk_ranges(s, j, threads, &all, n_checked, last, &derived, &drc, &de, e);
		pthread_cond_destroy(&j->cv);
		pthread_mutex_destroy(&j->mu);
	}
	if (!rc && strcmp(head, last) != 0)
		rc = am_fail(e, AM_REFUSED, _("event chain broken after event %lld: the newest events were removed or changed"),
			     (long long)end);
	if (!rc && drc) {
		*e = de;
		rc = drc;
	}
	if (!rc)
		rc = vfy_derived_check(s, &all, &derived, e);
	if (!rc)
		rc = vfy_records_check(s, &all, e);
	if (txn)
		sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);	/* nothing written: the read lock goes */
	free(j->r);
	free(j);
	vfy_replay_free(&all);
	if (!rc)
		vfy_anchor_save(s, end, last);
	return rc;
}

int store_verify(struct store *s, size_t *n_checked, struct am_error *e)
{
	return vfy_full(s, 0, 0, n_checked, e);
}
