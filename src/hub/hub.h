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

/* ---- the request handlers: each returns the HTTP status and sets *body
 * to a malloc'd JSON text ---------------------------------------------- */
/* Store a batch of a device (or of upstream, never to be sent back) in one
 * transaction: results gets one answer per event (ingest.c). */
int hub_store_batch(PGconn *c, const struct hub_device *d, json_t *events, json_t *results,
		    size_t *n_new, bool from_upstream, struct am_error *e);
int hub_ingest(PGconn *c, const struct hub_device *d, const char *body, size_t len, char **out);
int hub_feed(PGconn *c, const struct hub_device *d, const char *since, char **out);
int hub_registers(PGconn *c, const struct hub_device *d, const char *point, const char *since, char **out);
int hub_postomats(PGconn *c, const char *city, char **out);
/* Load registers (one document or an array) or postomats ({"postomats": [...]})
 * from a file, as upstream would hand them over. */
int hub_import(const char *kind, const char *path, size_t *n, struct am_error *e);
int hub_summary(PGconn *c, const struct hub_device *d, char **out);
int hub_metrics(PGconn *c, char **out);

/* ---- upstream.c: the relay to the upstream system ---------------------- */
int hub_upstream_start(void);
void hub_upstream_stop(void);
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
