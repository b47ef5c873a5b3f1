/*
 * ingest.c - POST /v1/events (docs/protocol.md): a device's batch, stored in
 * one transaction, idempotent by event uuid, permanently.
 *
 * Under a per-point advisory lock the hub's view of the batch's envelopes is
 * read, the batch judged against it in memory (batch.c: conflicts kept and
 * marked, another point's envelopes rejected), and the new events, the
 * envelopes and their clocks written.  The lock also makes event ids grow in
 * commit order within a point, which is what lets a feed cursor be a plain
 * id (see feed.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "amanat/lifecycle.h"
#include "hub.h"

static int load_envelopes(PGconn *c, json_t *events, struct envs *t, struct am_error *e)
{
	json_t *names = json_array();
	size_t i;
	json_t *ev;
	json_array_foreach(events, i, ev) {
		const char *w = hub_str(ev, "waybill");
		if (*w && !hub_env_get(t, w, false) && hub_env_get(t, w, true))
			json_array_append_new(names, json_string(w));
	}
	char *arg = json_dumps(names, JSON_COMPACT);
	json_decref(names);
	if (!arg)
		return am_fail(e, AM_ENV, "out of memory");
	const char *p[] = { arg };
	PGresult *r = hub_q(c, PGRES_TUPLES_OK, e,
			    "SELECT waybill, point, state, courier, postomat, cell, reserved_cell, register,"
			    " application, city, last_device, last_at_ms FROM envelope"
			    " WHERE waybill IN (SELECT jsonb_array_elements_text($1::jsonb)) FOR UPDATE", 1, p);
	free(arg);
	if (!r)
		return AM_ENV;
	for (int row = 0; row < PQntuples(r); row++) {
		struct env *v = hub_env_get(t, PQgetvalue(r, row, 0), false);
		if (!v)
			continue;
		v->known = true;
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

/* The uuids of the batch the hub has already (answered "duplicate"). */
static int known_uuids(PGconn *c, json_t *events, json_t *seen, struct am_error *e)
{
	json_t *ids = json_array();
	size_t i;
	json_t *ev;
	json_array_foreach(events, i, ev)
		if (hub_is_uuid(hub_str(ev, "uuid")))
			json_array_append_new(ids, json_string(hub_str(ev, "uuid")));
	char *arg = json_dumps(ids, JSON_COMPACT);
	json_decref(ids);
	if (!arg)
		return am_fail(e, AM_ENV, "out of memory");
	const char *p[] = { arg };
	PGresult *r = hub_q(c, PGRES_TUPLES_OK, e, "SELECT uuid::text FROM event WHERE uuid IN"
			    " (SELECT jsonb_array_elements_text($1::jsonb)::uuid)", 1, p);
	free(arg);
	if (!r)
		return AM_ENV;
	for (int row = 0; row < PQntuples(r); row++)
		json_object_set_new(seen, PQgetvalue(r, row, 0), json_true());
	PQclear(r);
	return 0;
}

static const char INSERT_EVENTS[] =
	"INSERT INTO event (uuid, point, device, seq, type, waybill, register, actor, at_ms, at,"
	" place, payload, received_ms, conflict, upstream)"
	" SELECT x.uuid, $2, x.device, x.seq, x.type, coalesce(x.waybill, ''), coalesce(x.register, ''),"
	" coalesce(x.actor, ''), x.at_ms, coalesce(x.at, ''), coalesce(x.place, ''),"
	" coalesce(x.payload, '{}'), $3, x.conflict, $4::smallint"
	" FROM json_to_recordset($1::json) AS x(ord int, uuid uuid, device text, seq bigint,"
	" type text, waybill text, register text, actor text, at_ms bigint, at text, place text,"
	" payload jsonb, conflict text) ORDER BY x.ord ON CONFLICT (uuid) DO NOTHING";

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

static int run_json(PGconn *c, const char *sql, json_t *rows, const char *p2, const char *p3,
		    const char *p4, struct am_error *e)
{
	char *arg = json_dumps(rows, JSON_COMPACT);
	if (!arg)
		return am_fail(e, AM_ENV, "out of memory");
	const char *p[] = { arg, p2, p3, p4 };
	PGresult *r = hub_q(c, PGRES_COMMAND_OK, e, sql, p4 ? 4 : 1, p);
	free(arg);
	if (!r)
		return AM_ENV;
	PQclear(r);
	return 0;
}

/* The open storage clocks' bases of the envelopes a batch removes from
 * their cells: §30's clock runs from the end of storage. */
static int load_storage(PGconn *c, json_t *events, struct envs *t, struct am_error *e)
{
	json_t *names = json_array(), *basis = json_object();
	size_t i;
	json_t *ev;
	json_array_foreach(events, i, ev)
		if (!strcmp(hub_str(ev, "type"), "expired_removed") && *hub_str(ev, "waybill"))
			json_array_append_new(names, json_string(hub_str(ev, "waybill")));
	int rc = json_array_size(names) ? hub_clock_storage_basis(c, names, basis, e) : 0;
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

int hub_store_batch(PGconn *c, const struct hub_device *d, json_t *events, json_t *results,
		    size_t *n_new, bool from_upstream, struct am_error *e)
{
	struct envs t;
	if (hub_envs_init(&t, json_array_size(events)))
		return am_fail(e, AM_ENV, "out of memory");
	json_t *seen = json_object(), *rows = json_array(), *envrows = NULL;
	json_t *closes = json_array(), *adds = json_array();
	char now[24], last_seq[24] = "0";
	snprintf(now, sizeof now, "%lld", (long long)hub_now_ms());
	const char *lp[] = { d->point };
	PGresult *r = NULL;
	int rc = hub_exec(c, "BEGIN", e);
	if (!rc && !(r = hub_q(c, PGRES_TUPLES_OK, e, "SELECT pg_advisory_xact_lock(hashtext($1))", 1, lp)))
		rc = AM_ENV;
	PQclear(r);
	if (!rc)
		rc = known_uuids(c, events, seen, e);
	if (!rc)
		rc = load_envelopes(c, events, &t, e);
	if (!rc)
		rc = load_storage(c, events, &t, e);
	if (!rc) {
		hub_judge_batch(d, events, seen, &t, rows, results, closes, adds);
		*n_new = json_array_size(rows);
		if (*n_new)
			rc = run_json(c, INSERT_EVENTS, rows, d->point, now, from_upstream ? "3" : "0", e);
		envrows = hub_envelope_rows(&t, closes, adds);
		if (!rc && json_array_size(envrows))
			rc = run_json(c, UPSERT_ENVELOPES, envrows, NULL, NULL, NULL, e);
		if (!rc)
			rc = hub_clock_write(c, closes, adds, e);
		size_t i;
		json_t *ev;
		json_array_foreach(events, i, ev)
			if (!strcmp(hub_str(ev, "device"), d->id))
				snprintf(last_seq, sizeof last_seq, "%lld",
					 (long long)json_integer_value(json_object_get(ev, "seq")));
	}
	if (!rc) {
		char n[24];
		snprintf(n, sizeof n, "%zu", *n_new);
		const char *p[] = { d->id, now, last_seq, n };
		r = hub_q(c, PGRES_COMMAND_OK, e, "UPDATE device SET last_contact_ms = $2,"
			  " last_seq = greatest(last_seq, $3::bigint), events = events + $4::bigint WHERE id = $1", 4, p);
		rc = r ? 0 : AM_ENV;
		PQclear(r);
	}
	if (!rc)
		rc = hub_exec(c, "COMMIT", e);
	else
		hub_exec(c, "ROLLBACK", NULL);
	json_decref(seen);
	json_decref(rows);
	json_decref(envrows);
	json_decref(closes);
	json_decref(adds);
	hub_envs_free(&t);
	return rc;
}

int hub_ingest(PGconn *c, const struct hub_device *d, const char *body, size_t len, char **out)
{
	json_t *root;
	const char *why;
	int status = hub_parse_upload(d, body, len, &root, &why);
	if (status != 200) {
		json_decref(root);
		*out = hub_json_error(why);
		return status;
	}
	json_t *events = json_object_get(root, "events");
	json_t *results = json_array();
	struct am_error e = { "" };
	size_t n_new = 0;
	if (hub_store_batch(c, d, events, results, &n_new, false, &e)) {
		json_decref(results);
		json_decref(root);
		hub_log("error", "ingest_failed", "\"device\":\"%s\"", d->id);
		*out = hub_json_error(e.msg);
		return 503;
	}
	json_t *doc = json_pack("{s:o}", "results", results);
	*out = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	json_decref(root);
	hub_log("info", "ingest", "\"device\":\"%s\",\"events\":%zu,\"new\":%zu", d->id,
		json_array_size(events), n_new);
	return 200;
}
