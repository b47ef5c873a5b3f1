/*
 * event.c - the append-only event log, its hash chain and the outbox.
 *
 * An event's record is its fields joined by the unit separator (0x1f) in a
 * fixed order; the next event stores the SHA-256 of that record as
 * prev_hash, and log_head's chain row holds the hash of the newest record, so a
 * changed, inserted or deleted row (even the last) breaks the chain.  The
 * sync columns are outside the record: acknowledgement may change them.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
/* SHA256_Init/Update/Final: deprecated by OpenSSL 3 for EVP, which costs
 * about 110 ns more a hash (a fetch, a provider call and a cleanse): a
 * third of verify's hashing, two hashes an event.  Still in libcrypto 3. */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/evp.h>
#include <openssl/sha.h>
#include "amanat/i18n.h"
#include "store_internal.h"

int text_sha256(const char *text, size_t len, char out[65])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[32];
	SHA256_CTX ctx;
	if (!(SHA256_Init(&ctx) && SHA256_Update(&ctx, text, len) && SHA256_Final(md, &ctx)))
		return -1;
	for (size_t i = 0; i < 32; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[64] = '\0';
	return 0;
}

/* SHA-256 (hex) of one event record: its fields in order, each followed by
 * the unit separator.  ctx is not needed any more (SHA256_CTX on the stack;
 * callers may pass NULL), so verify's threads can each call it at once.
 * The record is joined into one buffer and hashed in one update: an update
 * per field and separator (22 of them) cost more than the hash of a short
 * record. */
int record_hash_parts(const char *const f[RECORD_FIELDS], const size_t len[RECORD_FIELDS],
		      void *ctx_arg, char out[65])
{
	char local[1024];
	size_t total = 0;
	for (int i = 0; i < RECORD_FIELDS; i++)
		total += len[i] + 1;
	char *buf = total <= sizeof local ? local : malloc(total);
	if (!buf)
		return -1;
	for (size_t i = 0, at = 0; i < RECORD_FIELDS; i++) {
		memcpy(buf + at, f[i], len[i]);
		at += len[i];
		buf[at++] = '\x1f';
	}
	(void)ctx_arg;
	int rc = text_sha256(buf, total, out);
	if (buf != local)
		free(buf);
	return rc;
}

/* v in decimal, as "%lld" writes it; returns its length.  Two digits a
 * step: verify writes two numbers an event. */
size_t record_decimal(int64_t v, char out[24])
{
	static const char pairs[] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
				    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
				    "8081828384858687888990919293949596979899";
	char tmp[24];
	size_t n = sizeof tmp, k = 0;
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	while (u >= 100) {
		unsigned d = (unsigned)(u % 100) * 2;
		u /= 100;
		tmp[--n] = pairs[d + 1];
		tmp[--n] = pairs[d];
	}
	if (u >= 10) {
		tmp[--n] = pairs[u * 2 + 1];
		tmp[--n] = pairs[u * 2];
	} else {
		tmp[--n] = (char)('0' + u);
	}
	if (v < 0)
		out[k++] = '-';
	memcpy(out + k, tmp + n, sizeof tmp - n);
	k += sizeof tmp - n;
	out[k] = '\0';
	return k;
}

int record_hash_row(const char *f[RECORD_FIELDS], size_t len[RECORD_FIELDS], int64_t seq, int64_t at_ms,
		    void *md, char out[65])
{
	char num[2][24];
	/* by hand: snprintf was a tenth of an event's CPU */
	len[0] = record_decimal(seq, num[0]);
	len[7] = record_decimal(at_ms, num[1]);
	f[0] = num[0];
	f[7] = num[1];
	int rc = record_hash_parts(f, len, md, out);
	f[0] = f[7] = NULL;	/* num dies here */
	return rc;
}

static int record_hash(void *md, int64_t seq, const char *uuid, const char *device, const char *type,
		       const char *waybill, const char *reg, const char *actor, int64_t at_ms,
		       const char *place, const char *payload, const char *prev, char out[65])
{
	const char *f[RECORD_FIELDS];
	size_t len[RECORD_FIELDS];
	f[1] = uuid; f[2] = device; f[3] = type;
	f[4] = waybill; f[5] = reg; f[6] = actor;
	f[8] = place; f[9] = payload; f[10] = prev;
	for (int i = 1; i < RECORD_FIELDS; i++)
		if (i != 7)
			len[i] = strlen(f[i]);
	return record_hash_row(f, len, seq, at_ms, md, out);
}

/* An event's uuid (schema 13), a version 8 UUID: 62 bits of the SHA-256
 * of its record's seq, device, type, waybill, time and previous hash (the
 * record's fields without the longer ones) and, in its last twelve digits,
 * its seq.  Unique on this terminal by construction (seq is the
 * key), so the log needs no index of uuids, and a uuid names its row.
 * Unique across terminals and restores by its record: the device is in
 * it, and a terminal restored from a backup gives the next seq again but
 * at another time, so another uuid (a random id does the same; an id of
 * device + seq alone would repeat one the hub already holds and the hub
 * would drop the new event as done).  A resent event keeps its uuid. */
static void uuid_format(const char h[65], int64_t seq, char out[37]);

int event_uuid_derive(void *md, int64_t seq, const char *device, const char *type,
		      const char *waybill, int64_t at_ms, const char *prev, char out[37])
{
	(void)md;	/* SHA256_CTX on the stack (record_hash_parts) */
	char num[2][24];
	const char *f[RECORD_FIELDS] = { num[0], "", device, type, waybill, "", "", num[1], "", "", prev };
	size_t len[RECORD_FIELDS] = { 0 };
	len[0] = record_decimal(seq, num[0]);
	len[7] = record_decimal(at_ms, num[1]);
	len[2] = strlen(device);
	len[3] = strlen(type);
	len[4] = strlen(waybill);
	len[10] = strlen(prev);
	return event_uuid_derive_parts(f, len, seq, out);
}

int event_uuid_derive_parts(const char *const f[RECORD_FIELDS], const size_t len[RECORD_FIELDS],
			    int64_t seq, char out[37])
{
	/* the record's seq, device, type, waybill, time and previous hash */
	static const bool kept[RECORD_FIELDS] = { [0] = true, [2] = true, [3] = true, [4] = true,
						  [7] = true, [10] = true };
	const char *g[RECORD_FIELDS];
	size_t n[RECORD_FIELDS];
	char h[65];
	for (int i = 0; i < RECORD_FIELDS; i++) {
		g[i] = kept[i] ? f[i] : "";
		n[i] = kept[i] ? len[i] : 0;
	}
	if (record_hash_parts(g, n, NULL, h))
		return -1;
	uuid_format(h, seq, out);
	return 0;
}

/* The version 8 uuid of record hash h and its seq. */
static void uuid_format(const char h[65], int64_t seq, char out[37])
{
	int v = h[15] <= '9' ? h[15] - '0' : h[15] - 'a' + 10;
	/* "%.8s-%.4s-8%.3s-%c%.3s-%012llx" of h, h + 8, h + 12, "89ab"[v & 3],
	 * h + 16 and the seq's 48 bits, written by hand (snprintf was a tenth
	 * of an event's CPU) */
	memcpy(out, h, 8);
	out[8] = '-';
	memcpy(out + 9, h + 8, 4);
	out[13] = '-';
	out[14] = '8';
	memcpy(out + 15, h + 12, 3);
	out[18] = '-';
	out[19] = "89ab"[v & 3];
	memcpy(out + 20, h + 16, 3);
	out[23] = '-';
	uint64_t low = (uint64_t)seq & 0xffffffffffffULL;
	for (int i = 35; i >= 24; i--, low >>= 4)
		out[i] = "0123456789abcdef"[low & 15];
	out[36] = '\0';
}

bool event_uuid_seq(const char *uuid, int64_t *seq)
{
	if (strlen(uuid) != 36 || uuid[14] != '8' || !strchr("89ab", uuid[19]) || uuid[23] != '-')
		return false;
	int64_t v = 0;
	for (int i = 24; i < 36; i++) {
		char c = uuid[i];
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
		if (d < 0)
			return false;
		v = v * 16 + d;
	}
	*seq = v;
	return true;
}

/* The outbox's watermark (below it every event is acknowledged or dead). */
#define OUTBOX_FROM "coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'outbox_from'), 0)"

/* A new event below the outbox's watermark (a log cut back by hand and
 * written on: the hub is to see the seq come again) takes the watermark
 * down with it, or it would never be sent. */
static int outbox_take(struct store *s, int64_t seq, struct am_error *e)
{
	char v[32];
	if (s->outbox_stale) {
		s->outbox_from = store_meta_get(s, "outbox_from", v, sizeof v) == 0 ? strtoll(v, NULL, 10) : 0;
		s->outbox_stale = false;
	}
	if (seq >= s->outbox_from)
		return 0;
	snprintf(v, sizeof v, "%lld", (long long)seq);
	int rc = store_meta_set(s, "outbox_from", v, e);
	if (rc == 0)
		s->outbox_from = seq;
	return rc;
}

/* Each person's work in the point's shift (shift_work, schema 11): what a
 * trigger on the log's insert kept until schema 14, the same count made
 * here, where every event is written (a trigger's frame was a tenth of a
 * scan's CPU).  verify replays it from the log with the same kinds:
 * -1 not counted, 0 other, 1 accepted, 2 handed out, 3 placed, 4 back. */
int store_work_kind(enum event_type type)
{
	switch (type) {
	case EV_REGISTERED: case EV_PRINTED: case EV_NOTE: case EV_DEADLINE_MISSED:
	case EV_DEADLINE_CLOSED_LATE:
		return -1;
	case EV_ACCEPTED: case EV_SCAN_UNEXPECTED: case EV_DAMAGED:
		return 1;
	case EV_OUT_FOR_DELIVERY:
		return 2;
	case EV_PLACED: case EV_CELL_CHANGED: case EV_DELAYED:
		return 3;
	case EV_EXPIRED_REMOVED: case EV_RETURNED_TO_POINT: case EV_HANDED_BACK:
		return 4;
	default:
		return 0;
	}
}

static int work_count(struct store *s, enum event_type type, const char *actor, struct am_error *e)
{
	sqlite3_stmt *st;
	int kind = store_work_kind(type);
	if (kind < 0)
		return 0;
	/* shift_work is a view of log_head (schema 19).  The row is there
	 * after a person's first event of the shift: an UPDATE by its key
	 * costs SQLite a third less than the upsert, which only the first
	 * one needs. */
	for (int pass = 0; pass < 2; pass++) {
		int rc = pass == 0
			? db_cached(s, &st, "UPDATE log_head SET n = n + 1, accepted = accepted + ?2,"
				    " handed = handed + ?3, placed = placed + ?4, returned = returned + ?5"
				    " WHERE kind = 2 AND shift = (SELECT coalesce(max(number), 0) + 1 FROM point_shift)"
				    " AND name = ?1", e)
			: db_cached(s, &st, "INSERT INTO log_head(kind, shift, name, n, accepted, handed, placed, returned)"
				    " VALUES (2, (SELECT coalesce(max(number), 0) + 1 FROM point_shift), ?1, 1, ?2, ?3, ?4, ?5)"
				    " ON CONFLICT(kind, shift, name) DO UPDATE SET"
				    " n = n + 1, accepted = accepted + excluded.accepted,"
				    " handed = handed + excluded.handed, placed = placed + excluded.placed,"
				    " returned = returned + excluded.returned", e);
		if (rc)
			return rc;
		sqlite3_bind_text(st, 1, actor, -1, SQLITE_STATIC);
		for (int k = 1; k <= 4; k++)
			sqlite3_bind_int(st, 1 + k, kind == k);
		rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(s, e, _("writing the event"));
		db_done(s, st);
		if (rc || sqlite3_changes(s->db) > 0)
			return rc;
	}
	return 0;
}

/* The newest hour of event_hour (EVENT_SINCE in store_internal.h).  A row
 * past the log's end (a log cut back by hand) goes: the table then says of
 * the log what it says of a log that ended there. */
static int hour_load(struct store *s, struct am_error *e)
{
	sqlite3_stmt *st;
	for (int pass = 0; pass < 2; pass++) {
		int rc = db_cached(s, &st, "SELECT hour, seq FROM event_hour ORDER BY hour DESC LIMIT 1", e);
		if (rc)
			return rc;
		int step = sqlite3_step(st);
		int64_t hour = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : INT64_MIN;
		int64_t seq = step == SQLITE_ROW ? sqlite3_column_int64(st, 1) : 0;
		db_done(s, st);
		if (step != SQLITE_ROW && step != SQLITE_DONE)
			return db_fail(s, e, _("reading the chain head"));
		s->hour_last = hour;
		if (seq <= s->chain_seq)
			return 0;
		if ((rc = db_cached(s, &st, "DELETE FROM event_hour WHERE seq > ?1", e)))
			return rc;
		sqlite3_bind_int64(st, 1, s->chain_seq);
		rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(s, e, _("writing the event"));
		db_done(s, st);
		if (rc)
			return rc;
	}
	return 0;
}

/* Event seq at at_ms: the first to reach a later hour than any before it
 * is written down (most events reach none: no write). */
static int hour_note(struct store *s, int64_t seq, int64_t at_ms, struct am_error *e)
{
	sqlite3_stmt *st;
	int64_t hour = at_ms / HOUR_MS;
	if (hour <= s->hour_last)
		return 0;
	int rc = db_cached(s, &st, "INSERT INTO event_hour(hour, seq) VALUES (?1, ?2)", e);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, hour);
	sqlite3_bind_int64(st, 2, seq);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(s, e, _("writing the event"));
	db_done(s, st);
	if (rc == 0)
		s->hour_last = hour;
	return rc;
}

/* The newest seq and hash, read once per transaction. */
static int chain_load(struct store *s, struct am_error *e)
{
	sqlite3_stmt *st;
	int rc;
	if (s->chain_known)
		return 0;
	if ((rc = event_chain_stored(s, s->chain_head, e)))
		return rc;
	if ((rc = db_cached(s, &st, "SELECT coalesce(max(seq), 0) FROM event", e)))
		return rc;
	s->chain_seq = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	db_done(s, st);
	if ((rc = hour_load(s, e)))
		return rc;
	s->outbox_stale = true;
	s->chain_known = true;
	s->chain_dirty = false;
	return 0;
}

/* The chain's end as stored (log_head's row of kind 0, schema 19; before
 * it, meta.chain_head); GENESIS for an empty log. */
int event_chain_stored(struct store *s, char head[65], struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_cached(s, &st, "SELECT hash FROM log_head WHERE kind = 0 AND shift = 0 AND name = ''", e);
	if (rc)
		return rc;
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		db_text(st, 0, head, 65);
	else if (step == SQLITE_DONE)
		snprintf(head, 65, "%s", GENESIS);
	else
		rc = db_fail(s, e, _("reading the chain head"));
	db_done(s, st);
	return rc;
}

int event_chain_flush(struct store *s, struct am_error *e)
{
	sqlite3_stmt *st;
	if (!s->chain_dirty)
		return 0;
	/* an UPDATE by the key; the upsert only for a log's first event */
	for (int pass = 0; pass < 2; pass++) {
		int rc = pass == 0
			? db_cached(s, &st, "UPDATE log_head SET hash = ?1 WHERE kind = 0 AND shift = 0 AND name = ''", e)
			: db_cached(s, &st, "INSERT INTO log_head(kind, hash) VALUES (0, ?1)"
				    " ON CONFLICT(kind, shift, name) DO UPDATE SET hash = excluded.hash", e);
		if (rc)
			return rc;
		sqlite3_bind_text(st, 1, s->chain_head, -1, SQLITE_STATIC);
		rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(s, e, _("writing the event"));
		db_done(s, st);
		if (rc)
			return rc;
		if (sqlite3_changes(s->db) > 0)
			break;
	}
	s->chain_dirty = false;
	return 0;
}

void event_chain_forget(struct store *s)
{
	s->outbox_stale = true;
	s->chain_known = false;
	s->chain_dirty = false;
	s->fresh_known = false;	/* the fresh clocks' list too (clock.c): counted again */
}

/* The envelope of waybill w (when there is one) ends its list of events
 * with seq (schema 25). */
static int link_envelope(struct store *s, const char *w, int64_t seq, struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_cached(s, &st, "UPDATE envelope SET last_seq = ?1 WHERE waybill = ?2", e);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, seq);
	sqlite3_bind_text(st, 2, w, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(s, e, _("writing the event"));
	db_done(s, st);
	return rc;
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
	if (!s->md && !(s->md = EVP_MD_CTX_new()))
		return am_fail(e, AM_ENV, _("out of memory"));
	if ((rc = chain_load(s, e)))
		return rc;
	seq = s->chain_seq + 1;
	if ((rc = outbox_take(s, seq, e)))
		return rc;
	memcpy(prev, s->chain_head, sizeof prev);

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
	if (event_uuid_derive(s->md, seq, s->device, event_name(type), waybill, at, prev, uuid) ||
	    record_hash(s->md, seq, uuid, s->device, event_name(type), waybill, register_id, actor, at,
			place, payload_json, prev, head)) {
		free(with_input);
		return am_fail(e, AM_ENV, _("SHA-256 failed"));
	}

	/* An event of an envelope there is linked to its previous one
	 * (prev_seq, schema 25: EVENTS_OF), NULL otherwise; the envelope's
	 * row, written by the same step, gets the new end of its list. */
	if ((rc = *waybill ? db_cached(s, &st, "INSERT INTO event(seq, uuid, device, type, waybill, register_id,"
				       " actor, at_ms, place, payload, prev_hash, prev_seq) VALUES (?,?,?,?,?,?,?,?,?,?,?,"
				       " (SELECT last_seq FROM envelope WHERE waybill = ?5))", e)
			   : db_cached(s, &st, "INSERT INTO event(seq, uuid, device, type, waybill, register_id,"
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
	db_done(s, st);
	free(with_input);
	if (rc || (*waybill && !s->link_by_caller && (rc = link_envelope(s, waybill, seq, e))) ||
	    (rc = hour_note(s, seq, at, e)) ||
	    (*waybill && (rc = work_count(s, type, actor, e))))
		return rc;
	/* head (this record's hash) is the next event's prev_hash; meta's copy
	 * is written once, by the commit (event_chain_flush). */
	s->chain_seq = seq;
	memcpy(s->chain_head, head, sizeof s->chain_head);
	s->chain_dirty = true;
	return 0;
}

/* Up to EVENT_ROWS events of one type, one register and one time in one
 * INSERT of as many rows (a register import's "registered" events, a few
 * dozen at a time): each gets its own seq, uuid and hash in the chain as
 * event_append gives it, and the rows are what n calls of it would write;
 * one statement for the lot costs SQLite a third less per row, and what is
 * the same in every row (device, type, register, actor, time, place) is
 * one parameter bound once.  payloads[i] NULL is "{}".  A typed input
 * (ctx->input) goes one by one. */
#define EVENT_ROWS 32
#define EVENT_INSERT "INSERT INTO event(seq, uuid, device, type, waybill, register_id, actor, at_ms, place," \
	" payload, prev_hash) VALUES "
#define EVENT_ROW "(?#,?#,?1,?2,?#,?3,?4,?5,?6,?#,?#)"
/* linked: each the first event of its envelope's list (prev_seq 0) */
#define EVENT_INSERT_LINKED "INSERT INTO event(seq, uuid, device, type, waybill, register_id, actor, at_ms," \
	" place, payload, prev_hash, prev_seq) VALUES "
#define EVENT_ROW_LINKED "(?#,?#,?1,?2,?#,?3,?4,?5,?6,?#,?#,0)"
#define EVENT_SHARED 6
#define EVENT_EACH 5

const char *sql_rows(char *buf, size_t cap, const char *head, const char *row, size_t n)
{
	size_t h = strlen(head), w = strlen(row), at = h;
	if (h + n * (w + 1) + 1 > cap)
		return NULL;
	memcpy(buf, head, h);
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf[at++] = ',';
		memcpy(buf + at, row, w);
		at += w;
	}
	buf[at] = '\0';
	return buf;
}

const char *sql_rows_numbered(char *buf, size_t cap, const char *head, const char *row, size_t n, int first)
{
	size_t at = strlen(head);
	if (at + 1 > cap)
		return NULL;
	memcpy(buf, head, at);
	for (size_t i = 0; i < n; i++) {
		if (i && at + 1 < cap)
			buf[at++] = ',';
		for (const char *c = row; *c; c++) {
			if (c[0] == '?' && c[1] == '#') {
				char num[24];
				size_t k = record_decimal(first++, num);
				if (at + 1 + k >= cap)
					return NULL;
				buf[at++] = '?';
				memcpy(buf + at, num, k);
				at += k;
				c++;
			} else if (at + 1 < cap) {
				buf[at++] = *c;
			} else {
				return NULL;
			}
		}
	}
	buf[at] = '\0';
	return buf;
}

int event_next_seq(struct store *s, int64_t *seq, struct am_error *e)
{
	int rc = chain_load(s, e);
	*seq = s->chain_seq + 1;
	return rc;
}

int event_append_many(struct store *s, enum event_type type, size_t n, const char *const waybills[],
		      const char *register_id, const char *const payloads[], const struct event_ctx *ctx,
		      bool linked, struct am_error *e)
{
	/* the statements of EVENT_ROWS rows are cached: their texts are made once */
	static char full_sql[sizeof EVENT_INSERT_LINKED + (size_t)EVENT_ROWS * (sizeof EVENT_ROW_LINKED + (size_t)40)];
	static char full_linked[sizeof full_sql];
	char part_sql[sizeof full_sql], uuid[EVENT_ROWS][37], prev[EVENT_ROWS][65], head[65];
	const char *sql, *insert = linked ? EVENT_INSERT_LINKED : EVENT_INSERT;
	const char *row = linked ? EVENT_ROW_LINKED : EVENT_ROW;
	char *full = linked ? full_linked : full_sql;
	sqlite3_stmt *st;
	int rc = 0;
	if (n > EVENT_ROWS || (ctx && ctx->input && *ctx->input)) {
		if (linked)	/* event_append links by the envelope's last_seq */
			return am_fail(e, AM_ENV, "internal: linked events one by one");
		for (size_t i = 0; i < n && !rc; i++)
			rc = event_append(s, type, waybills[i], register_id, payloads[i], ctx, e);
		return rc;
	}
	if (n == 0)
		return 0;
	const char *actor = ctx && ctx->actor ? ctx->actor : "";
	const char *place = ctx && ctx->place ? ctx->place : "";
	const char *type_name = event_name(type);
	int64_t at = db_now(ctx);
	if (sqlite3_get_autocommit(s->db))
		return am_fail(e, AM_ENV, "internal: event_append outside a transaction");
	if (!s->md && !(s->md = EVP_MD_CTX_new()))
		return am_fail(e, AM_ENV, _("out of memory"));
	if ((rc = chain_load(s, e)) || (rc = outbox_take(s, s->chain_seq + 1, e)))
		return rc;
	register_id = register_id ? register_id : "";
	/* the record's fields that do not change from row to row, measured once */
	const char *f[RECORD_FIELDS];
	size_t len[RECORD_FIELDS];
	f[2] = s->device; len[2] = strlen(f[2]);
	f[3] = type_name; len[3] = strlen(f[3]);
	f[5] = register_id; len[5] = strlen(f[5]);
	f[6] = actor; len[6] = strlen(f[6]);
	f[8] = place; len[8] = strlen(f[8]);
	memcpy(head, s->chain_head, sizeof head);
	for (size_t i = 0; i < n; i++) {
		int64_t seq = s->chain_seq + 1 + (int64_t)i;
		const char *w = waybills[i] ? waybills[i] : "";
		const char *pl = payloads[i] && *payloads[i] ? payloads[i] : "{}";
		memcpy(prev[i], head, sizeof head);
		if (event_uuid_derive(s->md, seq, s->device, type_name, w, at, prev[i], uuid[i]))
			return am_fail(e, AM_ENV, _("SHA-256 failed"));
		f[1] = uuid[i]; len[1] = 36;
		f[4] = w; len[4] = strlen(w);
		f[9] = pl; len[9] = strlen(pl);
		f[10] = prev[i]; len[10] = 64;
		if (record_hash_row(f, len, seq, at, s->md, head))
			return am_fail(e, AM_ENV, _("SHA-256 failed"));
	}
	if (n == EVENT_ROWS) {
		if (!full[0] && !sql_rows_numbered(full, sizeof full_sql, insert, row, EVENT_ROWS, EVENT_SHARED + 1))
			return am_fail(e, AM_ENV, _("out of memory"));
		rc = db_cached(s, &st, full, e);
	} else {
		sql = sql_rows_numbered(part_sql, sizeof part_sql, insert, row, n, EVENT_SHARED + 1);
		rc = sql ? db_prepare(s, &st, sql, e) : am_fail(e, AM_ENV, _("out of memory"));
	}
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, s->device, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, type_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, register_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, actor, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, at);
	sqlite3_bind_text(st, 6, place, -1, SQLITE_STATIC);
	for (size_t i = 0; i < n; i++) {
		int k = EVENT_SHARED + (int)i * EVENT_EACH;
		sqlite3_bind_int64(st, k + 1, s->chain_seq + 1 + (int64_t)i);
		sqlite3_bind_text(st, k + 2, uuid[i], 36, SQLITE_STATIC);
		sqlite3_bind_text(st, k + 3, waybills[i] ? waybills[i] : "", -1, SQLITE_STATIC);
		sqlite3_bind_text(st, k + 4, payloads[i] && *payloads[i] ? payloads[i] : "{}", -1, SQLITE_STATIC);
		sqlite3_bind_text(st, k + 5, prev[i], 64, SQLITE_STATIC);
	}
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(s, e, _("writing the event"));
	db_done(s, st);
	if (!rc)	/* one time for them all: the first of them reaches its hour */
		rc = hour_note(s, s->chain_seq + 1, at, e);
	for (size_t i = 0; i < n && !rc; i++)
		if (waybills[i] && *waybills[i])
			rc = work_count(s, type, actor, e);
	if (rc)
		return rc;
	s->chain_seq += (int64_t)n;
	memcpy(s->chain_head, head, sizeof s->chain_head);
	s->chain_dirty = true;
	return 0;
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
	/* One statement per case (waybill: its envelope's list and the
	 * partial index event_waybill, EVENTS_OF; outbox; all). */
	int rc = waybill ? db_prepare(s, &st, "SELECT " EVENT_COLS " FROM event WHERE seq IN " EVENTS_OF("?1")
				      " AND waybill = ?1 AND (?2 = 0 OR sync = 0) ORDER BY seq", e)
		 : unsent_only ? db_prepare(s, &st, "SELECT " EVENT_COLS " FROM event WHERE seq >= " OUTBOX_FROM
					    " AND sync = 0 AND ?2 = 1"
					    " ORDER BY seq", e)
		 : db_prepare(s, &st, "SELECT " EVENT_COLS " FROM event WHERE ?2 = 0 ORDER BY seq", e);
	if (rc)
		return rc;
	if (waybill)
		sqlite3_bind_text(st, 1, waybill, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, unsent_only);
	return each_row(s, st, cb, arg, e);
}

/* ---- outbox ------------------------------------------------------------- */

/* The outbox is the events with sync = 0 from meta.outbox_from on (schema
 * 13): every event below it is acknowledged or dead, so no index is written
 * for each new event.  The mark that acknowledges the first pending events
 * moves it on (outbox_advance); a resend of dead letters moves it back. */

static int outbox_marked(struct store *s, struct am_error *e);

static int outbox_advance(struct store *s, struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_cached(s, &st, "INSERT INTO meta(key, value) SELECT 'outbox_from', CAST(coalesce("
			   "(SELECT seq FROM event WHERE seq >= " OUTBOX_FROM " AND sync = 0 ORDER BY seq LIMIT 1),"
			   " (SELECT coalesce(max(seq), 0) + 1 FROM event)) AS TEXT) WHERE true"
			   " ON CONFLICT(key) DO UPDATE SET value = excluded.value WHERE value <> excluded.value", e);
	if (rc)
		return rc;
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(s, e, _("marking events sent"));
	db_done(s, st);
	s->outbox_stale = true;
	return rc ? rc : outbox_marked(s, e);
}

/* One event by its uuid: a derived one (version 8) by the seq it ends
 * with, an older random one by its partial index (event_uuid_v4). */
#define MARK_SQL "UPDATE event SET sync = ?1, sync_reason = ?2, sync_at = ?3 WHERE "
static int outbox_mark_one(struct store *s, const char *uuid, enum sync_state state,
			   const char *reason, int64_t now, bool only_pending, struct am_error *e)
{
	sqlite3_stmt *st;
	int64_t seq;
	bool derived = event_uuid_seq(uuid, &seq);
	int rc = derived ? (only_pending ? db_cached(s, &st, MARK_SQL "seq = ?5 AND uuid = ?4 AND sync = 0", e)
					 : db_cached(s, &st, MARK_SQL "seq = ?5 AND uuid = ?4", e))
			 : (only_pending ? db_cached(s, &st, MARK_SQL "uuid = ?4 AND substr(uuid, 15, 1) <> '8'"
						     " AND sync = 0", e)
					 : db_cached(s, &st, MARK_SQL "uuid = ?4 AND substr(uuid, 15, 1) <> '8'", e));
	if (rc)
		return rc;
	sqlite3_bind_int(st, 1, state);
	sqlite3_bind_text(st, 2, reason ? reason : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, now);
	sqlite3_bind_text(st, 4, uuid, -1, SQLITE_STATIC);
	if (derived)
		sqlite3_bind_int64(st, 5, seq);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = db_fail(s, e, _("marking events sent"));
	else if (!only_pending && sqlite3_changes(s->db) == 0)
		rc = am_fail(e, AM_REFUSED, _("no event %s"), uuid);
	else if (only_pending && state != SYNC_PENDING)
		s->marks_off += sqlite3_changes(s->db);	/* out of the outbox: outbox_marked */
	else
		s->marks_mixed = true;
	db_done(s, st);
	return rc;
}

/* meta.outbox_depth, "M X U D": after the M-th transaction that marked
 * events (meta.outbox_marks), D events with seq <= X were unsent, and U is
 * event X's uuid (a log cut back and written on has another event X).
 * Every event after X was appended unsent (seq is dense: event_append
 * takes the last one + 1) and stays so until a marking transaction moves
 * M (an event marked by hand in between is counted until then).  So a
 * process that has counted nothing yet (start-up, a report) knows the
 * depth of a day offline without reading the day: D + last - X.
 * 0 with *depth set; 1 when the memo does not hold (count instead). */
static int depth_kept(struct store *s, int64_t marks, int64_t last, int64_t *depth)
{
	sqlite3_stmt *st;
	struct am_error ignore;
	char v[128], u[64], now_u[64] = "";
	if (store_meta_get(s, "outbox_depth", v, sizeof v))
		return 1;
	/* "M X U D", each checked: a memo that does not parse is not used */
	char *p = v, *end;
	int64_t m = strtoll(p, &end, 10);
	if (end == p)
		return 1;
	p = end;
	int64_t x = strtoll(p, &end, 10);
	if (end == p || *end != ' ')
		return 1;
	p = end + 1;
	size_t ulen = strcspn(p, " ");
	if (!ulen || ulen >= sizeof u || p[ulen] != ' ')
		return 1;
	memcpy(u, p, ulen);
	u[ulen] = '\0';
	p += ulen + 1;
	int64_t d = strtoll(p, &end, 10);
	if (end == p || *end || m != marks || x > last || x < 0 || d < 0)
		return 1;
	if (db_cached(s, &st, "SELECT uuid FROM event WHERE seq = ?", &ignore))
		return 1;
	sqlite3_bind_int64(st, 1, x);
	if (sqlite3_step(st) == SQLITE_ROW)
		db_text(st, 0, now_u, sizeof now_u);
	db_done(s, st);
	if (strcmp(now_u, u) != 0)
		return 1;
	*depth = d + (last - x);
	return 0;
}

/* The outbox's depth is the events not yet sent from its watermark on (a
 * day offline at a hub-sized point: 30,000 rows, 9 ms, on every screen's
 * status line).  It is kept between draws: while the watermark and the
 * count of acknowledgement batches (meta.outbox_marks, moved by every
 * transaction that marks events: outbox_marked) are as they were, only the
 * events appended since are counted.  The rejected are counted on their
 * partial index (sync = 2); the oldest pending is the first one queued. */
int store_outbox_stats(struct store *s, size_t *depth, int64_t *oldest_ms, size_t *dead,
		       struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_cached(s, &st, "SELECT " OUTBOX_FROM ", coalesce((SELECT CAST(value AS INTEGER) FROM meta"
			   " WHERE key = 'outbox_marks'), 0), coalesce((SELECT max(seq) FROM event), 0),"
			   " coalesce((SELECT at_ms FROM event WHERE seq >= " OUTBOX_FROM " AND sync = 0"
			   "  ORDER BY seq LIMIT 1), 0),"
			   " (SELECT count(*) FROM event WHERE sync = 2)", e);
	if (rc)
		return rc;
	if (sqlite3_step(st) != SQLITE_ROW) {
		db_done(s, st);
		return db_fail(s, e, _("reading the outbox"));
	}
	int64_t from = sqlite3_column_int64(st, 0), marks = sqlite3_column_int64(st, 1);
	int64_t last = sqlite3_column_int64(st, 2);
	if (oldest_ms)
		*oldest_ms = sqlite3_column_int64(st, 3);
	if (dead)
		*dead = (size_t)sqlite3_column_int64(st, 4);
	db_done(s, st);
	/* kept only outside a transaction: one rolled back leaves no trace */
	bool keep = sqlite3_get_autocommit(s->db);
	bool known = keep && s->depth_known && from == s->depth_from && marks == s->depth_marks &&
		     last >= s->depth_seq;
	int64_t kept = 0;
	size_t n;
	if (!known && depth_kept(s, marks, last, &kept) == 0) {
		n = (size_t)kept;	/* a fresh process: what the last marking left */
	} else {
		if ((rc = db_cached(s, &st, "SELECT count(*) FROM event WHERE seq > ?1 AND seq <= ?2 AND sync = 0", e)))
			return rc;
		sqlite3_bind_int64(st, 1, known ? s->depth_seq : from - 1);
		sqlite3_bind_int64(st, 2, last);
		rc = sqlite3_step(st) == SQLITE_ROW ? 0 : db_fail(s, e, _("reading the outbox"));
		n = (size_t)sqlite3_column_int64(st, 0) + (known ? s->depth : 0);
		db_done(s, st);
		if (rc)
			return rc;
	}
	if (depth)
		*depth = n;
	s->depth_known = keep;
	s->depth = n;
	s->depth_from = from;
	s->depth_marks = marks;
	s->depth_seq = last;
	return 0;
}

/* Beyond this many pending events a marking carries the depth on instead
 * of counting it (outbox_marked). */
#define DEPTH_COUNTED 4096

/* The outbox's depth after this transaction's marks: counted from the
 * watermark while the outbox is short; a long one (a day offline, drained
 * answer by answer) is not read whole for every answer (25 ms under the
 * write lock at 100,000 events, a scan waiting meanwhile): the depth the
 * last marking left, less the pending events this one took out, when its
 * marks did nothing else (marks_mixed) and the memo holds.  An event marked
 * by hand in between (tests/sync/edges.sh hides one) is then wrong until
 * the outbox is short again, never for good. */
static int outbox_depth_now(struct store *s, int64_t before, int64_t last, int64_t *depth,
			    struct am_error *e)
{
	sqlite3_stmt *st;
	int64_t kept;
	int rc = db_cached(s, &st, "SELECT count(*) FROM (SELECT 1 FROM event WHERE seq >= " OUTBOX_FROM
			   " AND sync = 0 LIMIT ?1)", e);
	if (rc)
		return rc;
	sqlite3_bind_int(st, 1, DEPTH_COUNTED);
	int step = sqlite3_step(st);
	*depth = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	db_done(s, st);
	if (step != SQLITE_ROW)
		return db_fail(s, e, _("reading the outbox"));
	if (*depth < DEPTH_COUNTED)
		return 0;
	bool alone = !s->batch && !s->bulk && !s->marks_mixed;
	/* the memo, else what this process counted before its transaction
	 * (store_outbox_mark_many), if nobody marked anything since */
	if (alone && depth_kept(s, before, last, &kept) != 0) {
		alone = s->depth_known && s->depth_marks == before && last >= s->depth_seq;
		kept = (int64_t)s->depth + (last - s->depth_seq);
	}
	if (alone && kept - s->marks_off >= DEPTH_COUNTED) {
		*depth = kept - s->marks_off;
		return 0;
	}
	if ((rc = db_cached(s, &st, "SELECT count(*) FROM event WHERE seq >= " OUTBOX_FROM " AND sync = 0", e)))
		return rc;
	step = sqlite3_step(st);
	*depth = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	db_done(s, st);
	return step == SQLITE_ROW ? 0 : db_fail(s, e, _("reading the outbox"));
}

/* A transaction that marks events (sent, rejected, back in the outbox)
 * says so (meta.outbox_marks: store_outbox_stats counts the outbox again)
 * and leaves the depth from the watermark (meta.outbox_depth, depth_kept;
 * outbox_depth_now). */
static int outbox_marked(struct store *s, struct am_error *e)
{
	sqlite3_stmt *st;
	char v[24], u[64] = "", memo[160];
	int64_t before = store_meta_get(s, "outbox_marks", v, sizeof v) == 0 ? strtoll(v, NULL, 10) : 0;
	int64_t last = 0, depth = 0;
	int rc = db_cached(s, &st, "SELECT seq, uuid FROM event ORDER BY seq DESC LIMIT 1", e);
	if (rc)
		return rc;
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		last = sqlite3_column_int64(st, 0);
		db_text(st, 1, u, sizeof u);
	}
	db_done(s, st);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return db_fail(s, e, _("reading the outbox"));
	rc = outbox_depth_now(s, before, last, &depth, e);
	s->marks_off = 0;
	s->marks_mixed = false;
	if (rc)
		return rc;
	snprintf(memo, sizeof memo, "%lld %lld %s %lld", (long long)before + 1, (long long)last, u[0] ? u : "-",
		 (long long)depth);
	if ((rc = db_cached(s, &st, "INSERT INTO meta(key, value) VALUES ('outbox_marks', ?1), ('outbox_depth', ?2)"
			    " ON CONFLICT(key) DO UPDATE SET value = excluded.value", e)))
		return rc;
	snprintf(v, sizeof v, "%lld", (long long)before + 1);
	sqlite3_bind_text(st, 1, v, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, memo, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(s, e, _("marking events sent"));
	db_done(s, st);
	return rc;
}

int store_outbox_batch(struct store *s, size_t max, int (*cb)(const struct event_row *, void *),
		       void *arg, struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(s, &st, "SELECT " EVENT_COLS " FROM event WHERE seq >= " OUTBOX_FROM
			    " AND sync = 0 ORDER BY seq LIMIT ?", e);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)max);
	return each_row(s, st, cb, arg, e);
}

int store_outbox_mark(struct store *s, const char *uuid, enum sync_state state,
		      const char *reason, struct am_error *e)
{
	int rc = db_begin(s, e);
	if (rc)
		return rc;
	if ((rc = outbox_mark_one(s, uuid, state, reason, db_now(NULL), false, e)) ||
	    (rc = outbox_advance(s, e))) {
		db_rollback(s);
		return rc;
	}
	return db_commit(s, e);
}

int store_actor_counts(struct store *s, int64_t since_ms,
		       int (*cb)(const char *actor, size_t n, void *), void *arg, struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(s, &st, "SELECT actor, count(*) FROM event WHERE seq >= " EVENT_SINCE("?1")
			    " AND at_ms >= ?1 AND +waybill <> ''"
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

static int mark_many(struct store *s, const struct outbox_mark *marks, size_t n, struct am_error *e)
{
	int rc = db_begin(s, e);
	if (rc)
		return rc;
	int64_t now = db_now(NULL);
	for (size_t i = 0; i < n && !rc; i++) {
		rc = outbox_mark_one(s, marks[i].uuid, marks[i].state, marks[i].reason, now, true, e);
		/* a scan waiting for the lock goes first (turn.c): the marks so
		 * far are committed, the rest in a transaction of their own; an
		 * answer cut there is an answer half-read, which sync handles
		 * (the rest are sent again and answered "duplicate") */
		if (!rc && !s->batch && (i & 31) == 31 && i + 1 < n && turn_someone_waits(s)) {
			if (!(rc = outbox_advance(s, e)) && !(rc = db_commit(s, e))) {
				turn_give(s, TURN_GIVE_MS);
				if ((rc = db_begin(s, e)))
					return rc;
			}
		}
	}
	if (rc || (rc = outbox_advance(s, e))) {
		db_rollback(s);
		return rc;
	}
	return db_commit(s, e);
}

/* A hub's answers are committed without an fsync of their own
 * (synchronous=NORMAL for these transactions only): an acknowledgement
 * lost to a power cut is an event sent again and answered "duplicate",
 * which sync handles, and the next confirmed scan's fsync (FULL) makes the
 * WAL frames before its own durable too.  A scan that waits for the lock
 * then waits for the marks under way, not for a disk flush as well (77 ms
 * behind a sync on a loaded disk). */
int store_outbox_mark_many(struct store *s, const struct outbox_mark *marks, size_t n,
			   struct am_error *e)
{
	bool relax = !s->batch && !s->bulk_mode && sqlite3_get_autocommit(s->db);
	/* the outbox's depth read now, outside the write lock: the marking
	 * carries it on (outbox_depth_now) instead of counting a long outbox
	 * while a scan waits */
	int rc = relax ? store_outbox_stats(s, NULL, NULL, NULL, e) : 0;
	if (rc)
		return rc;
	if (relax && sqlite3_exec(s->db, "PRAGMA synchronous=NORMAL", NULL, NULL, NULL) != SQLITE_OK)
		relax = false;
	rc = mark_many(s, marks, n, e);
	if (relax && sqlite3_exec(s->db, "PRAGMA synchronous=FULL", NULL, NULL, NULL) != SQLITE_OK)
		s->sync_relaxed = true;	/* db_begin puts FULL back before anything else */
	/* the WAL these answers grew is copied back by sync, a little at a
	 * time, not by the commit of some scan (wal_hook's limit) */
	if (relax && rc == 0)
		db_checkpoint_busy(s, 0);
	return rc;
}

int store_outbox_dead(struct store *s, int (*cb)(const struct event_row *, void *), void *arg,
		      struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(s, &st, "SELECT " EVENT_COLS " FROM event WHERE sync = 2 ORDER BY seq", e);
	return rc ? rc : each_row(s, st, cb, arg, e);
}

int store_outbox_dead_page(struct store *s, size_t offset, size_t limit, size_t *total,
			   int (*cb)(const struct event_row *, void *), void *arg, struct am_error *e)
{
	sqlite3_stmt *st;
	int rc;
	if (total) {
		if ((rc = db_prepare(s, &st, "SELECT count(*) FROM event WHERE sync = 2", e)))
			return rc;
		rc = sqlite3_step(st) == SQLITE_ROW ? 0 : db_fail(s, e, _("reading the dead letters"));
		*total = (size_t)sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		if (rc)
			return rc;
	}
	if (!limit)
		return 0;
	if ((rc = db_prepare(s, &st, "SELECT " EVENT_COLS " FROM event WHERE sync = 2 ORDER BY seq LIMIT ?1 OFFSET ?2", e)))
		return rc;
	sqlite3_bind_int64(st, 1, limit > (size_t)INT64_MAX ? INT64_MAX : (int64_t)limit);
	sqlite3_bind_int64(st, 2, offset > (size_t)INT64_MAX ? INT64_MAX : (int64_t)offset);
	return each_row(s, st, cb, arg, e);
}

int store_outbox_batch_range(struct store *s, int64_t after_seq, int64_t max_seq, size_t max,
			     int (*cb)(const struct event_row *, void *), void *arg, struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(s, &st, "SELECT " EVENT_COLS " FROM event WHERE seq >= " OUTBOX_FROM
			    " AND sync = 0 AND seq > ?1"
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
			    " coalesce((SELECT hash FROM log_head WHERE kind = 0 AND shift = 0 AND name = ''), ?)", e);
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
	if ((rc = db_prepare(s, &st, "SELECT count(*), min(seq) FROM event WHERE sync = 2 AND (?1 IS NULL OR uuid = ?1)", e)))
		goto fail;
	if (uuid)
		sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		rc = db_fail(s, e, _("reading the dead letters"));
		goto fail;
	}
	size_t count = (size_t)sqlite3_column_int64(st, 0);
	int64_t first = sqlite3_column_int64(st, 1);
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
	/* back in the outbox: its watermark goes back to the first of them */
	if ((rc = db_prepare(s, &st, "INSERT INTO meta(key, value) VALUES ('outbox_from', CAST(?1 AS TEXT))"
			     " ON CONFLICT(key) DO UPDATE SET value = CAST(min(CAST(value AS INTEGER), ?1) AS TEXT)", e)))
		goto fail;
	sqlite3_bind_int64(st, 1, first);
	s->outbox_stale = true;
	if (sqlite3_step(st) != SQLITE_DONE) {
		sqlite3_finalize(st);
		rc = db_fail(s, e, _("putting dead letters back in the outbox"));
		goto fail;
	}
	sqlite3_finalize(st);
	s->marks_mixed = true;	/* dead letters back in: counted, not carried on */
	if ((rc = outbox_marked(s, e)))
		goto fail;
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
