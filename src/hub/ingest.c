/*
 * ingest.c - POST /v1/events (docs/protocol.md): a device's batch, stored in
 * one transaction, idempotent by event uuid, permanently.
 *
 * One batch, one transaction, in this order:
 *   1. the batch's envelopes that exist are read and locked FOR UPDATE, in
 *      waybill order (two batches on one envelope queue there, never
 *      deadlock), and the batch is judged against them in memory (batch.c:
 *      conflicts kept and marked, another point's envelopes rejected);
 *   2. envelopes new to the hub, the clocks opened and the events are
 *      written by COPY (copy.c), the envelopes changed by one statement;
 *   3. only then the point's advisory lock, held for the events' COPY and
 *      the COMMIT: event ids of a point thus become visible in increasing
 *      order, which lets a feed cursor be a plain id (see feed.c), while
 *      the judging and the derived state of batches of one point run side
 *      by side.
 * The uuid is the event's primary key, so a uuid stored already makes the
 * COPY fail (unique violation); so does an envelope another batch created
 * meanwhile.  The transaction is then rolled back and the batch judged
 * again, this time asking first which uuids the hub has (answered
 * "duplicate").  A large batch is first tried without that question: a
 * burst after an outage is new events, and the question costs an index
 * probe per event.  A deadlock or serialisation failure is retried too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "amanat/lifecycle.h"
#include "hub.h"

/* A PostgreSQL array literal of n strings: {"a","b"}. */
static char *text_array(const char *const *names, size_t n)
{
	size_t need = 3;
	for (size_t i = 0; i < n; i++)
		need += 2 * strlen(names[i]) + 3;
	char *out = malloc(need), *o = out;
	if (!out)
		return NULL;
	*o++ = '{';
	for (size_t i = 0; i < n; i++) {
		const char *s = names[i];
		if (i)
			*o++ = ',';
		*o++ = '"';
		for (; *s; s++) {
			if (*s == '"' || *s == '\\')
				*o++ = '\\';
			*o++ = *s;
		}
		*o++ = '"';
	}
	*o++ = '}';
	*o = '\0';
	return out;
}

static int load_envelopes(PGconn *c, const struct hub_upload *u, struct envs *t, struct am_error *e)
{
	const char **names = malloc((u->n + 1) * sizeof *names);
	size_t n = 0;
	if (!names)
		return am_fail(e, AM_ENV, "out of memory");
	for (size_t i = 0; i < u->n; i++) {
		const char *w = u->ev[i].waybill;
		if (*w && !hub_env_get(t, w, false) && hub_env_get(t, w, true))
			names[n++] = w;
	}
	char *arg = n ? text_array(names, n) : NULL;
	free(names);
	if (!n)
		return 0;
	if (!arg)
		return am_fail(e, AM_ENV, "out of memory");
	const char *p[] = { arg };
	PGresult *r = hub_q(c, PGRES_TUPLES_OK, e,
			    "SELECT waybill, point, state, courier, postomat, cell, reserved_cell, register,"
			    " application, city, last_device, last_at_ms FROM envelope"
			    " WHERE waybill = ANY($1::text[]) ORDER BY waybill FOR UPDATE", 1, p);
	free(arg);
	if (!r)
		return AM_ENV;
	for (int row = 0; row < PQntuples(r); row++) {
		struct env *v = hub_env_get(t, PQgetvalue(r, row, 0), false);
		if (!v)
			continue;
		v->known = v->existed = true;
		snprintf(v->point, sizeof v->point, "%s", PQgetvalue(r, row, 1));
		snprintf(v->state, sizeof v->state, "%s", PQgetvalue(r, row, 2));
		snprintf(v->courier, sizeof v->courier, "%s", PQgetvalue(r, row, 3));
		snprintf(v->postomat, sizeof v->postomat, "%s", PQgetvalue(r, row, 4));
		snprintf(v->cell, sizeof v->cell, "%s", PQgetvalue(r, row, 5));
		snprintf(v->reserved_cell, sizeof v->reserved_cell, "%s", PQgetvalue(r, row, 6));
		snprintf(v->register_id, sizeof v->register_id, "%s", PQgetvalue(r, row, 7));
		snprintf(v->application, sizeof v->application, "%s", PQgetvalue(r, row, 8));
		snprintf(v->city, sizeof v->city, "%s", PQgetvalue(r, row, 9));
		snprintf(v->last_device, sizeof v->last_device, "%s", PQgetvalue(r, row, 10));
		v->last_at_ms = strtoll(PQgetvalue(r, row, 11), NULL, 10);
	}
	PQclear(r);
	return 0;
}

/* The uuids of the batch the hub has already (answered "duplicate").  A
 * uuid is unique within its point (the event table is partitioned by
 * point, pg.c migration 5): naming the point reads one partition. */
static int known_uuids(PGconn *c, const char *point, const struct hub_upload *u, json_t *seen, struct am_error *e)
{
	const char **ids = malloc((u->n + 1) * sizeof *ids);
	size_t n = 0;
	if (!ids)
		return am_fail(e, AM_ENV, "out of memory");
	for (size_t i = 0; i < u->n; i++)
		if (hub_is_uuid(u->ev[i].uuid))
			ids[n++] = u->ev[i].uuid;
	char *arg = n ? text_array(ids, n) : NULL;
	free(ids);
	if (!n)
		return 0;
	if (!arg)
		return am_fail(e, AM_ENV, "out of memory");
	const char *p[] = { arg, point };
	PGresult *r = hub_q(c, PGRES_TUPLES_OK, e, "SELECT uuid::text FROM event WHERE uuid = ANY($1::uuid[])"
			    " AND point = $2", 2, p);
	free(arg);
	if (!r)
		return AM_ENV;
	for (int row = 0; row < PQntuples(r); row++)
		json_object_set_new(seen, PQgetvalue(r, row, 0), json_true());
	PQclear(r);
	return 0;
}

static const char COPY_EVENTS[] =
	"COPY event (uuid, point, device, seq, type, waybill, register, actor, at_ms, at,"
	" place, payload, received_ms, conflict, upstream) FROM STDIN";

static const char COPY_ENVELOPES[] =
	"COPY envelope (waybill, point, state, courier, postomat, cell, reserved_cell,"
	" register, application, city, last_device, last_at_ms) FROM STDIN";

static const char UPSERT_ENVELOPES[] =
	"INSERT INTO envelope (waybill, point, state, courier, postomat, cell, reserved_cell,"
	" register, application, city, last_device, last_at_ms)"
	" SELECT * FROM json_to_recordset($1::json) AS x(waybill text, point text, state text,"
	" courier text, postomat text, cell text, reserved_cell text, register text,"
	" application text, city text, last_device text, last_at_ms bigint)"
	" ON CONFLICT (waybill) DO UPDATE SET state = excluded.state, courier = excluded.courier,"
	" postomat = excluded.postomat, cell = excluded.cell, reserved_cell = excluded.reserved_cell,"
	" register = excluded.register, application = excluded.application, city = excluded.city,"
	" last_device = excluded.last_device, last_at_ms = excluded.last_at_ms";

/* The batch's new events as COPY rows (the payload as the device wrote it:
 * PostgreSQL reads it into jsonb). */
static void event_rows(struct hub_buf *b, const struct hub_upload *u, const char *point, int64_t now,
		       bool from_upstream)
{
	for (size_t i = 0; i < u->n; i++) {
		const struct hub_ev *ev = &u->ev[i];
		if (!ev->stored)
			continue;
		hub_buf_text(b, ev->uuid);
		hub_buf_text(b, point);
		hub_buf_text(b, ev->device);
		hub_buf_int(b, ev->seq);
		hub_buf_text(b, ev->type);
		hub_buf_text(b, ev->waybill);
		hub_buf_text(b, ev->reg);
		hub_buf_text(b, ev->actor);
		hub_buf_int(b, ev->at_ms);
		hub_buf_text(b, ev->at);
		hub_buf_text(b, ev->place);
		hub_buf_text(b, ev->payload);
		hub_buf_int(b, now);
		hub_buf_text(b, ev->conflict);
		hub_buf_int(b, from_upstream ? 3 : 0);
		hub_buf_end_row(b);
	}
}

/* The changed envelopes: those the hub had to updates (their clocks may
 * close), the new ones as COPY rows (none of their clocks is stored yet). */
static size_t envelope_rows(struct envs *t, json_t *updates, struct hub_buf *fresh, json_t *closes, json_t *adds)
{
	size_t n_fresh = 0;
	for (size_t i = 0; i < t->cap; i++) {
		struct env *v = &t->slot[i];
		if (!v->waybill || !v->changed)
			continue;
		hub_clock_rows(v->point, v->waybill, &v->clocks, v->existed ? closes : NULL, adds);
		if (v->existed) {
			json_array_append_new(updates, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:I}",
				"waybill", v->waybill, "point", v->point, "state", v->state, "courier", v->courier,
				"postomat", v->postomat, "cell", v->cell, "reserved_cell", v->reserved_cell,
				"register", v->register_id, "application", v->application, "city", v->city,
				"last_device", v->last_device, "last_at_ms", (json_int_t)v->last_at_ms));
			continue;
		}
		const char *f[] = { v->waybill, v->point, v->state, v->courier, v->postomat, v->cell,
				    v->reserved_cell, v->register_id, v->application, v->city, v->last_device };
		for (size_t k = 0; k < sizeof f / sizeof *f; k++)
			hub_buf_text(fresh, f[k]);
		hub_buf_int(fresh, v->last_at_ms);
		hub_buf_end_row(fresh);
		n_fresh++;
	}
	return n_fresh;
}

static int run_json(PGconn *c, const char *sql, json_t *rows, struct am_error *e)
{
	char *arg = json_dumps(rows, JSON_COMPACT);
	if (!arg)
		return am_fail(e, AM_ENV, "out of memory");
	const char *p[] = { arg };
	PGresult *r = hub_q(c, PGRES_COMMAND_OK, e, sql, 1, p);
	free(arg);
	if (!r)
		return AM_ENV;
	PQclear(r);
	return 0;
}

/* The open storage clocks' bases of the envelopes a batch removes from
 * their cells: §30's clock runs from the end of storage. */
static int load_storage(PGconn *c, const char *point, const struct hub_upload *u, struct envs *t,
			struct am_error *e)
{
	json_t *names = json_array(), *basis = json_object();
	for (size_t i = 0; i < u->n; i++)
		if (!strcmp(u->ev[i].type, "expired_removed") && *u->ev[i].waybill)
			json_array_append_new(names, json_string(u->ev[i].waybill));
	int rc = json_array_size(names) ? hub_clock_storage_basis(c, point, names, basis, e) : 0;
	const char *w;
	json_t *b;
	json_object_foreach(basis, w, b) {
		struct env *v = hub_env_get(t, w, false);
		if (v)
			v->clocks.storage_basis = json_integer_value(b);
	}
	json_decref(names);
	json_decref(basis);
	return rc;
}

static int update_device(PGconn *c, const struct hub_device *d, const struct hub_upload *u, size_t n_new,
			 int64_t now, struct am_error *e)
{
	char last_seq[24] = "0", n[24], at[24];
	for (size_t i = 0; i < u->n; i++)
		if (!strcmp(u->ev[i].device, d->id))
			snprintf(last_seq, sizeof last_seq, "%lld", (long long)u->ev[i].seq);
	snprintf(n, sizeof n, "%zu", n_new);
	snprintf(at, sizeof at, "%lld", (long long)now);
	const char *p[] = { d->id, at, last_seq, n };
	PGresult *r = hub_q(c, PGRES_COMMAND_OK, e, "UPDATE device SET last_contact_ms = $2,"
			    " last_seq = greatest(last_seq, $3::bigint), events = events + $4::bigint WHERE id = $1", 4, p);
	PQclear(r);
	return r ? 0 : AM_ENV;
}

/* The batch's transaction.  Every statement of it looks rows up by their
 * keys, so it is planned that way only (index scans, nested loops): a
 * prepared statement's generic plan made while the tables were small (a new
 * hub, a burst before autovacuum has analysed anything) otherwise stays in
 * use as they grow, and was seen scanning every open clock of the hub to
 * close the two of one register (150 ms a batch at 50,000 clocks). */
static int begin(PGconn *c, struct am_error *e)
{
	PGresult *r = PQexec(c, "BEGIN; SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off;"
			     " SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off;"
			     " SET LOCAL enable_material = off");
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		hub_pg_note_state(r);
		am_fail(e, AM_ENV, "PostgreSQL: %s", PQresultErrorMessage(r));
		PQclear(r);
		return AM_ENV;
	}
	PQclear(r);
	return 0;
}

/* One try at storing the batch; *again when it failed only because another
 * transaction got there first (a uuid, a new envelope, a deadlock). */
static int store_once(PGconn *c, const struct hub_device *d, struct hub_upload *u, json_t *results,
		      size_t *n_new, bool from_upstream, bool ask_dups, bool *again, struct am_error *e)
{
	struct envs t;
	if (hub_envs_init(&t, u->n))
		return am_fail(e, AM_ENV, "out of memory");
	json_t *seen = json_object(), *updates = json_array();
	json_t *closes = json_array(), *adds = json_array();
	struct hub_buf evbuf = { 0 }, envbuf = { 0 };
	int64_t now = hub_now_ms();
	size_t n_fresh = 0, copied = 0;
	const char *lp[] = { d->point };
	PGresult *r = NULL;
	*n_new = 0;
	int rc = begin(c, e);
	if (!rc && ask_dups)
		rc = known_uuids(c, d->point, u, seen, e);
	if (!rc)
		rc = load_envelopes(c, u, &t, e);
	if (!rc)
		rc = load_storage(c, d->point, u, &t, e);
	if (!rc) {
		hub_judge_batch(d, u, seen, &t, results, closes, adds);
		for (size_t i = 0; i < u->n; i++)
			*n_new += u->ev[i].stored;
		n_fresh = envelope_rows(&t, updates, &envbuf, closes, adds);
		if (json_array_size(updates))
			rc = run_json(c, UPSERT_ENVELOPES, updates, e);
	}
	if (!rc && n_fresh)
		rc = hub_copy(c, COPY_ENVELOPES, &envbuf, &copied, e);
	if (!rc)
		rc = hub_clock_write(c, d->point, closes, adds, e);
	if (!rc)
		rc = update_device(c, d, u, *n_new, now, e);
	/* the point's lock, as late as it can be: events and COMMIT only */
	if (!rc && *n_new && !(r = hub_q(c, PGRES_TUPLES_OK, e, "SELECT pg_advisory_xact_lock(hashtext($1))", 1, lp)))
		rc = AM_ENV;
	PQclear(r);
	if (!rc && *n_new) {
		event_rows(&evbuf, u, d->point, now, from_upstream);
		rc = hub_copy(c, COPY_EVENTS, &evbuf, NULL, e);
	}
	if (!rc)
		rc = hub_exec(c, "COMMIT", e);
	else
		hub_exec(c, "ROLLBACK", NULL);
	const char *st = hub_pg_sqlstate();
	*again = rc && (!strcmp(st, "23505") || !strcmp(st, "40P01") || !strcmp(st, "40001"));
	hub_buf_free(&evbuf);
	hub_buf_free(&envbuf);
	json_decref(seen);
	json_decref(updates);
	json_decref(closes);
	json_decref(adds);
	hub_envs_free(&t);
	return rc;
}

int hub_store_batch(PGconn *c, const struct hub_device *d, struct hub_upload *u, json_t *results,
		    size_t *n_new, bool from_upstream, struct am_error *e)
{
	bool ask_dups = u->n < 64, again = false;
	int rc = 0;
	for (int attempt = 0; attempt < 6; attempt++) {
		if (results)
			json_array_clear(results);
		rc = store_once(c, d, u, results, n_new, from_upstream, ask_dups, &again, e);
		if (!rc || !again)
			break;
		ask_dups = true;
		hub_log("info", "ingest_retry", "\"device\":\"%s\",\"attempt\":%d,\"sqlstate\":\"%s\"", d->id,
			attempt + 1, hub_pg_sqlstate());
	}
	if (rc)
		*n_new = 0;
	return rc;
}

/* A JSON string of s (valid UTF-8 from the upload's reader, or a sentence
 * made of such; a sequence cut by a bounded sentence becomes U+FFFD). */
static void json_text(struct hub_buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	hub_buf_raw(b, "\"", 1);
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		const unsigned char *run = p;
		while (*p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\')
			p++;
		hub_buf_raw(b, (const char *)run, (size_t)(p - run));
		if (!*p)
			break;
		if (*p < 0x20 || *p == '"' || *p == '\\') {
			char esc[6] = { '\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 15] };
			if (*p == '"' || *p == '\\')
				esc[1] = (char)*p;
			hub_buf_raw(b, esc, *p == '"' || *p == '\\' ? 2 : 6);
			p++;
			continue;
		}
		/* a multi-byte sequence: its length by the lead byte, checked */
		size_t n = *p >= 0xf0 && *p < 0xf5 ? 4 : *p >= 0xe0 ? 3 : *p >= 0xc2 && *p < 0xe0 ? 2 : 0;
		size_t k = 1;
		while (n && k < n && (p[k] & 0xc0) == 0x80)
			k++;
		if (n && k == n) {
			hub_buf_raw(b, (const char *)p, n);
			p += n;
		} else {
			hub_buf_raw(b, "\\ufffd", 6);
			p += k;
		}
	}
	hub_buf_raw(b, "\"", 1);
}

/* The answer, written from the events' verdicts: one object per event. */
static char *answer(const struct hub_upload *u)
{
	struct hub_buf b = { 0 };
	hub_buf_raw(&b, "{\"results\":[", 12);
	for (size_t i = 0; i < u->n; i++) {
		const struct hub_ev *ev = &u->ev[i];
		hub_buf_raw(&b, i ? ",{\"uuid\":" : "{\"uuid\":", i ? 9 : 8);
		json_text(&b, ev->uuid);
		hub_buf_raw(&b, ",\"status\":", 10);
		json_text(&b, ev->status ? ev->status : "rejected");
		if (ev->reason || ev->conflict) {
			hub_buf_raw(&b, ev->reason ? ",\"reason\":" : ",\"conflict\":", ev->reason ? 10 : 12);
			json_text(&b, ev->reason ? ev->reason : ev->conflict);
		}
		hub_buf_raw(&b, "}", 1);
	}
	hub_buf_raw(&b, "]}", 2);
	if (b.oom) {
		hub_buf_free(&b);
		return NULL;
	}
	return b.p;
}

int hub_ingest(PGconn *c, const struct hub_device *d, const char *body, size_t len, char **out)
{
	struct hub_upload u;
	const char *why;
	int status = hub_parse_upload(d, body, len, &u, &why);
	if (status != 200) {
		hub_upload_free(&u);
		*out = hub_json_error(why);
		return status;
	}
	struct am_error e = { "" };
	size_t n_new = 0, n = u.n;
	int rc = hub_store_batch(c, d, &u, NULL, &n_new, false, &e);
	if (rc) {
		hub_upload_free(&u);
		hub_log("error", "ingest_failed", "\"device\":\"%s\"", d->id);
		*out = hub_json_error(e.msg);
		return 503;
	}
	*out = answer(&u);
	hub_upload_free(&u);
	hub_log("info", "ingest", "\"device\":\"%s\",\"events\":%zu,\"new\":%zu", d->id, n, n_new);
	return 200;
}
