/*
 * db.c - opening the database: pragmas for durability, migrations with a
 * backup copy first, and the small helpers every store file uses.
 *
 * WAL + synchronous=FULL: a commit is on disk (fsync) when sqlite3_step
 * returns, so a confirmation shown after it survives a power cut.  Every
 * write transaction is BEGIN IMMEDIATE so that the busy handler applies.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "amanat/i18n.h"
#include "amanat/text.h"
#include "amanat/timeutil.h"
#include <openssl/evp.h>
#include "store_internal.h"

int (db_fail)(struct store *s, struct am_error *e, const char *what)
{
	int code = sqlite3_extended_errcode(s->db);
	const char *hint = "";
	switch (code & 0xff) {
	case SQLITE_FULL: hint = _(" - the disk is full: free space and try again, nothing was saved"); break;
	case SQLITE_BUSY:
	case SQLITE_LOCKED: hint = _(" - another amanat is writing: try again"); break;
	case SQLITE_READONLY: hint = _(" - the database is read-only: check its permissions"); break;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB: hint = _(" - the database is damaged: run 'amanat verify' and restore a backup"); break;
	case SQLITE_IOERR: hint = _(" - a disk error: check the disk, nothing was saved"); break;
	case SQLITE_CONSTRAINT: return am_fail(e, AM_REFUSED, "%s: %s", what, sqlite3_errmsg(s->db));
	}
	return am_fail(e, (code & 0xff) == SQLITE_READONLY ? AM_ENV_READONLY : AM_ENV, "%s: %s%s", what,
		       sqlite3_errmsg(s->db), hint);
}

int db_prepare(struct store *s, sqlite3_stmt **st, const char *sql, struct am_error *e)
{
	if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK)
		return db_fail(s, e, _("database"));
	return 0;
}

/* Where pointer p is, or would go, in a table of slots (by_sql, by_st). */
static size_t slot_of(const unsigned char *table, const struct store *s, const void *p, bool by_sql)
{
	size_t h = (size_t)(((uintptr_t)p >> 4) * 2654435761u) & (STMT_HASH - 1);
	for (; table[h]; h = (h + 1) & (STMT_HASH - 1)) {
		const struct stmt_slot *c = &s->cache[table[h] - 1];
		if ((by_sql ? (const void *)c->sql : (const void *)c->st) == p)
			break;
	}
	return h;
}

int db_cached(struct store *s, sqlite3_stmt **st, const char *sql, struct am_error *e)
{
	size_t h = slot_of(s->by_sql, s, sql, true);
	if (s->by_sql[h]) {
		sqlite3_stmt *c = s->cache[s->by_sql[h] - 1].st;
		if (sqlite3_stmt_busy(c))
			return db_prepare(s, st, sql, e);	/* nested: a private one */
		*st = c;
		return 0;
	}
	int rc = db_prepare(s, st, sql, e);
	if (rc == 0 && s->n_cached < STMT_CACHE) {
		s->cache[s->n_cached].sql = sql;
		s->cache[s->n_cached++].st = *st;
		s->by_sql[h] = (unsigned char)s->n_cached;
		s->by_st[slot_of(s->by_st, s, *st, false)] = (unsigned char)s->n_cached;
	}
	return rc;
}

void db_done(struct store *s, sqlite3_stmt *st)
{
	if (s->by_st[slot_of(s->by_st, s, st, false)]) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		return;
	}
	sqlite3_finalize(st);
}

int db_exec(struct store *s, const char *sql, struct am_error *e)
{
	if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(s, e, _("database"));
	return 0;
}

/* A statement without results from the cache: BEGIN, COMMIT, SAVEPOINT are
 * parsed once, not once per scan. */
static int db_run(struct store *s, const char *sql, struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_cached(s, &st, sql, e);
	if (rc)
		return rc;
	int step = sqlite3_step(st);
	if (step != SQLITE_DONE && step != SQLITE_ROW)
		rc = db_fail(s, e, _("database"));
	db_done(s, st);
	return rc;
}

/* The pager's count of changes to the file, ours and other connections'. */
unsigned db_data_version(struct store *s)
{
	unsigned v = 0;
	if (sqlite3_file_control(s->db, "main", SQLITE_FCNTL_DATA_VERSION, &v) != SQLITE_OK)
		return 0;
	return v;
}

bool store_changed_elsewhere(struct store *s)
{
	sqlite3_stmt *st;
	struct am_error ignore;
	if (db_cached(s, &st, "PRAGMA data_version", &ignore))
		return false;
	sqlite3_int64 v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	db_done(s, st);
	bool changed = s->seen_pdv && v != s->seen_pdv;
	s->seen_pdv = v;
	return changed;
}

int db_begin(struct store *s, struct am_error *e)
{
	if (s->bulk)		/* store_bulk_begin: no savepoint per operation */
		return 0;
	if (s->batch) {		/* inside store_batch_begin: a savepoint */
		int rc = db_run(s, "SAVEPOINT op", e);
		s->sp_depth += rc == 0;
		return rc;
	}
	s->busy_waited_ms = 0;
	s->marks_off = 0;
	s->marks_mixed = false;
	/* every transaction but a hub's answers commits with an fsync
	 * (store_outbox_mark_many): put FULL back if it could not */
	if (s->sync_relaxed && !s->bulk_mode) {
		int rc = db_exec(s, "PRAGMA synchronous=FULL", e);
		if (rc)
			return rc;
		s->sync_relaxed = false;
	}
	/* Writers take turns (turn.c): one that waits goes first.  Without it
	 * a writer that begins again at once (a sync's acknowledgements, one
	 * answer after the other) takes the lock in the gap the waiting one's
	 * sleep misses: 150 ms behind a sync. */
	if (turn_someone_waits(s))
		turn_give(s, TURN_GIVE_MS);
	s->turn_in_begin = true;	/* a wait shows (turn.c) */
	int rc = db_run(s, "BEGIN IMMEDIATE", e);
	s->turn_in_begin = false;
	turn_done(s);
	/* The chain's end an earlier transaction of ours read and wrote holds
	 * while nobody else committed since: the data version moves with every
	 * commit, ours included, and ours is noted by db_commit. */
	unsigned dv = db_data_version(s);
	if (rc || dv == 0 || dv != s->chain_dv)
		event_chain_forget(s);
	return rc;
}

int db_commit(struct store *s, struct am_error *e)
{
	const char *sql = "COMMIT";
	if (s->batch) {
		if (s->sp_depth == 0)
			return 0;
		sql = "RELEASE op";
	}
	struct am_error ignore;
	int rc0 = event_chain_flush(s, e);
	if (rc0) {
		db_rollback(s);
		return rc0;
	}
	if (db_run(s, sql, &ignore)) {
		int rc = db_fail(s, e, _("saving"));
		db_rollback(s);
		return rc;
	}
	if (s->batch)
		s->sp_depth--;
	else
		s->chain_dv = db_data_version(s);
	return 0;
}

void db_rollback(struct store *s)
{
	if (s->bulk) {		/* no savepoint to go back to: the whole bulk goes */
		s->bulk_failed = true;
		return;
	}
	event_chain_forget(s);
	if (s->batch) {
		if (s->sp_depth > 0) {
			sqlite3_exec(s->db, "ROLLBACK TO op; RELEASE op", NULL, NULL, NULL);
			s->sp_depth--;
		}
		return;
	}
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

int store_batch_begin(struct store *s, struct am_error *e)
{
	if (s->batch)
		return am_fail(e, AM_ENV, "internal: a batch is already open");
	event_chain_forget(s);
	s->turn_in_begin = true;
	int rc = db_exec(s, "BEGIN IMMEDIATE", e);
	s->turn_in_begin = false;
	turn_done(s);
	if (rc == 0) {
		s->batch = true;
		s->sp_depth = 0;
	}
	return rc;
}

int store_batch_end(struct store *s, bool commit, struct am_error *e)
{
	if (!s->batch)
		return 0;
	bool failed = s->bulk_failed;
	s->batch = s->bulk = s->bulk_failed = false;
	s->sp_depth = 0;
	if (!commit || failed) {
		db_rollback(s);
		return failed && commit ? am_fail(e, AM_REFUSED, "internal: an operation of the bulk failed") : 0;
	}
	return db_commit(s, e);
}

/* A generator's bulk: one transaction without a savepoint per operation (an
 * operation's savepoint nested in a long one costs SQLite a walk of the
 * whole statement journal at every statement: quadratic), a cache big
 * enough for the transaction's pages, no fsync until store_bulk_done. */
int store_bulk_begin(struct store *s, struct am_error *e)
{
	int rc;
	if (!s->bulk_mode &&
	    ((rc = db_exec(s, "PRAGMA synchronous=OFF", e)) || (rc = db_exec(s, "PRAGMA cache_size=-262144", e))))
		return rc;
	s->bulk_mode = true;
	if ((rc = store_batch_begin(s, e)))
		return rc;
	s->bulk = true;
	return 0;
}

int store_bulk_done(struct store *s, struct am_error *e)
{
	int rc;
	if (!s->bulk_mode)
		return 0;
	s->bulk_mode = false;
	if ((rc = db_exec(s, "PRAGMA synchronous=FULL", e)) || (rc = db_exec(s, "PRAGMA cache_size=-8192", e)))
		return rc;
	/* everything copied back into the database file and fsync'd */
	if (sqlite3_wal_checkpoint_v2(s->db, "main", SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL) != SQLITE_OK)
		return db_fail(s, e, _("database"));
	s->wal_frames = 0;
	return 0;
}

void db_text(sqlite3_stmt *st, int i, char *buf, size_t len)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	/* cut as snprintf did but at a whole letter (a scan reads a dozen columns: no printf) */
	text_copy(buf, len, (const char *)t, t ? (size_t)sqlite3_column_bytes(st, i) : 0);
}

int64_t db_now(const struct event_ctx *ctx)
{
	return ctx && ctx->at_ms ? ctx->at_ms : now_ms();
}

static int user_version(struct store *s, int *v, struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(s, &st, "PRAGMA user_version", e);
	if (rc)
		return rc;
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return db_fail(s, e, _("reading the schema version"));
	}
	*v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return 0;
}

/* Keep the two newest migration copies (DB.vN.bak) beside the database:
 * enough to go back one upgrade, not a pile that fills the disk. */
static void prune_copies(const char *db)
{
	char dir[4200], base[4200], path[8500];
	snprintf(dir, sizeof dir, "%s", db);
	snprintf(base, sizeof base, "%s", db);
	const char *d = dirname(dir), *b = basename(base);
	size_t bl = strlen(b);
	int keep[2] = { -1, -1 };
	for (int pass = 0; pass < 2; pass++) {
		DIR *dh = opendir(d);
		struct dirent *de;
		if (!dh)
			return;
		while ((de = readdir(dh))) {
			const char *ver = de->d_name + bl;
			char *end;
			if (strncmp(de->d_name, b, bl) || strncmp(ver, ".v", 2))
				continue;
			long lv = strtol(ver + 2, &end, 10);
			if (end == ver + 2 || strcmp(end, ".bak") || lv > 1000000 || lv < -1000000)
				continue;
			int v = (int)lv;
			if (pass == 0) {	/* find the two highest versions */
				if (v > keep[0]) {
					keep[1] = keep[0];
					keep[0] = v;
				} else if (v > keep[1]) {
					keep[1] = v;
				}
			} else if (v != keep[0] && v != keep[1]) {
				snprintf(path, sizeof path, "%s/%s", d, de->d_name);
				unlink(path);
			}
		}
		closedir(dh);
	}
}

static int migrate(struct store *s, struct am_error *e)
{
	int v = 0, rc, latest = schema_version_latest();
	if ((rc = user_version(s, &v, e)))
		return rc;
	if (v > latest)
		return am_fail(e, AM_ENV_SCHEMA, _("%s was written by a newer amanat (schema %d, this one knows %d): install the newer version"), s->path, v, latest);
	if (v == 0) {	/* new, or amanat's tables without their version (a .dump read back) */
		sqlite3_stmt *st;
		if ((rc = db_prepare(s, &st, "SELECT 1 FROM sqlite_schema WHERE name = 'event' AND type = 'table'", e)))
			return rc;
		bool tables = sqlite3_step(st) == SQLITE_ROW;
		sqlite3_finalize(st);
		if (tables)
			return am_fail(e, AM_ENV, _("%s has amanat's tables but no schema version (copied by another tool,"
						   " such as sqlite3 .dump): restore an amanat backup (amanat restore FILE)"), s->path);
	}
	if (v > 0 && v < latest) {
		/* An upgrade: keep a copy of the database as it was. */
		char dest[4200];
		snprintf(dest, sizeof dest, "%s.v%d.bak", s->path, v);
		if ((rc = store_backup(s, dest, e)))
			return rc;
		prune_copies(s->path);
	}
	for (int next = v + 1; next <= latest; next++) {
		char pragma[64];
		if ((rc = db_begin(s, e)))
			return rc;
		snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", next);
		if ((rc = db_exec(s, schema_migration(next), e)) || (rc = db_exec(s, pragma, e))) {
			db_rollback(s);
			return rc;
		}
		if ((rc = db_commit(s, e)))
			return rc;
	}
	return 0;
}

/* Called after each commit with the WAL's length in frames.  Installing it
 * turns SQLite's automatic checkpoint off: a checkpoint (copying the WAL back
 * and an fsync of the database file) would otherwise land on some scan's
 * commit.  store_idle does it when the terminal waits; past WAL_LIMIT frames
 * (a terminal that is never idle) the commit does it after all. */
#define WAL_LIMIT 20000
#define WAL_IDLE_FRAMES 256	/* checkpoint at the first pause past 1 MiB ... */
#define WAL_IDLE_MS 2000	/* ... or when nothing was committed for 2 s */
static int wal_hook(void *arg, sqlite3 *db, const char *name, int frames)
{
	struct store *s = arg;
	s->wal_frames = frames;
	s->last_commit_ms = now_ms();
	if (frames >= WAL_LIMIT && sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL) == SQLITE_OK)
		s->wal_frames = 0;
	return SQLITE_OK;
}

/* Copy the WAL back now, outside a transaction (-1: SQLite failed); all of
 * it copied back, the next commit starts the WAL over. */
static int checkpoint_now(struct store *s)
{
	int log = 0, done = 0;
	if (sqlite3_wal_checkpoint_v2(s->db, "main", SQLITE_CHECKPOINT_PASSIVE, &log, &done) != SQLITE_OK)
		return -1;
	if (log == done)
		s->wal_frames = 0;
	return 1;
}

/* Not after every scan: a scan that arrives during a checkpoint waits for
 * its fsync, so a burst of scans goes on untouched and the WAL is copied
 * back in the first real pause. */
int store_idle(struct store *s)
{
	if (!s || s->wal_frames == 0 || !sqlite3_get_autocommit(s->db))
		return 0;
	if (s->wal_frames < WAL_IDLE_FRAMES && now_ms() - s->last_commit_ms < WAL_IDLE_MS)
		return 0;
	return checkpoint_now(s);
}

/* A writer of many rows copies the WAL back itself once it holds at least
 * min_frames (0: WAL_IDLE_FRAMES), so that no scan's commit meets WAL_LIMIT
 * and no other process inherits a long WAL to copy while a scan waits. */
void db_checkpoint_busy(struct store *s, int min_frames)
{
	if (s->wal_frames >= (min_frames > 0 ? min_frames : WAL_IDLE_FRAMES) && sqlite3_get_autocommit(s->db))
		(void)checkpoint_now(s);
}

int64_t store_last_wait_ms(const struct store *s)
{
	return s->busy_waited_ms;
}

int store_wal_frames(const struct store *s)
{
	return s->wal_frames;
}

/* Waiting for another writer: look again every millisecond for at most
 * BUSY_MS.  SQLite's own busy_timeout sleeps up to 100 ms between looks
 * and would miss the gap a big import leaves between its slices
 * (register_import.c), so a scan would wait for the whole import. */
#define BUSY_MS 5000
static int busy_wait(void *arg, int count)
{
	struct store *s = arg;
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	int64_t ms = (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
	if (count == 0)
		s->busy_since_ms = ms;
	s->busy_waited_ms = ms - s->busy_since_ms;
	if (ms - s->busy_since_ms >= BUSY_MS)
		return 0;
	turn_waiting(s);
	usleep(1000);
	return 1;
}

static int ensure_device(struct store *s, struct am_error *e)
{
	if (store_meta_get(s, "device_id", s->device, sizeof s->device) == 0)
		return 0;
	/* A terminal that was never `init`ed still gets a stable identity. */
	unsigned char r[4];
	if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r)
		return am_fail(e, AM_ENV, _("no random numbers from the kernel"));
	snprintf(s->device, sizeof s->device, "dev-%02x%02x%02x%02x", r[0], r[1], r[2], r[3]);
	return store_meta_set(s, "device_id", s->device, e);
}

/*
 * A new database file is made here, before SQLite sees it, so that it is
 * group-writable whoever makes it: mode 0660 whatever the umask (a clerk's
 * 022, the timer's 0007), the group of the folder (/var/lib/amanat is setgid
 * amanat), and when root makes it, the folder's owner.  SQLite gives the
 * -wal and -shm it creates later the mode (and, as root, the owner) of the
 * main file, so they follow.
 */
int store_create_file(const char *path, struct am_error *e)
{
	int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, STORE_FILE_MODE);
	if (fd < 0) {
		if (errno == EEXIST)
			return 0;
		return am_fail(e, AM_ENV, _("cannot create the database %s: %s"), path, strerror(errno));
	}
	int rc = 0;
	if (fchmod(fd, STORE_FILE_MODE))
		rc = am_fail(e, AM_ENV, _("cannot set the mode of %s: %s"), path, strerror(errno));
	if (!rc && geteuid() == 0) {
		char dir[4200];
		struct stat st;
		snprintf(dir, sizeof dir, "%s", path);
		if (stat(dirname(dir), &st) == 0 && fchown(fd, st.st_uid, st.st_gid))
			rc = am_fail(e, AM_ENV, _("cannot give %s to the owner of its folder: %s"), path, strerror(errno));
	}
	if (close(fd) && !rc)
		rc = am_fail(e, AM_ENV, _("cannot create the database %s: %s"), path, strerror(errno));
	if (rc)
		unlink(path);
	return rc;
}

int store_open(const char *path, struct store **out, struct am_error *e)
{
	struct store *s = calloc(1, sizeof *s);
	int rc;
	*out = NULL;
	if (!s)
		return am_fail(e, AM_ENV, _("out of memory"));
	snprintf(s->path, sizeof s->path, "%s", path);
	waybill_rule_default(&s->rules.waybill);
	s->rules.offset_min = 300;
	if ((rc = store_create_file(path, e)))
		goto fail;
	/* SQLite counts every allocation under a global mutex for
	 * sqlite3_memory_used(), which amanat never asks: a tenth of a scan's
	 * CPU.  Only before SQLite is first used; later it says no, harmlessly. */
	static bool tuned;
	if (!tuned) {
		tuned = true;
		sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	}
	/* NOMUTEX: one thread uses a connection (the UI's fetch thread never
	 * touches the store), so SQLite need not take its mutex on every call:
	 * a sixth of the time of reading a million events (verify). */
	if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK) {
		rc = am_fail(e, AM_ENV, _("cannot open the database %s: %s"), path,
			     s->db ? sqlite3_errmsg(s->db) : strerror(errno));
		goto fail;
	}
	sqlite3_busy_handler(s->db, busy_wait, s);
	sqlite3_extended_result_codes(s->db, 1);
	/* journal_mode answers with the mode in force; a file that is not a
	 * database fails here with SQLITE_NOTADB. */
	if ((rc = db_exec(s, "PRAGMA journal_mode=WAL", e)) ||
	    (rc = db_exec(s, "PRAGMA synchronous=FULL", e)) ||
	    (rc = db_exec(s, "PRAGMA foreign_keys=ON", e)) ||
	    (rc = db_exec(s, "PRAGMA cache_size=-8192", e)) ||
	    (rc = db_exec(s, "PRAGMA temp_store=MEMORY", e)) ||
	    (rc = migrate(s, e)) ||
	    (rc = ensure_device(s, e)))
		goto fail;
	sqlite3_wal_hook(s->db, wal_hook, s);
	*out = s;
	return 0;
fail:
	store_close(s);
	return rc;
}

void store_close(struct store *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n_cached; i++)
		sqlite3_finalize(s->cache[i].st);
	EVP_MD_CTX_free(s->md);
	turn_close(s);
	s->n_cached = 0;
	sqlite3_close(s->db);
	free(s);
}

void store_set_rules(struct store *s, const struct store_rules *r)
{
	s->rules = *r;
}

const struct store_rules *store_get_rules(const struct store *s)
{
	return &s->rules;
}

int store_meta_get(struct store *s, const char *key, char *buf, size_t len)
{
	sqlite3_stmt *st;
	struct am_error ignore;
	int found = -1;
	if (db_cached(s, &st, "SELECT value FROM meta WHERE key = ?", &ignore))
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		db_text(st, 0, buf, len);
		found = 0;
	}
	db_done(s, st);
	return found;
}

int store_meta_set(struct store *s, const char *key, const char *value, struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_cached(s, &st, "INSERT INTO meta(key, value) VALUES (?, ?) "
			   "ON CONFLICT(key) DO UPDATE SET value = excluded.value", e);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(s, e, _("saving a setting"));
	db_done(s, st);
	return rc;
}

static int count_events(struct store *s, int64_t *n)
{
	sqlite3_stmt *st;
	*n = 0;
	if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM event", -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		*n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return 0;
}

int store_init(struct store *s, const char *device_id, const char *point_id, struct am_error *e)
{
	int rc;
	int64_t n;
	char cur[128];
	if (device_id && *device_id && strcmp(device_id, s->device) != 0) {
		if (count_events(s, &n) || n > 0)
			return am_fail(e, AM_REFUSED, _("this database already holds events of device %s: a device id cannot change (use a new database)"), s->device);
		if (strlen(device_id) >= sizeof s->device)
			return am_fail(e, AM_REFUSED, _("a device id has at most %zu characters"), sizeof s->device - 1);
		if ((rc = store_meta_set(s, "device_id", device_id, e)))
			return rc;
		snprintf(s->device, sizeof s->device, "%s", device_id);
	}
	if (point_id && *point_id) {
		if (store_meta_get(s, "point_id", cur, sizeof cur) == 0 && strcmp(cur, point_id) != 0) {
			if (count_events(s, &n) || n > 0)
				return am_fail(e, AM_REFUSED, _("this terminal already works for point %s: the point cannot change (use a new database)"), cur);
		}
		if ((rc = store_meta_set(s, "point_id", point_id, e)))
			return rc;
	}
	return 0;
}

int store_backup(struct store *s, const char *dest, struct am_error *e)
{
	sqlite3 *to;
	/* A copy holds IINs and PIN hashes: only its maker reads it (0600),
	 * set before a byte is written. */
	int fd = open(dest, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return am_fail(e, AM_ENV, _("cannot create the backup %s: %s"), dest, strerror(errno));
	if (fchmod(fd, 0600)) {
		int rc = am_fail(e, AM_ENV, _("cannot make the backup %s private: %s"), dest, strerror(errno));
		close(fd);
		return rc;
	}
	close(fd);
	if (sqlite3_open_v2(dest, &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		int rc = am_fail(e, AM_ENV, _("cannot create the backup %s: %s"), dest, sqlite3_errmsg(to));
		sqlite3_close(to);
		return rc;
	}
	sqlite3_backup *b = sqlite3_backup_init(to, "main", s->db, "main");
	int rc = SQLITE_ERROR;
	if (b) {
		rc = sqlite3_backup_step(b, -1);
		sqlite3_backup_finish(b);
	}
	if (rc != SQLITE_DONE) {
		int status = am_fail(e, AM_ENV, _("backup to %s failed: %s"), dest, sqlite3_errmsg(to));
		sqlite3_close(to);
		unlink(dest);
		return status;
	}
	if (sqlite3_close(to) != SQLITE_OK)
		return am_fail(e, AM_ENV, _("backup to %s could not be closed"), dest);
	return 0;
}
