/*
 * store_internal.h - what the files of src/store share, and nothing outside
 * src/store may include.
 */
#ifndef AMANAT_STORE_INTERNAL_H
#define AMANAT_STORE_INTERNAL_H

#include <sqlite3.h>
#include "amanat/store.h"

struct store {
	sqlite3 *db;
	struct store_rules rules;
	char path[4096];
	char device[64];
};

/* schema.c */
int schema_version_latest(void);
const char *schema_migration(int version);

/* db.c: helpers that turn SQLite's codes into am_error sentences. */
int db_fail(struct store *s, struct am_error *e, const char *what);
int db_prepare(struct store *s, sqlite3_stmt **st, const char *sql, struct am_error *e);
int db_exec(struct store *s, const char *sql, struct am_error *e);
int db_begin(struct store *s, struct am_error *e);	/* BEGIN IMMEDIATE */
int db_commit(struct store *s, struct am_error *e);
void db_rollback(struct store *s);
/* Copy column i as text into buf ("" for NULL). */
void db_text(sqlite3_stmt *st, int i, char *buf, size_t len);
int64_t db_now(const struct event_ctx *ctx);

/* event.c: append one event inside an open transaction. */
int event_append(struct store *s, enum event_type type, const char *waybill,
		 const char *register_id, const char *payload_json,
		 const struct event_ctx *ctx, struct am_error *e);

#endif
