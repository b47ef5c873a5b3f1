/*
 * event.c - the append-only event log, its hash chain and the outbox.
 *
 * An event's record is its fields joined by the unit separator (0x1f) in a
 * fixed order; the next event stores the SHA-256 of that record as
 * prev_hash, and meta.chain_head holds the hash of the newest record, so a
 * changed, inserted or deleted row (even the last) breaks the chain.  The
 * sync columns are outside the record: acknowledgement may change them.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <openssl/evp.h>
#include "amanat/i18n.h"
#include "store_internal.h"

#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

static int make_uuid(char out[37])
{
	unsigned char b[16];
	if (getrandom(b, sizeof b, 0) != (ssize_t)sizeof b)
		return -1;
	b[6] = (b[6] & 0x0f) | 0x40;	/* version 4 */
	b[8] = (b[8] & 0x3f) | 0x80;	/* RFC 4122 variant */
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11],
		 b[12], b[13], b[14], b[15]);
	return 0;
}

/* SHA-256 (hex) of one event record. */
static int record_hash(int64_t seq, const char *uuid, const char *device, const char *type,
		       const char *waybill, const char *reg, const char *actor, int64_t at_ms,
		       const char *place, const char *payload, const char *prev, char out[65])
{
	unsigned char md[32];
	unsigned int mdlen = 0;
	char num[2][24];
	const char *parts[11];
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok = ctx != NULL;

	snprintf(num[0], sizeof num[0], "%lld", (long long)seq);
	snprintf(num[1], sizeof num[1], "%lld", (long long)at_ms);
	parts[0] = num[0]; parts[1] = uuid; parts[2] = device; parts[3] = type;
	parts[4] = waybill; parts[5] = reg; parts[6] = actor; parts[7] = num[1];
	parts[8] = place; parts[9] = payload; parts[10] = prev;
	ok = ok && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	for (int i = 0; ok && i < 11; i++)
		ok = EVP_DigestUpdate(ctx, parts[i], strlen(parts[i])) && EVP_DigestUpdate(ctx, "\x1f", 1);
	ok = ok && EVP_DigestFinal_ex(ctx, md, &mdlen) && mdlen == 32;
	EVP_MD_CTX_free(ctx);
	if (!ok)
		return -1;
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	return 0;
}

int event_append(struct store *s, enum event_type type, const char *waybill,
		 const char *register_id, const char *payload_json,
		 const struct event_ctx *ctx, struct am_error *e)
{
	char uuid[37], prev[65], head[65];
	sqlite3_stmt *st;
	int64_t seq = 1;
	int rc;
	const char *actor = ctx && ctx->actor ? ctx->actor : "";
	const char *place = ctx && ctx->place ? ctx->place : "";
	int64_t at = db_now(ctx);

	if (sqlite3_get_autocommit(s->db))
		return am_fail(e, AM_ENV, "internal: event_append outside a transaction");
	if (make_uuid(uuid))
		return am_fail(e, AM_ENV, _("no random numbers from the kernel"));
	if (store_meta_get(s, "chain_head", prev, sizeof prev) != 0)
		snprintf(prev, sizeof prev, "%s", GENESIS);
	if ((rc = db_prepare(s, &st, "SELECT coalesce(max(seq), 0) + 1 FROM event", e)))
		return rc;
	if (sqlite3_step(st) == SQLITE_ROW)
		seq = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);

	waybill = waybill ? waybill : "";
	register_id = register_id ? register_id : "";
	payload_json = payload_json && *payload_json ? payload_json : "{}";
	char *with_input = NULL;
	if (ctx && ctx->input && *ctx->input) {	/* "typed": a code entered by hand */
		json_error_t je;
		json_t *o = json_loads(payload_json, 0, &je);
		if (o && json_is_object(o)) {
			json_object_set_new(o, "input", json_string(ctx->input));
			with_input = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
			if (with_input)
				payload_json = with_input;
		}
		json_decref(o);
	}
	if (record_hash(seq, uuid, s->device, event_name(type), waybill, register_id, actor, at,
			place, payload_json, prev, head)) {
		free(with_input);
		return am_fail(e, AM_ENV, _("SHA-256 failed"));
	}

	if ((rc = db_prepare(s, &st, "INSERT INTO event(seq, uuid, device, type, waybill, register_id,"
			     " actor, at_ms, place, payload, prev_hash) VALUES (?,?,?,?,?,?,?,?,?,?,?)", e))) {
		free(with_input);
		return rc;
	}
	sqlite3_bind_int64(st, 1, seq);
	sqlite3_bind_text(st, 2, uuid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, s->device, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, event_name(type), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, waybill, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, register_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, actor, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 8, at);
	sqlite3_bind_text(st, 9, place, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 10, payload_json, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 11, prev, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(s, e, _("writing the event"));
	sqlite3_finalize(st);
	free(with_input);
	if (rc)
		return rc;
	/* head (this record's hash) is the next event's prev_hash. */
	return store_meta_set(s, "chain_head", head, e);
}

char *payload_pack(const char *fmt, ...)
{
	va_list ap;
	json_error_t je;
	va_start(ap, fmt);
	json_t *v = json_vpack_ex(&je, 0, fmt, ap);
	va_end(ap);
	if (!v)
		return NULL;
	char *text = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(v);
	return text;
}

int store_append_event(struct store *s, enum event_type type, const char *waybill,
		       const char *register_id, const char *payload_json,
		       const struct event_ctx *ctx, struct am_error *e)
{
	int rc = db_begin(s, e);
	if (rc)
		return rc;
	if ((rc = event_append(s, type, waybill, register_id, payload_json, ctx, e))) {
		db_rollback(s);
		return rc;
	}
	return db_commit(s, e);
}

static void row_from(sqlite3_stmt *st, struct event_row *r)
{
	char type[32];
	memset(r, 0, sizeof *r);
	r->seq = sqlite3_column_int64(st, 0);
	db_text(st, 1, r->uuid, sizeof r->uuid);
	db_text(st, 2, r->device, sizeof r->device);
	db_text(st, 3, type, sizeof type);
	r->type = (enum event_type)event_from_name(type);
	db_text(st, 4, r->waybill, sizeof r->waybill);
	db_text(st, 5, r->register_id, sizeof r->register_id);
	db_text(st, 6, r->actor, sizeof r->actor);
	r->at_ms = sqlite3_column_int64(st, 7);
	db_text(st, 8, r->place, sizeof r->place);
	r->payload = (const char *)sqlite3_column_text(st, 9);
	r->sync = (enum sync_state)sqlite3_column_int(st, 10);
	db_text(st, 11, r->sync_reason, sizeof r->sync_reason);
}

#define EVENT_COLS "seq, uuid, device, type, waybill, register_id, actor, at_ms, place, payload, sync, sync_reason"

static int each_row(struct store *s, sqlite3_stmt *st,
		    int (*cb)(const struct event_row *, void *), void *arg, struct am_error *e)
{
	int rc, step;
	struct event_row r;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		row_from(st, &r);
		if (cb(&r, arg))
			break;
	}
	rc = (step == SQLITE_ROW || step == SQLITE_DONE) ? 0 : db_fail(s, e, _("reading events"));
	sqlite3_finalize(st);
	return rc;
}

int store_event_each(struct store *s, const char *waybill, bool unsent_only,
		     int (*cb)(const struct event_row *, void *), void *arg, struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(s, &st, "SELECT " EVENT_COLS " FROM event WHERE (?1 IS NULL OR waybill = ?1)"
			    " AND (?2 = 0 OR sync = 0) ORDER BY seq", e);
	if (rc)
		return rc;
	if (waybill)
		sqlite3_bind_text(st, 1, waybill, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, unsent_only);
	return each_row(s, st, cb, arg, e);
}

int store_verify(struct store *s, size_t *n_checked, struct am_error *e)
{
	sqlite3_stmt *st;
	char expect[65] = GENESIS, head[65];
	int64_t want_seq = 1;
	int rc, step;
	*n_checked = 0;
	if ((rc = db_prepare(s, &st, "SELECT seq, uuid, device, type, waybill, register_id, actor,"
			     " at_ms, place, payload, prev_hash FROM event ORDER BY seq", e)))
		return rc;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		char f[11][1024];
		int64_t seq = sqlite3_column_int64(st, 0), at = sqlite3_column_int64(st, 7);
		const char *payload = (const char *)sqlite3_column_text(st, 9);
		for (int i = 1; i < 11; i++)
			if (i != 7 && i != 9)
				db_text(st, i, f[i], sizeof f[i]);
		if (seq != want_seq) {
			sqlite3_finalize(st);
			return am_fail(e, AM_REFUSED, _("event chain broken: event %lld is missing (found %lld next)"),
				       (long long)want_seq, (long long)seq);
		}
		if (strcmp(f[10], expect) != 0) {
			sqlite3_finalize(st);
			return am_fail(e, AM_REFUSED, _("event chain broken at event %lld: it or the event before it was changed"),
				       (long long)seq);
		}
		if (record_hash(seq, f[1], f[2], f[3], f[4], f[5], f[6], at, f[8],
				payload ? payload : "", f[10], expect)) {
			sqlite3_finalize(st);
			return am_fail(e, AM_ENV, _("SHA-256 failed"));
		}
		want_seq++;
		(*n_checked)++;
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE)
		return db_fail(s, e, _("reading events"));
	if (store_meta_get(s, "chain_head", head, sizeof head) != 0)
		snprintf(head, sizeof head, "%s", GENESIS);
	if (strcmp(head, expect) != 0)
		return am_fail(e, AM_REFUSED, _("event chain broken after event %lld: the newest events were removed or changed"),
			       (long long)(want_seq - 1));
	return 0;
}

/* ---- outbox ------------------------------------------------------------- */

int store_outbox_stats(struct store *s, size_t *depth, int64_t *oldest_ms, size_t *dead,
		       struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(s, &st, "SELECT (SELECT count(*) FROM event WHERE sync = 0),"
			    " (SELECT coalesce(min(at_ms), 0) FROM event WHERE sync = 0),"
			    " (SELECT count(*) FROM event WHERE sync = 2)", e);
	if (rc)
		return rc;
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return db_fail(s, e, _("reading the outbox"));
	}
	if (depth)
		*depth = (size_t)sqlite3_column_int64(st, 0);
	if (oldest_ms)
		*oldest_ms = sqlite3_column_int64(st, 1);
	if (dead)
		*dead = (size_t)sqlite3_column_int64(st, 2);
	sqlite3_finalize(st);
	return 0;
}

int store_outbox_batch(struct store *s, size_t max, int (*cb)(const struct event_row *, void *),
		       void *arg, struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(s, &st, "SELECT " EVENT_COLS " FROM event WHERE sync = 0 ORDER BY seq LIMIT ?", e);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)max);
	return each_row(s, st, cb, arg, e);
}

int store_outbox_mark(struct store *s, const char *uuid, enum sync_state state,
		      const char *reason, struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(s, &st, "UPDATE event SET sync = ?, sync_reason = ?, sync_at = ? WHERE uuid = ?", e);
	if (rc)
		return rc;
	sqlite3_bind_int(st, 1, state);
	sqlite3_bind_text(st, 2, reason ? reason : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, db_now(NULL));
	sqlite3_bind_text(st, 4, uuid, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = db_fail(s, e, _("marking an event sent"));
	else if (sqlite3_changes(s->db) == 0)
		rc = am_fail(e, AM_REFUSED, _("no event %s"), uuid);
	sqlite3_finalize(st);
	return rc;
}

int store_actor_counts(struct store *s, int64_t since_ms,
		       int (*cb)(const char *actor, size_t n, void *), void *arg, struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(s, &st, "SELECT actor, count(*) FROM event WHERE at_ms >= ? AND waybill <> ''"
			    " AND type NOT IN ('registered', 'printed', 'note', 'deadline_missed', 'deadline_closed_late') GROUP BY actor ORDER BY 2 DESC", e);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, since_ms);
	while (sqlite3_step(st) == SQLITE_ROW)
		if (cb((const char *)sqlite3_column_text(st, 0), (size_t)sqlite3_column_int64(st, 1), arg))
			break;
	sqlite3_finalize(st);
	return 0;
}

int store_outbox_mark_many(struct store *s, const struct outbox_mark *marks, size_t n,
			   struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_begin(s, e);
	if (rc)
		return rc;
	if ((rc = db_prepare(s, &st, "UPDATE event SET sync = ?, sync_reason = ?, sync_at = ?"
			     " WHERE uuid = ? AND sync = 0", e))) {
		db_rollback(s);
		return rc;
	}
	int64_t now = db_now(NULL);
	for (size_t i = 0; i < n && !rc; i++) {
		sqlite3_bind_int(st, 1, marks[i].state);
		sqlite3_bind_text(st, 2, marks[i].reason, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, now);
		sqlite3_bind_text(st, 4, marks[i].uuid, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = db_fail(s, e, _("marking events sent"));
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	if (rc) {
		db_rollback(s);
		return rc;
	}
	return db_commit(s, e);
}

int store_outbox_dead(struct store *s, int (*cb)(const struct event_row *, void *), void *arg,
		      struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(s, &st, "SELECT " EVENT_COLS " FROM event WHERE sync = 2 ORDER BY seq", e);
	return rc ? rc : each_row(s, st, cb, arg, e);
}

int store_outbox_batch_range(struct store *s, int64_t after_seq, int64_t max_seq, size_t max,
			     int (*cb)(const struct event_row *, void *), void *arg, struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(s, &st, "SELECT " EVENT_COLS " FROM event WHERE sync = 0 AND seq > ?1"
			    " AND (?2 = 0 OR seq <= ?2) ORDER BY seq LIMIT ?3", e);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, after_seq);
	sqlite3_bind_int64(st, 2, max_seq);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)max);
	return each_row(s, st, cb, arg, e);
}

int store_chain_head(struct store *s, int64_t *seq, char hash[65], struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(s, &st, "SELECT coalesce((SELECT max(seq) FROM event), 0),"
			    " coalesce((SELECT value FROM meta WHERE key = 'chain_head'), ?)", e);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, GENESIS, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return db_fail(s, e, _("reading the chain head"));
	}
	*seq = sqlite3_column_int64(st, 0);
	db_text(st, 1, hash, 65);
	sqlite3_finalize(st);
	return 0;
}

/* Dead letters back to the outbox.  The trigger event_sync_forward lets an
 * event leave "dead" only when the newest event of the log is the
 * outbox_resent event naming it (or "all"): a resend is always on record. */
int store_outbox_resend_by(struct store *s, const char *uuid, const struct event_ctx *ctx, size_t *n,
			   struct am_error *e)
{
	sqlite3_stmt *st;
	int rc;
	*n = 0;
	if ((rc = db_begin(s, e)))
		return rc;
	if ((rc = db_prepare(s, &st, "SELECT count(*) FROM event WHERE sync = 2 AND (?1 IS NULL OR uuid = ?1)", e)))
		goto fail;
	if (uuid)
		sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		rc = db_fail(s, e, _("reading the dead letters"));
		goto fail;
	}
	size_t count = (size_t)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (count == 0) {
		db_rollback(s);
		if (uuid)
			return am_fail(e, AM_REFUSED, _("%s is not a dead letter: see 'amanat sync --dead'"), uuid);
		return 0;
	}
	char *payload = uuid ? payload_pack("{s:s}", "uuid", uuid)
			     : payload_pack("{s:b, s:I}", "all", 1, "count", (json_int_t)count);
	if (!payload) {
		rc = am_fail(e, AM_ENV, _("out of memory"));
		goto fail;
	}
	rc = event_append(s, EV_OUTBOX_RESENT, "", "", payload, ctx, e);
	free(payload);
	if (rc)
		goto fail;
	if ((rc = db_prepare(s, &st, "UPDATE event SET sync = 0, sync_reason = '', sync_at = 0"
			     " WHERE sync = 2 AND (?1 IS NULL OR uuid = ?1)", e)))
		goto fail;
	if (uuid)
		sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		sqlite3_finalize(st);
		rc = db_fail(s, e, _("putting dead letters back in the outbox"));
		goto fail;
	}
	sqlite3_finalize(st);
	if ((rc = db_commit(s, e)))
		return rc;
	*n = count;
	return 0;
fail:
	db_rollback(s);
	return rc;
}

int store_outbox_resend(struct store *s, const char *uuid, size_t *n, struct am_error *e)
{
	return store_outbox_resend_by(s, uuid, NULL, n, e);
}
