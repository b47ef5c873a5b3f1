/*
 * hub.h - what the files of amanat-hub share (src/hub/ only).
 *
 * amanat-hub is the server side of docs/protocol.md for one point or a whole
 * country.  Every fact lives in PostgreSQL; a hub process keeps nothing of
 * its own between requests, so two or more processes may serve one database.
 * Each HTTP worker thread holds its own libpq connection (hub_pg()).
 */
#ifndef AMANAT_HUB_H
#define AMANAT_HUB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include <libpq-fe.h>
#include "amanat/deadline.h"
#include "amanat/error.h"

/* What every part of the hub reads: set once in main before serving. */
struct hub_conf {
	const char *conninfo;		/* libpq connection string ("" = PG* env) */
	const char *listen;		/* 127.0.0.1:8443 */
	const char *port_file;		/* the bound port is written here */
	const char *tls_cert, *tls_key;
	const char *upstream;		/* https://... or NULL: no forwarding */
	const char *upstream_token_file, *upstream_cainfo;
	int threads;
	long feed_limit;		/* items per feed page */
	long upstream_interval_ms;
	const char *calendar_path;	/* the working-day calendar file */
	struct calendar *calendar;	/* NULL: no deadlines in the summary */
	int offset_min;			/* local time = UTC + this (Kazakhstan: 300) */
};
extern struct hub_conf hub_conf;

/* ---- log.c: one JSON object a line on stderr --------------------------- */
void hub_log(const char *level, const char *event, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* ---- pg.c: connections, schema, devices -------------------------------- */
/* This thread's connection (opened on first use, reset when broken). */
PGconn *hub_pg(struct am_error *e);
void hub_pg_close(void);
void hub_pg_close_all(void);
/* Run one statement with text parameters; the result is checked against
 * want (PGRES_COMMAND_OK or PGRES_TUPLES_OK); NULL with e filled on error. */
PGresult *hub_q(PGconn *c, ExecStatusType want, struct am_error *e, const char *sql,
		int n, const char *const *params);
/* The same, planned for these parameters each time (an unnamed statement):
 * for a statement whose best plan depends on them and on the table's size,
 * which a prepared statement's generic plan, made once, would not follow. */
PGresult *hub_q_custom(PGconn *c, ExecStatusType want, struct am_error *e, const char *sql,
		       int n, const char *const *params);
int hub_exec(PGconn *c, const char *sql, struct am_error *e);
int hub_migrate(struct am_error *e);

struct hub_device {
	char id[64], point[64], courier[64];
};
/* The device a bearer token belongs to; AM_REFUSED when unknown or revoked. */
int hub_device_auth(PGconn *c, const char *token, struct hub_device *d, struct am_error *e);
int hub_device_add(const char *id, const char *point, const char *courier,
		   char *token, size_t len, struct am_error *e);
int hub_device_revoke(const char *id, struct am_error *e);
/* Open conflicts, one a line; resolving one keeps both records. */
int hub_conflict_list(struct am_error *e);
int hub_conflict_resolve(const char *id, const char *note, struct am_error *e);
/* sha256 of s as 64 hex digits (tokens are stored only this way). */
void hub_sha256_hex(const char *s, char out[65]);

/* ---- copy.c: rows by COPY FROM STDIN (text format) ------------------- */
struct hub_buf {
	char *p;
	size_t len, cap;
	size_t col;		/* fields so far in the row */
	bool oom;
};
/* One field (NULL: SQL NULL) or an integer; a row ends with end_row. */
void hub_buf_text(struct hub_buf *b, const char *s);
void hub_buf_int(struct hub_buf *b, int64_t v);
void hub_buf_end_row(struct hub_buf *b);
/* n bytes as they are (no separator, no escaping). */
void hub_buf_raw(struct hub_buf *b, const char *s, size_t n);
void hub_buf_free(struct hub_buf *b);
/* COPY ... FROM STDIN with b's rows; *rows (may be NULL) the rows copied. */
int hub_copy(PGconn *c, const char *sql, const struct hub_buf *b, size_t *rows, struct am_error *e);
/* The SQLSTATE of this thread's last failed statement, "" when none. */
const char *hub_pg_sqlstate(void);
void hub_pg_note_state(PGresult *r);

/* ---- the request handlers: each returns the HTTP status and sets *body
 * to a malloc'd JSON text ---------------------------------------------- */
/* Store a batch of a device (or of upstream, never to be sent back) in one
 * transaction: each event of u gets its answer (status, reason, conflict),
 * and results too, one object per event, unless NULL (ingest.c). */
struct hub_upload;
int hub_store_batch(PGconn *c, const struct hub_device *d, struct hub_upload *u, json_t *results,
		    size_t *n_new, bool from_upstream, struct am_error *e);
int hub_ingest(PGconn *c, const struct hub_device *d, const char *body, size_t len, char **out);
int hub_feed(PGconn *c, const struct hub_device *d, const char *since, char **out);
int hub_registers(PGconn *c, const struct hub_device *d, const char *point, const char *since, char **out);
int hub_postomats(PGconn *c, const char *city, char **out);
/* Load registers (one document or an array) or postomats ({"postomats": [...]})
 * from a file, as upstream would hand them over. */
int hub_import(const char *kind, const char *path, size_t *n, struct am_error *e);
/* An item of the hub itself for a point's feed (device "HUB", type, payload),
 * under the point's lock, inside the caller's transaction. */
int hub_point_event(PGconn *c, const char *point, const char *type, json_t *payload, struct am_error *e);
int hub_summary(PGconn *c, const struct hub_device *d, char **out);
int hub_metrics(PGconn *c, char **out);

/* ---- clock.c: the point's deadlines by src/core's rules ---------------- */
struct hub_clock_add {
	int clock;
	int64_t started, basis, prior;	/* prior: the storage clock's basis (§30) */
};
/* What one batch does to one envelope's clocks. */
struct hub_env_clocks {
	struct hub_clock_add add[CLOCK__COUNT];	/* opened in the batch, still open */
	int n_add;
	int64_t close_db[CLOCK__COUNT];		/* the database's open clock of a kind closes then */
	int64_t storage_basis;			/* the database's open storage clock (0: none) */
};
/* One step of an envelope (new_date: a delay's "until"). */
void hub_clock_step(struct hub_env_clocks *k, enum event_type t, const char *new_date, int64_t at);
/* The rows hub_clock_write applies for one envelope (closes NULL: the
 * envelope is new to the database, so it has no clock there to close). */
void hub_clock_rows(const char *point, const char *waybill, const struct hub_env_clocks *k,
		    json_t *closes, json_t *adds);
/* A register's clocks: its first scan stops delivery, finishing closes all. */
void hub_clock_register_step(json_t *closes, json_t *seen, enum event_type t, const char *reg, int64_t at);
/* point: the batch's (a batch closes only its own point's clocks) */
int hub_clock_write(PGconn *c, const char *point, json_t *closes, json_t *adds, struct am_error *e);
/* waybill -> basis of its open storage clock, for the waybills named. */
int hub_clock_storage_basis(PGconn *c, const char *point, json_t *waybills, json_t *out, struct am_error *e);
/* A register stored: its delivery (inbound) or pick-up (return) clocks open. */
int hub_clock_register_open(PGconn *c, json_t *doc, struct am_error *e);
/* A register stored: a lost envelope's §26 duplicate clock stops when its
 * duplicate (the same application, another waybill) is a line of it. */
int hub_clock_duplicate_arrived(PGconn *c, json_t *doc, struct am_error *e);
/* The point's open deadlines, due times by the calendar and force majeure:
 * {"open", "breached", "soon", "items": [soonest 50]}; NULL on error. */
json_t *hub_deadlines(PGconn *c, const char *point, int64_t now, struct am_error *e);

/* ---- json_in.c: a body read as json_loadb(body, len, 0) reads it ------ */
/* The value (an object or array), NULL when the text is not JSON. */
json_t *hub_json_loadb(const char *body, size_t len);
/* Its reader, for upload.c: a position in a text; each function checks
 * what it reads as hub_json_loadb does, and returns 0, or -1 when the text
 * is not JSON there. */
struct hub_rd {
	const char *p, *end;
	char *tmp;		/* a string with escapes, decoded (free it) */
	size_t tmp_cap;
	int depth;
};
void hub_rd_ws(struct hub_rd *r);
/* A string, r->p just after its quote: *s, *n its text (in the body when it
 * has no escape, else in r->tmp until the next string); no NUL inside. */
int hub_rd_string(struct hub_rd *r, const char **s, size_t *n);
/* A number: *real, and *i or *d. */
int hub_rd_number(struct hub_rd *r, bool *real, long long *i, double *d);
/* Any value, checked and passed over. */
int hub_rd_skip(struct hub_rd *r);

/* ---- upload.c: an upload read into events (no JSON tree) ------------- */
struct hub_ev {
	/* the members; a string is "" when absent or not a string, a number 0 */
	const char *uuid, *device, *type, *waybill, *reg, *actor, *at, *place;
	int64_t seq, at_ms;
	const char *payload;		/* the payload object as posted ("{}" when none) */
	/* the payload's members the hub reads, alike */
	const char *from, *to, *application, *postomat, *city, *reserved_cell, *courier, *cell, *until, *id;
	int64_t from_ms;
	const char *malformed;		/* why the batch is refused whole (400), or NULL */
	/* the judging's verdict (hub_judge_batch) */
	bool stored;			/* a new row of the batch */
	char *conflict;			/* why it is marked a conflict (malloc'd), or NULL */
	const char *status;		/* the answer: "accepted", "duplicate", "rejected" */
	char *reason;			/* why rejected (malloc'd), or NULL */
};
struct hub_upload {
	struct hub_ev *ev;
	size_t n;
	const char *device;		/* the body's "device" */
	int device_kind;		/* 0 absent, 1 a string, 2 another value */
	char *arena;			/* the strings */
};
/* Read a body: 0, or -1 when it is not a JSON object with an events array. */
int hub_upload_read(const char *body, size_t len, struct hub_upload *u);
/* The same from events in memory (upstream's items). */
int hub_upload_from_json(json_t *events, struct hub_upload *u);
void hub_upload_free(struct hub_upload *u);

/* ---- batch.c: an upload read and judged in memory -------------------- */
/* The hub's view of one envelope while a batch is judged. */
struct env {
	char *waybill;
	char point[64], state[32], courier[64], postomat[64], cell[32], reserved_cell[32];
	char register_id[64], application[64], city[128], last_device[64];
	int64_t last_at_ms;
	bool known, changed;
	bool existed;			/* in the database before the batch */
	struct hub_env_clocks clocks;	/* the batch's steps of its deadlines */
};
/* A small open-addressing table of the batch's envelopes by waybill. */
struct envs {
	struct env *slot;
	size_t cap;
};
int hub_envs_init(struct envs *t, size_t n_events);
void hub_envs_free(struct envs *t);
/* The envelope of waybill (added, not known, when add); NULL when absent. */
struct env *hub_env_get(struct envs *t, const char *waybill, bool add);
/* A string member or "". */
const char *hub_str(json_t *o, const char *k);
bool hub_is_uuid(const char *u);
/* Parse and check an upload of device d: 200, or 400/403 with why; u is
 * the upload read (the caller frees it, whatever the answer). */
int hub_parse_upload(const struct hub_device *d, const char *body, size_t len, struct hub_upload *u,
		     const char **why);
/* Judge the batch's events in order against t (seen: the uuids the hub has
 * already): each new row is marked stored (and its conflict set), each
 * event gets its answer (status, reason; also to results unless NULL), the
 * clocks closed and opened off any envelope (registers', force majeure's)
 * to closes and adds. */
void hub_judge_batch(const struct hub_device *d, struct hub_upload *u, json_t *seen, struct envs *t,
		     json_t *results, json_t *closes, json_t *adds);
/* The changed envelopes' rows, and their clocks' closings and openings. */
json_t *hub_envelope_rows(struct envs *t, json_t *closes, json_t *adds);

/* ---- upstream.c: the relay to the upstream system ---------------------- */
int hub_upstream_start(void);
void hub_upstream_stop(void);
/* The dead letters (events upstream refused for good), one a line; and
 * putting one (a uuid) or all back in the outbox, by a person's decision. */
int hub_upstream_dead(struct am_error *e);
int hub_upstream_resend(const char *which, struct am_error *e);
/* One pass: send the outbox, fetch the upstream feed (for tests and bench). */
int hub_upstream_pass(PGconn *c, struct am_error *e);

/* ---- http.c ------------------------------------------------------------ */
int hub_serve(struct am_error *e);

/* ---- util -------------------------------------------------------------- */
char *hub_json_error(const char *msg);
/* A whole file, NUL-terminated (malloc'd); NULL with e filled. */
char *hub_read_file(const char *path, size_t *len, struct am_error *e);
int64_t hub_now_ms(void);

#endif
