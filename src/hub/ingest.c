/*
 * ingest.c - POST /v1/events (docs/protocol.md): a device's batch, stored in
 * one transaction, idempotent by event uuid, permanently.
 *
 * Under a per-point advisory lock the batch is checked against the hub's
 * view of each envelope with src/core's one table of transitions:
 *   - an event the life cycle refuses from the hub's state, one the device
 *     made from another state than the hub's (its payload's "from": it acted
 *     on a stale view, offline), or one made before another device's later
 *     change (when it names no "from") - the desk records a loss while a
 *     courier places it - is stored all the same and marked a conflict,
 *     never dropped; the hub's state stays with the first record;
 *   - an event for an envelope of another point is rejected.
 * The lock also makes event ids grow in commit order within a point, which
 * is what lets a feed cursor be a plain id (see feed.c).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "amanat/lifecycle.h"
#include "hub.h"

struct env {
	char *waybill;
	char point[64], state[32], courier[64], postomat[64], cell[32], reserved_cell[32];
	char register_id[64], application[64], city[128], last_device[64];
	int64_t last_at_ms;
	bool known, changed;
};

/* A small open-addressing table of the batch's envelopes by waybill. */
struct envs {
	struct env *slot;
	size_t cap;
};

static size_t hash(const char *s)
{
	size_t h = 1469598103934665603u;
	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211u;
	return h;
}

static struct env *env_get(struct envs *t, const char *waybill, bool add)
{
	size_t i = hash(waybill) & (t->cap - 1);
	while (t->slot[i].waybill) {
		if (!strcmp(t->slot[i].waybill, waybill))
			return &t->slot[i];
		i = (i + 1) & (t->cap - 1);
	}
	if (!add)
		return NULL;
	t->slot[i].waybill = strdup(waybill);
	return t->slot[i].waybill ? &t->slot[i] : NULL;
}

static void envs_free(struct envs *t)
{
	for (size_t i = 0; i < t->cap; i++)
		free(t->slot[i].waybill);
	free(t->slot);
}

static bool is_uuid(const char *u)
{
	if (!u || strlen(u) != 36)
		return false;
	for (int i = 0; i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;
		if (dash ? u[i] != '-' : !isxdigit((unsigned char)u[i]))
			return false;
	}
	return true;
}

static const char *str(json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));
	return v ? v : "";
}

static void copy(char *dst, size_t len, const char *src)
{
	if (src && *src)
		snprintf(dst, len, "%s", src);
}

/* Why a batch is refused whole (400), or NULL: the required fields. */
static const char *malformed(json_t *ev)
{
	static const char *const req[] = { "uuid", "device", "seq", "type", "at_ms" };
	if (!json_is_object(ev))
		return "an event is not a JSON object";
	for (size_t i = 0; i < sizeof req / sizeof *req; i++)
		if (!json_object_get(ev, req[i]))
			return "an event lacks a required field (uuid, device, seq, type, at_ms)";
	if (!json_is_string(json_object_get(ev, "uuid")) || !json_is_string(json_object_get(ev, "device"))
	    || !json_is_integer(json_object_get(ev, "seq")) || !json_is_string(json_object_get(ev, "type"))
	    || !json_is_integer(json_object_get(ev, "at_ms")))
		return "an event's uuid, device, type must be strings and seq, at_ms integers";
	static const char *const opt[] = { "waybill", "register", "actor", "place", "at" };
	for (size_t i = 0; i < sizeof opt / sizeof *opt; i++) {
		json_t *v = json_object_get(ev, opt[i]);
		if (v && !json_is_string(v))
			return "waybill, register, actor, place, at must be strings";
	}
	json_t *p = json_object_get(ev, "payload");
	if (p && !json_is_object(p))
		return "payload must be an object";
	return NULL;
}

/* Apply one new event to the batch's view of its envelope; returns the
 * conflict sentence (malloc'd) or NULL; *reject set when refused. */
static char *judge(struct env *v, json_t *ev, int type, const char *device, const char *point,
		   char **reject)
{
	char buf[400];
	json_t *pl = json_object_get(ev, "payload");
	int64_t at = json_integer_value(json_object_get(ev, "at_ms"));
	if (v->known && strcmp(v->point, point)) {
		snprintf(buf, sizeof buf, "waybill %s belongs to another point", v->waybill);
		*reject = strdup(buf);
		return NULL;
	}
	/* Every desk of the point imports the point's registers and records
	 * each line as registered: the same fact again, not a conflict. */
	if (v->known && type == EV_REGISTERED)
		return NULL;
	int from = v->known ? state_from_name(v->state) : state_from_name(str(pl, "from"));
	if (from < 0)
		from = ST_NONE;
	int next = lifecycle_next((enum envelope_state)from, (enum event_type)type);
	char *conflict = NULL;
	const char *seen = str(pl, "from");
	int seen_st = state_from_name(seen);
	bool moves = seen_st >= 0 && lifecycle_next((enum envelope_state)seen_st, (enum event_type)type) != seen_st;
	if (next < 0 && v->known) {
		snprintf(buf, sizeof buf, "%s is not allowed from %s (set by %s): both records kept",
			 event_name(type), v->state, v->last_device);
		conflict = strdup(buf);
	} else if (v->known && moves && strcmp(seen, v->state) && strcmp(v->last_device, device)) {
		snprintf(buf, sizeof buf, "%s was made from %s, but %s had made it %s: both records kept",
			 event_name(type), seen, v->last_device, v->state);
		conflict = strdup(buf);
	} else if (!*seen && next >= 0 && next != from && v->known && v->last_device[0]
		   && strcmp(v->last_device, device) && at < v->last_at_ms) {
		snprintf(buf, sizeof buf, "%s was made offline before %s's later change to %s: both records kept",
			 event_name(type), v->last_device, v->state);
		conflict = strdup(buf);
	}
	if (conflict)
		return conflict;
	if (next < 0)	/* first sight of an envelope mid-way: trust the device */
		next = state_from_name(str(pl, "to")) >= 0 ? state_from_name(str(pl, "to")) : from;
	if (!v->known)
		snprintf(v->point, sizeof v->point, "%s", point);
	v->known = v->changed = true;
	snprintf(v->state, sizeof v->state, "%s", state_name((enum envelope_state)next));
	copy(v->register_id, sizeof v->register_id, str(ev, "register"));
	copy(v->application, sizeof v->application, str(pl, "application"));
	copy(v->postomat, sizeof v->postomat, str(pl, "postomat"));
	copy(v->city, sizeof v->city, str(pl, "city"));
	copy(v->reserved_cell, sizeof v->reserved_cell, str(pl, "reserved_cell"));
	copy(v->courier, sizeof v->courier, str(pl, "courier"));
	copy(v->cell, sizeof v->cell, str(pl, "cell"));
	if (next != from) {
		snprintf(v->last_device, sizeof v->last_device, "%s", device);
		v->last_at_ms = at;
	}
	return NULL;
}

static int load_envelopes(PGconn *c, json_t *events, struct envs *t, struct am_error *e)
{
	json_t *names = json_array();
	size_t i;
	json_t *ev;
	json_array_foreach(events, i, ev) {
		const char *w = str(ev, "waybill");
		if (*w && !env_get(t, w, false) && env_get(t, w, true))
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
		struct env *v = env_get(t, PQgetvalue(r, row, 0), false);
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
		if (is_uuid(str(ev, "uuid")))
			json_array_append_new(ids, json_string(str(ev, "uuid")));
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
	" FROM jsonb_to_recordset($1::jsonb) AS x(ord int, uuid uuid, device text, seq bigint,"
	" type text, waybill text, register text, actor text, at_ms bigint, at text, place text,"
	" payload jsonb, conflict text) ORDER BY x.ord ON CONFLICT (uuid) DO NOTHING";

static const char UPSERT_ENVELOPES[] =
	"INSERT INTO envelope (waybill, point, state, courier, postomat, cell, reserved_cell,"
	" register, application, city, last_device, last_at_ms)"
	" SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(waybill text, point text, state text,"
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

static json_t *envelope_rows(struct envs *t)
{
	json_t *rows = json_array();
	for (size_t i = 0; i < t->cap; i++) {
		struct env *v = &t->slot[i];
		if (!v->waybill || !v->changed)
			continue;
		json_array_append_new(rows, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:I}",
			"waybill", v->waybill, "point", v->point, "state", v->state, "courier", v->courier,
			"postomat", v->postomat, "cell", v->cell, "reserved_cell", v->reserved_cell,
			"register", v->register_id, "application", v->application, "city", v->city,
			"last_device", v->last_device, "last_at_ms", (json_int_t)v->last_at_ms));
	}
	return rows;
}

/* Judge each event of the batch in order; new rows go to rows, answers to
 * results. */
static void judge_batch(const struct hub_device *d, json_t *events, json_t *seen, struct envs *t,
			json_t *rows, json_t *results)
{
	size_t i;
	json_t *ev;
	json_array_foreach(events, i, ev) {
		const char *uuid = str(ev, "uuid");
		int type = event_from_name(str(ev, "type"));
		char *reject = NULL, *conflict = NULL;
		if (!is_uuid(uuid))
			reject = strdup("uuid is not a UUID");
		else if (strcmp(str(ev, "device"), d->id))
			reject = strdup("a device may post only its own events");
		else if (type < 0)
			reject = strdup("unknown event type");
		else if (json_object_get(seen, uuid)) {
			json_array_append_new(results, json_pack("{s:s,s:s}", "uuid", uuid, "status", "duplicate"));
			continue;
		} else if (*str(ev, "waybill") && event_is_envelope_event((enum event_type)type))
			conflict = judge(env_get(t, str(ev, "waybill"), true), ev, type, d->id, d->point, &reject);
		if (reject) {
			json_array_append_new(results, json_pack("{s:s,s:s,s:s}", "uuid", uuid, "status", "rejected",
								 "reason", reject));
			free(reject);
			continue;
		}
		json_object_set_new(seen, uuid, json_true());	/* twice in one batch: once */
		json_t *row = json_deep_copy(ev);
		json_object_set_new(row, "ord", json_integer((json_int_t)i));
		json_object_set_new(row, "conflict", conflict ? json_string(conflict) : json_null());
		json_array_append_new(rows, row);
		json_t *res = json_pack("{s:s,s:s}", "uuid", uuid, "status", "accepted");
		if (conflict)
			json_object_set_new(res, "conflict", json_string(conflict));
		json_array_append_new(results, res);
		free(conflict);
	}
}

int hub_store_batch(PGconn *c, const struct hub_device *d, json_t *events, json_t *results,
		    size_t *n_new, bool from_upstream, struct am_error *e)
{
	struct envs t = { NULL, 16 };
	while (t.cap < 2 * json_array_size(events) + 16)
		t.cap <<= 1;
	t.slot = calloc(t.cap, sizeof *t.slot);
	if (!t.slot)
		return am_fail(e, AM_ENV, "out of memory");
	json_t *seen = json_object(), *rows = json_array(), *envrows = NULL;
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
	if (!rc) {
		judge_batch(d, events, seen, &t, rows, results);
		*n_new = json_array_size(rows);
		if (*n_new)
			rc = run_json(c, INSERT_EVENTS, rows, d->point, now, from_upstream ? "3" : "0", e);
		envrows = envelope_rows(&t);
		if (!rc && json_array_size(envrows))
			rc = run_json(c, UPSERT_ENVELOPES, envrows, NULL, NULL, NULL, e);
		size_t i;
		json_t *ev;
		json_array_foreach(events, i, ev)
			if (!strcmp(str(ev, "device"), d->id))
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
	envs_free(&t);
	return rc;
}

int hub_ingest(PGconn *c, const struct hub_device *d, const char *body, size_t len, char **out)
{
	json_error_t je;
	json_t *root = json_loadb(body, len, 0, &je);
	json_t *events = json_object_get(root, "events");
	if (!json_is_array(events)) {
		json_decref(root);
		*out = hub_json_error("the body must be a JSON object with an events array");
		return 400;
	}
	json_t *dev = json_object_get(root, "device");
	if (dev && (!json_is_string(dev) || strcmp(json_string_value(dev), d->id))) {
		json_decref(root);
		*out = hub_json_error("this token belongs to another device");
		return 403;
	}
	size_t i;
	json_t *ev;
	json_array_foreach(events, i, ev) {
		const char *why = malformed(ev);
		if (why) {
			json_decref(root);
			*out = hub_json_error(why);
			return 400;
		}
	}
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
	hub_log("info", "ingest", "\"device\":\"%s\",\"events\":%zu,\"new\":%zu", d->id, i, n_new);
	return 200;
}
