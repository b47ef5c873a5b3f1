/*
 * pg.c - the hub's PostgreSQL side: one connection per thread, the schema
 * and its migrations, and the devices with their hashed tokens.
 *
 * Migrations are numbered statements applied in order under an advisory
 * lock, so two hub processes started at once cannot apply one twice.
 * Tokens: 32 random bytes shown once as hex; only their SHA-256 is stored.
 * A token has 256 bits of entropy, so an unsalted hash cannot be guessed
 * back, and looking it up by hash needs no per-device salt.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <openssl/sha.h>
#include "hub.h"

#include <pthread.h>

static __thread PGconn *conn;

/* The statements this thread's connection has prepared, by the address of
 * their SQL (the hub's SQL is static text; the text is compared too, so a
 * caller's buffer can never run another statement).  Emptied when the
 * connection is made or reset: PostgreSQL forgets them then. */
#define N_PREPARED 64
static __thread struct {
	const char *sql;
	char name[8];
} prepared[N_PREPARED];
static __thread int n_prepared;

static void forget_prepared(void)
{
	memset(prepared, 0, sizeof prepared);
	n_prepared = 0;
}


/* Every thread's connection, so that the process can close them all. */
static pthread_mutex_t all_lock = PTHREAD_MUTEX_INITIALIZER;
static PGconn **all;
static size_t n_all;

static void remember(PGconn *c, bool add)
{
	pthread_mutex_lock(&all_lock);
	if (add) {
		PGconn **a = realloc(all, (n_all + 1) * sizeof(PGconn *));	/* NOLINT(bugprone-sizeof-expression): an array of pointers */
		if (a) {
			all = a;
			all[n_all++] = c;
		}
	} else {
		for (size_t i = 0; i < n_all; i++)
			if (all[i] == c) {
				all[i] = all[--n_all];
				break;
			}
	}
	pthread_mutex_unlock(&all_lock);
}

void hub_pg_close_all(void)
{
	pthread_mutex_lock(&all_lock);
	for (size_t i = 0; i < n_all; i++)
		PQfinish(all[i]);
	free(all);
	all = NULL;
	n_all = 0;
	pthread_mutex_unlock(&all_lock);
	conn = NULL;
}

static void quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

PGconn *hub_pg(struct am_error *e)
{
	if (conn && PQstatus(conn) == CONNECTION_OK)
		return conn;
	forget_prepared();
	if (conn) {
		PQreset(conn);
		if (PQstatus(conn) == CONNECTION_OK)
			return conn;
		remember(conn, false);
		PQfinish(conn);
		conn = NULL;
	}
	conn = PQconnectdb(hub_conf.conninfo ? hub_conf.conninfo : "");
	if (PQstatus(conn) != CONNECTION_OK) {
		am_fail(e, AM_ENV, "cannot reach PostgreSQL: %s", PQerrorMessage(conn));
		PQfinish(conn);
		conn = NULL;
		return NULL;
	}
	PQsetNoticeProcessor(conn, quiet, NULL);	/* "already exists, skipping" */
	remember(conn, true);
	return conn;
}

void hub_pg_close(void)
{
	if (conn) {
		remember(conn, false);
		PQfinish(conn);
	}
	conn = NULL;
}

/* The prepared name of sql on this thread's connection, preparing it on
 * first use; NULL: run it unprepared (no room, or another connection). */
static const char *prepare(PGconn *c, const char *sql, int n)
{
	if (c != conn || n == 0)
		return NULL;
	for (int i = 0; i < n_prepared; i++)
		if (prepared[i].sql == sql && !strcmp(prepared[i].sql, sql))
			return prepared[i].name;
	if (n_prepared == N_PREPARED)
		return NULL;
	char name[8];
	snprintf(name, sizeof name, "s%d", n_prepared);
	PGresult *r = PQprepare(c, name, sql, n, NULL);
	bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	PQclear(r);
	if (!ok)
		return NULL;	/* PQexecParams will say what is wrong with it */
	prepared[n_prepared].sql = sql;
	memcpy(prepared[n_prepared].name, name, sizeof name);
	return prepared[n_prepared++].name;
}

static PGresult *run(PGconn *c, ExecStatusType want, struct am_error *e, const char *sql,
		     int n, const char *const *params, bool named);

PGresult *hub_q(PGconn *c, ExecStatusType want, struct am_error *e, const char *sql,
		int n, const char *const *params)
{
	return run(c, want, e, sql, n, params, true);
}

PGresult *hub_q_custom(PGconn *c, ExecStatusType want, struct am_error *e, const char *sql,
		       int n, const char *const *params)
{
	return run(c, want, e, sql, n, params, false);
}

static PGresult *run(PGconn *c, ExecStatusType want, struct am_error *e, const char *sql,
		     int n, const char *const *params, bool named)
{
	const char *name = named ? prepare(c, sql, n) : NULL;
	PGresult *r = name ? PQexecPrepared(c, name, n, params, NULL, NULL, 0)
			   : PQexecParams(c, sql, n, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(r) != want) {
		hub_pg_note_state(r);
		const char *m = PQresultErrorMessage(r);
		am_fail(e, AM_ENV, "PostgreSQL: %s", m && *m ? m : PQerrorMessage(c));
		PQclear(r);
		return NULL;
	}
	return r;
}

int hub_exec(PGconn *c, const char *sql, struct am_error *e)
{
	PGresult *r = hub_q(c, PGRES_COMMAND_OK, e, sql, 0, NULL);
	if (!r)
		return AM_ENV;
	PQclear(r);
	return 0;
}

/* Append only; never edit a migration that has shipped. */
static const char *const migrations[] = {
	/* 1: devices, the event log (also the upstream outbox), envelopes */
	"CREATE TABLE device ("
	" id text PRIMARY KEY, point text NOT NULL, courier text NOT NULL DEFAULT '',"
	" token_sha256 text NOT NULL UNIQUE, created_ms bigint NOT NULL,"
	" revoked_ms bigint, last_contact_ms bigint NOT NULL DEFAULT 0,"
	" last_seq bigint NOT NULL DEFAULT 0, events bigint NOT NULL DEFAULT 0,"
	" feed_cursor bigint NOT NULL DEFAULT 0);"
	"CREATE TABLE event ("
	" id bigserial PRIMARY KEY, uuid uuid NOT NULL UNIQUE, point text NOT NULL,"
	" device text NOT NULL, seq bigint NOT NULL, type text NOT NULL,"
	" waybill text NOT NULL DEFAULT '', register text NOT NULL DEFAULT '',"
	" actor text NOT NULL DEFAULT '', at_ms bigint NOT NULL, at text NOT NULL DEFAULT '',"
	" place text NOT NULL DEFAULT '', payload jsonb NOT NULL DEFAULT '{}',"
	" received_ms bigint NOT NULL, conflict text, resolved_ms bigint, resolution text,"
	" upstream smallint NOT NULL DEFAULT 0, upstream_tries int NOT NULL DEFAULT 0,"
	" upstream_next_ms bigint NOT NULL DEFAULT 0, upstream_reason text);"
	"CREATE INDEX event_point_id ON event (point, id);"
	"CREATE INDEX event_outbox ON event (id) WHERE upstream = 0;"
	"CREATE INDEX event_open_conflict ON event (point) WHERE conflict IS NOT NULL AND resolved_ms IS NULL;"
	"CREATE TABLE envelope ("
	" waybill text PRIMARY KEY, point text NOT NULL, state text NOT NULL,"
	" register text NOT NULL DEFAULT '', application text NOT NULL DEFAULT '',"
	" postomat text NOT NULL DEFAULT '', city text NOT NULL DEFAULT '',"
	" reserved_cell text NOT NULL DEFAULT '', cell text NOT NULL DEFAULT '',"
	" courier text NOT NULL DEFAULT '', last_at_ms bigint NOT NULL DEFAULT 0,"
	" last_device text NOT NULL DEFAULT '', last_event bigint NOT NULL DEFAULT 0);"
	"CREATE INDEX envelope_point_state ON envelope (point, state);"
	"CREATE TABLE upstream_state (k text PRIMARY KEY, v text NOT NULL);"
	"CREATE TABLE register_doc (id bigserial PRIMARY KEY, point text NOT NULL,"
	" register text NOT NULL UNIQUE, body jsonb NOT NULL);"
	"CREATE INDEX register_doc_point ON register_doc (point, id);"
	"CREATE TABLE postomat_doc (id text PRIMARY KEY, city text NOT NULL, body jsonb NOT NULL);"
	"CREATE INDEX postomat_doc_city ON postomat_doc (city);",
	/* 2: deadlines (clock.c): what a clock counts from; due times are
	 * reckoned when read, by the calendar and force majeure */
	"CREATE TABLE clock (id bigserial PRIMARY KEY, point text NOT NULL,"
	" waybill text NOT NULL DEFAULT '', register text NOT NULL DEFAULT '', clock text NOT NULL,"
	" started_ms bigint NOT NULL, basis_ms bigint NOT NULL, prior_ms bigint NOT NULL DEFAULT 0,"
	" closed_ms bigint NOT NULL DEFAULT 0);"
	"CREATE INDEX clock_open_point ON clock (point) WHERE closed_ms = 0;"
	"CREATE INDEX clock_open_key ON clock (waybill, register) WHERE closed_ms = 0;"
	"CREATE INDEX event_force_majeure ON event (point, id)"
	" WHERE type IN ('force_majeure', 'force_majeure_ended');",
	/* 3: working-day calendars the operator sends to every point */
	"CREATE TABLE calendar_doc (id bigserial PRIMARY KEY, body jsonb NOT NULL);",
	/* 4: the feed finds each item's envelope by its waybill in byte order
	 * (feed.c): the primary key compares by the database's collation */
	"CREATE INDEX IF NOT EXISTS envelope_waybill_c ON envelope (waybill COLLATE \"C\");",
	/* 5: the event log partitioned by point (64 hash partitions), so that a
	 * point's rows lie together and a feed page reads a few dozen heap
	 * pages instead of one page a row (feed.c).  A partitioned table's
	 * keys must hold the partition key: the primary key is (point, id),
	 * which is also the feed's index; a uuid is unique within its point
	 * (a device posts only for its own point, so a resent event is still
	 * the same point's duplicate), looked up by (uuid, point).  The rows
	 * move sorted by (point, id), so the history is laid out point by
	 * point; ids keep coming from the same sequence. */
	"ALTER TABLE event RENAME TO event_before_partitions;"
	"CREATE TABLE event ("
	" id bigint NOT NULL DEFAULT nextval('event_id_seq'), uuid uuid NOT NULL, point text NOT NULL,"
	" device text NOT NULL, seq bigint NOT NULL, type text NOT NULL,"
	" waybill text NOT NULL DEFAULT '', register text NOT NULL DEFAULT '',"
	" actor text NOT NULL DEFAULT '', at_ms bigint NOT NULL, at text NOT NULL DEFAULT '',"
	" place text NOT NULL DEFAULT '', payload jsonb NOT NULL DEFAULT '{}',"
	" received_ms bigint NOT NULL, conflict text, resolved_ms bigint, resolution text,"
	" upstream smallint NOT NULL DEFAULT 0, upstream_tries int NOT NULL DEFAULT 0,"
	" upstream_next_ms bigint NOT NULL DEFAULT 0, upstream_reason text) PARTITION BY HASH (point);"
	"DO $$ BEGIN FOR r IN 0..63 LOOP EXECUTE format('CREATE TABLE event_p%s PARTITION OF event"
	" FOR VALUES WITH (MODULUS 64, REMAINDER %s)', lpad(r::text, 2, '0'), r); END LOOP; END $$;"
	"SET LOCAL work_mem = '256MB';"
	"INSERT INTO event SELECT * FROM event_before_partitions ORDER BY point, id;"
	"ALTER SEQUENCE event_id_seq OWNED BY event.id;"
	"DROP TABLE event_before_partitions;"
	"ALTER TABLE event ADD PRIMARY KEY (point, id);"
	"ALTER TABLE event ADD UNIQUE (uuid, point);"
	"CREATE INDEX event_id ON event (id);"
	"CREATE INDEX event_outbox ON event (id) WHERE upstream = 0;"
	"CREATE INDEX event_open_conflict ON event (point) WHERE conflict IS NOT NULL AND resolved_ms IS NULL;"
	"CREATE INDEX event_force_majeure ON event (point, id)"
	" WHERE type IN ('force_majeure', 'force_majeure_ended');"
	"ANALYZE event;",
	/* 6: fewer and cheaper index entries a batch writes (ingest.c).  The
	 * keys of envelopes and clocks are identifiers: they compare byte by
	 * byte (C.UTF-8, the clusters' collation, orders them the same), so the
	 * envelope's primary key serves the feed's byte-order look-up and
	 * envelope_waybill_c goes; a clock's two open-clock indexes become one,
	 * (point, waybill, register), which serves the summary's point and
	 * ingest's closings alike (a batch closes only its own point's clocks). */
	"DROP INDEX IF EXISTS envelope_waybill_c;"
	"ALTER TABLE envelope ALTER COLUMN waybill TYPE text COLLATE \"C\","
	" ALTER COLUMN point TYPE text COLLATE \"C\", ALTER COLUMN state TYPE text COLLATE \"C\";"
	"DROP INDEX IF EXISTS clock_open_point;"
	"DROP INDEX IF EXISTS clock_open_key;"
	"ALTER TABLE clock ALTER COLUMN point TYPE text COLLATE \"C\","
	" ALTER COLUMN waybill TYPE text COLLATE \"C\", ALTER COLUMN register TYPE text COLLATE \"C\";"
	"CREATE INDEX clock_open ON clock (point, waybill, register) WHERE closed_ms = 0;",
};
#define N_MIGRATIONS (int)(sizeof migrations / sizeof *migrations)

int hub_migrate(struct am_error *e)
{
	PGconn *c = hub_pg(e);
	if (!c)
		return AM_ENV;
	if (hub_exec(c, "BEGIN", e))
		return AM_ENV;
	PGresult *r = hub_q(c, PGRES_TUPLES_OK, e, "SELECT pg_advisory_xact_lock(7320150)", 0, NULL);
	if (!r) {
		hub_exec(c, "ROLLBACK", NULL);
		return AM_ENV;
	}
	PQclear(r);
	r = PQexec(c, "CREATE TABLE IF NOT EXISTS hub_meta (k text PRIMARY KEY, v text NOT NULL);"
			     "SELECT coalesce((SELECT v::int FROM hub_meta WHERE k = 'schema'), 0)");
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		am_fail(e, AM_ENV, "PostgreSQL: %s", PQresultErrorMessage(r));
		PQclear(r);
		hub_exec(c, "ROLLBACK", NULL);
		return AM_ENV;
	}
	int have = atoi(PQgetvalue(r, 0, 0));	/* NOLINT(cert-err34-c): PostgreSQL's own number */
	PQclear(r);
	if (have > N_MIGRATIONS) {
		hub_exec(c, "ROLLBACK", NULL);
		return am_fail(e, AM_ENV, "the database has schema %d, newer than this amanat-hub (%d): upgrade the hub",
			       have, N_MIGRATIONS);
	}
	for (int v = have; v < N_MIGRATIONS; v++) {
		r = PQexec(c, migrations[v]);
		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			am_fail(e, AM_ENV, "migration %d: %s", v + 1, PQresultErrorMessage(r));
			PQclear(r);
			hub_exec(c, "ROLLBACK", NULL);
			return AM_ENV;
		}
		PQclear(r);
	}
	char n[16];
	snprintf(n, sizeof n, "%d", N_MIGRATIONS);
	const char *p[] = { n };
	r = hub_q(c, PGRES_COMMAND_OK, e, "INSERT INTO hub_meta VALUES ('schema', $1)"
		  " ON CONFLICT (k) DO UPDATE SET v = excluded.v", 1, p);
	if (!r) {
		hub_exec(c, "ROLLBACK", NULL);
		return AM_ENV;
	}
	PQclear(r);
	if (hub_exec(c, "COMMIT", e))
		return AM_ENV;
	if (have < N_MIGRATIONS)
		hub_log("info", "migrated", "\"from\":%d,\"to\":%d", have, N_MIGRATIONS);
	return 0;
}

void hub_sha256_hex(const char *s, char out[65])
{
	unsigned char d[SHA256_DIGEST_LENGTH];
	SHA256((const unsigned char *)s, strlen(s), d);
	for (int i = 0; i < SHA256_DIGEST_LENGTH; i++)
		snprintf(out + (size_t)2 * i, 3, "%02x", d[i]);
}

int hub_device_auth(PGconn *c, const char *token, struct hub_device *d, struct am_error *e)
{
	char h[65];
	hub_sha256_hex(token, h);
	const char *p[] = { h };
	PGresult *r = hub_q(c, PGRES_TUPLES_OK, e,
			    "SELECT id, point, courier FROM device WHERE token_sha256 = $1 AND revoked_ms IS NULL", 1, p);
	if (!r)
		return AM_ENV;
	if (PQntuples(r) != 1) {
		PQclear(r);
		return am_fail(e, AM_REFUSED, "unknown or revoked device token");
	}
	snprintf(d->id, sizeof d->id, "%s", PQgetvalue(r, 0, 0));
	snprintf(d->point, sizeof d->point, "%s", PQgetvalue(r, 0, 1));
	snprintf(d->courier, sizeof d->courier, "%s", PQgetvalue(r, 0, 2));
	PQclear(r);
	return 0;
}

int hub_device_add(const char *id, const char *point, const char *courier,
		   char *token, size_t len, struct am_error *e)
{
	unsigned char raw[32];
	if (len < 65)
		return am_fail(e, AM_ENV, "token buffer too small");
	if (getrandom(raw, sizeof raw, 0) != (ssize_t)sizeof raw)
		return am_fail(e, AM_ENV, "no randomness for a token");
	for (size_t i = 0; i < sizeof raw; i++)
		snprintf(token + 2 * i, 3, "%02x", raw[i]);
	char h[65], now[24];
	hub_sha256_hex(token, h);
	snprintf(now, sizeof now, "%lld", (long long)hub_now_ms());
	PGconn *c = hub_pg(e);
	if (!c)
		return AM_ENV;
	const char *p[] = { id, point, courier ? courier : "", h, now };
	PGresult *r = PQexecParams(c, "INSERT INTO device (id, point, courier, token_sha256, created_ms)"
				   " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING", 5, NULL, p, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		am_fail(e, AM_ENV, "PostgreSQL: %s", PQresultErrorMessage(r));
		PQclear(r);
		return AM_ENV;
	}
	int added = atoi(PQcmdTuples(r));	/* NOLINT(cert-err34-c): PostgreSQL's own number */
	PQclear(r);
	if (!added)
		return am_fail(e, AM_REFUSED, "device %s exists already (revoke it and add it under a new id)", id);
	/* a point new to the hub gets the newest calendar the others have */
	const char *q[] = { point };
	if (hub_exec(c, "BEGIN", e))
		return AM_ENV;
	r = hub_q(c, PGRES_TUPLES_OK, e, "SELECT body::text FROM calendar_doc WHERE NOT EXISTS (SELECT 1 FROM event"
		  " WHERE point = $1 AND device = 'HUB' AND type = 'calendar') ORDER BY id DESC LIMIT 1", 1, q);
	json_error_t je;
	json_t *cal = r && PQntuples(r) ? json_loads(PQgetvalue(r, 0, 0), 0, &je) : NULL;
	int rc = r ? 0 : AM_ENV;
	PQclear(r);
	if (!rc && cal)
		rc = hub_point_event(c, point, "calendar", cal, e);
	json_decref(cal);
	hub_exec(c, rc ? "ROLLBACK" : "COMMIT", rc ? NULL : e);
	if (rc)
		return rc;
	hub_log("info", "device_added", "\"device\":\"%s\",\"point\":\"%s\"", id, point);
	return 0;
}

int hub_device_revoke(const char *id, struct am_error *e)
{
	PGconn *c = hub_pg(e);
	if (!c)
		return AM_ENV;
	char now[24];
	snprintf(now, sizeof now, "%lld", (long long)hub_now_ms());
	const char *p[] = { id, now };
	PGresult *r = hub_q(c, PGRES_COMMAND_OK, e,
			    "UPDATE device SET revoked_ms = $2 WHERE id = $1 AND revoked_ms IS NULL", 2, p);
	if (!r)
		return AM_ENV;
	int n = (int)strtol(PQcmdTuples(r), NULL, 10);	/* NOLINT(cert-err34-c): PostgreSQL's own number */
	PQclear(r);
	if (!n)
		return am_fail(e, AM_REFUSED, "no active device %s", id);
	hub_log("info", "device_revoked", "\"device\":\"%s\"", id);
	return 0;
}

int hub_conflict_list(struct am_error *e)
{
	PGconn *c = hub_pg(e);
	if (!c)
		return AM_ENV;
	PGresult *r = hub_q(c, PGRES_TUPLES_OK, e, "SELECT id, point, waybill, type, device, conflict FROM event"
			    " WHERE conflict IS NOT NULL AND resolved_ms IS NULL ORDER BY id", 0, NULL);
	if (!r)
		return AM_ENV;
	printf("id\tpoint\twaybill\ttype\tdevice\twhy\n");
	for (int i = 0; i < PQntuples(r); i++)
		printf("%s\t%s\t%s\t%s\t%s\t%s\n", PQgetvalue(r, i, 0), PQgetvalue(r, i, 1), PQgetvalue(r, i, 2),
		       PQgetvalue(r, i, 3), PQgetvalue(r, i, 4), PQgetvalue(r, i, 5));
	PQclear(r);
	return 0;
}

int hub_conflict_resolve(const char *id, const char *note, struct am_error *e)
{
	if (strspn(id, "0123456789") != strlen(id) || !*id || strlen(id) > 18)
		return am_fail(e, AM_USAGE, "a conflict is named by its id (amanat-hub conflict list)");
	PGconn *c = hub_pg(e);
	if (!c)
		return AM_ENV;
	char now[24];
	snprintf(now, sizeof now, "%lld", (long long)hub_now_ms());
	const char *p[] = { id, now, note };
	PGresult *r = hub_q(c, PGRES_COMMAND_OK, e, "UPDATE event SET resolved_ms = $2::bigint, resolution = $3"
			    " WHERE id = $1::bigint AND conflict IS NOT NULL AND resolved_ms IS NULL", 3, p);
	if (!r)
		return AM_ENV;
	int n = (int)strtol(PQcmdTuples(r), NULL, 10);
	PQclear(r);
	if (!n)
		return am_fail(e, AM_REFUSED, "no open conflict %s", id);
	hub_log("info", "conflict_resolved", "\"id\":%s", id);
	return 0;
}
