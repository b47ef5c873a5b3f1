/*
 * docs.c - the documents that come down to terminals as they are: registers
 * addressed to a point (GET /v1/registers, resumable by cursor) and the
 * postomats of a city with their cells and reservations (GET
 * /v1/postomats), in the same shapes as docs/protocol.md.  They reach the
 * hub from upstream (upstream.c) or from `amanat-hub register|postomat
 * import FILE`.  A device reads only its own point's registers.
 *
 * The point's staff (badges, names, roles, PIN hashes) go down through the
 * feed instead, as events of type "staff" from device "HUB", so that anyone
 * can log in on any handheld of the point (`amanat-hub staff import FILE`).
 * So do a working-day calendar (`amanat-hub calendar import FILE`: one
 * "calendar" item to every point, and to a point added later) and each
 * postomat's cells and reservations ("postomat" items to the points whose
 * envelopes or registers go to it: a courier's handheld gets the cells
 * beyond its envelopes' reserved ones, for a full or broken cell).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "amanat/calendar.h"
#include "hub.h"

int hub_point_event(PGconn *c, const char *point, const char *type, json_t *payload, struct am_error *e)
{
	char *text = json_dumps(payload, JSON_COMPACT), now[24];
	if (!text)
		return am_fail(e, AM_ENV, "out of memory");
	snprintf(now, sizeof now, "%lld", (long long)hub_now_ms());
	const char *lp[] = { point }, *q[] = { point, now, text, type };
	PGresult *r = hub_q(c, PGRES_TUPLES_OK, e, "SELECT pg_advisory_xact_lock(hashtext($1))", 1, lp);
	PQclear(r);
	if (r)
		r = hub_q(c, PGRES_COMMAND_OK, e, "INSERT INTO event (uuid, point, device, seq, type, at_ms, payload,"
			  " received_ms, upstream) VALUES (gen_random_uuid(), $1, 'HUB', 0, $4, $2::bigint,"
			  " $3::jsonb, $2::bigint, 3)", 4, q);
	free(text);
	if (!r)
		return AM_ENV;
	PQclear(r);
	return 0;
}

/* Every point the hub knows: its devices' and its registers'. */
static PGresult *points(PGconn *c, struct am_error *e)
{
	return hub_q(c, PGRES_TUPLES_OK, e, "SELECT point FROM device WHERE revoked_ms IS NULL"
		     " UNION SELECT point FROM register_doc ORDER BY 1", 0, NULL);
}

/* A working-day calendar for every point, checked as a terminal checks it. */
static int import_calendar(const char *path, size_t *n, struct am_error *e)
{
	size_t len;
	char *text = hub_read_file(path, &len, e), err[256];
	if (!text)
		return AM_REFUSED;
	bool nul = strlen(text) != len;
	struct calendar *cal = nul ? NULL : calendar_parse(text, err, sizeof err);
	if (!cal) {
		free(text);
		return am_fail(e, AM_REFUSED, "%s: %s", path, nul ? "a NUL byte" : err);
	}
	calendar_free(cal);
	const char *slash = strrchr(path, '/');
	json_t *payload = json_pack("{s:s, s:s}", "name", slash ? slash + 1 : path, "text", text);
	char *body = json_dumps(payload, JSON_COMPACT);
	free(text);
	PGconn *c = hub_pg(e);
	int rc = !c || !body ? AM_ENV : hub_exec(c, "BEGIN", e);
	PGresult *r = NULL;
	if (!rc) {
		const char *p[] = { body };
		r = hub_q(c, PGRES_COMMAND_OK, e, "INSERT INTO calendar_doc (body) VALUES ($1::jsonb)", 1, p);
		rc = r ? 0 : AM_ENV;
		PQclear(r);
		r = rc ? NULL : points(c, e);
		rc = rc ? rc : r ? 0 : AM_ENV;
	}
	for (int i = 0; !rc && i < PQntuples(r); i++, (*n)++)
		rc = hub_point_event(c, PQgetvalue(r, i, 0), "calendar", payload, e);
	PQclear(r);
	if (c && body)
		hub_exec(c, rc ? "ROLLBACK" : "COMMIT", rc ? NULL : e);
	free(body);
	json_decref(payload);
	return rc;
}

/* A postomat document to the points whose envelopes or registers go there. */
static int postomat_to_points(PGconn *c, json_t *doc, struct am_error *e)
{
	const char *id = json_string_value(json_object_get(doc, "id"));
	const char *p[] = { id };
	PGresult *r = hub_q(c, PGRES_TUPLES_OK, e, "SELECT point FROM envelope WHERE postomat = $1"
			    " UNION SELECT point FROM register_doc WHERE body->'items' @> jsonb_build_array("
			    " jsonb_build_object('postomat', $1::text))", 1, p);
	if (!r)
		return AM_ENV;
	json_t *payload = json_pack("{s:[O]}", "postomats", doc);
	int rc = 0;
	for (int i = 0; !rc && i < PQntuples(r); i++)
		rc = hub_point_event(c, PQgetvalue(r, i, 0), "postomat", payload, e);
	json_decref(payload);
	PQclear(r);
	return rc;
}

int hub_registers(PGconn *c, const struct hub_device *d, const char *point, const char *since, char **out)
{
	if (point && *point && strcmp(point, d->point)) {
		*out = hub_json_error("this device belongs to another point");
		return 403;
	}
	if (!since || !*since)
		since = "0";
	if (strspn(since, "0123456789") != strlen(since) || strlen(since) > 18) {
		*out = hub_json_error("since must be a cursor from an earlier answer");
		return 400;
	}
	if (d->courier[0]) {	/* a handheld gets its envelopes from the feed, never IINs */
		*out = strdup("{\"registers\":[],\"cursor\":\"0\"}");
		return 200;
	}
	struct am_error e = { "" };
	const char *p[] = { d->point, since };
	PGresult *r = hub_q(c, PGRES_TUPLES_OK, &e, "SELECT id, body::text FROM register_doc"
			    " WHERE point = $1 AND id > $2::bigint ORDER BY id LIMIT 100", 2, p);
	if (!r) {
		*out = hub_json_error(e.msg);
		return 503;
	}
	json_t *list = json_array();
	const char *cursor = since;
	for (int i = 0; i < PQntuples(r); i++) {
		json_error_t je;
		json_t *doc = json_loads(PQgetvalue(r, i, 1), 0, &je);
		if (doc)
			json_array_append_new(list, doc);
		cursor = PQgetvalue(r, i, 0);
	}
	json_t *doc = json_pack("{s:o, s:s}", "registers", list, "cursor", cursor);
	*out = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	PQclear(r);
	return 200;
}

int hub_postomats(PGconn *c, const char *city, char **out)
{
	struct am_error e = { "" };
	const char *p[] = { city ? city : "" };
	PGresult *r = hub_q(c, PGRES_TUPLES_OK, &e, "SELECT body::text FROM postomat_doc WHERE city = $1 ORDER BY id", 1, p);
	if (!r) {
		*out = hub_json_error(e.msg);
		return 503;
	}
	json_t *list = json_array();
	for (int i = 0; i < PQntuples(r); i++) {
		json_error_t je;
		json_t *doc = json_loads(PQgetvalue(r, i, 0), 0, &je);
		if (doc)
			json_array_append_new(list, doc);
	}
	json_t *doc = json_pack("{s:o}", "postomats", list);
	*out = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	PQclear(r);
	return 200;
}

static int put(PGconn *c, const char *sql, const char *a, const char *b, json_t *doc, struct am_error *e)
{
	char *body = json_dumps(doc, JSON_COMPACT);
	if (!body)
		return am_fail(e, AM_ENV, "out of memory");
	const char *p[] = { a, b, body };
	PGresult *r = hub_q(c, PGRES_COMMAND_OK, e, sql, 3, p);
	free(body);
	if (!r)
		return AM_ENV;
	PQclear(r);
	return 0;
}

static bool plain(const char *s, size_t max)
{
	size_t n = s ? strlen(s) : 0;
	return n > 0 && n < max && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._") == n;
}

static bool printable(const char *s, size_t max)
{
	if (!s || !*s || strlen(s) >= max)
		return false;
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

/* {"point": P, "staff": [{"badge", "name", "role", "pin_hash", "active"}]}:
 * one feed event per person, under the point's lock (feed.c's cursor rule). */
static int import_staff(json_t *root, const char *path, size_t *n, struct am_error *e)
{
	static const char *const roles[] = { "clerk", "courier", "supervisor", "sorting" };
	const char *point = json_string_value(json_object_get(root, "point"));
	json_t *list = json_object_get(root, "staff");
	if (!plain(point, 64) || !json_is_array(list))
		return am_fail(e, AM_REFUSED, "%s: a staff document is {\"point\": ID, \"staff\": [...]}", path);
	size_t i;
	json_t *p;
	json_array_foreach(list, i, p) {
		const char *role = json_string_value(json_object_get(p, "role"));
		const char *hash = json_string_value(json_object_get(p, "pin_hash"));
		bool role_ok = false;
		for (size_t r = 0; role && r < sizeof roles / sizeof *roles; r++)
			role_ok |= !strcmp(role, roles[r]);
		if (!plain(json_string_value(json_object_get(p, "badge")), 64)
		    || !printable(json_string_value(json_object_get(p, "name")), 128) || !role_ok
		    || !printable(hash, 256) || hash[0] != '$')
			return am_fail(e, AM_REFUSED, "%s: person %zu needs badge, name, role (clerk, courier,"
				       " supervisor, sorting) and pin_hash (crypt(3), from amanat staff add)", path, i + 1);
	}
	PGconn *c = hub_pg(e);
	if (!c || hub_exec(c, "BEGIN", e))
		return AM_ENV;
	const char *lp[] = { point };
	PGresult *r = hub_q(c, PGRES_TUPLES_OK, e, "SELECT pg_advisory_xact_lock(hashtext($1))", 1, lp);
	int rc = r ? 0 : AM_ENV;
	PQclear(r);
	char now[24];
	snprintf(now, sizeof now, "%lld", (long long)hub_now_ms());
	json_array_foreach(list, i, p) {
		if (rc)
			break;
		json_t *body = json_pack("{s:O, s:O, s:O, s:O, s:b}", "badge", json_object_get(p, "badge"),
					 "name", json_object_get(p, "name"), "role", json_object_get(p, "role"),
					 "pin_hash", json_object_get(p, "pin_hash"),
					 "active", !json_is_false(json_object_get(p, "active")));
		char *text = json_dumps(body, JSON_COMPACT);
		json_decref(body);
		const char *q[] = { point, now, text ? text : "{}" };
		r = hub_q(c, PGRES_COMMAND_OK, e, "INSERT INTO event (uuid, point, device, seq, type, at_ms, payload,"
			  " received_ms, upstream) VALUES (gen_random_uuid(), $1, 'HUB', 0, 'staff', $2::bigint,"
			  " $3::jsonb, $2::bigint, 3)", 3, q);
		free(text);
		rc = r ? 0 : AM_ENV;
		PQclear(r);
		(*n)++;
	}
	if (rc) {
		hub_exec(c, "ROLLBACK", NULL);
		return rc;
	}
	return hub_exec(c, "COMMIT", e);
}

int hub_import(const char *kind, const char *path, size_t *n, struct am_error *e)
{
	json_error_t je;
	*n = 0;
	if (!strcmp(kind, "calendar"))
		return import_calendar(path, n, e);
	json_t *root = json_load_file(path, 0, &je);
	if (!root)
		return am_fail(e, AM_REFUSED, "%s: not JSON (line %d: %s)", path, je.line, je.text);
	if (!strcmp(kind, "staff")) {
		*n = 0;
		int rc = import_staff(root, path, n, e);
		json_decref(root);
		return rc;
	}
	bool regs = !strcmp(kind, "register");
	json_t *list = regs ? (json_is_array(root) ? root : NULL) : json_object_get(root, "postomats");
	json_t *one = regs && json_is_object(root) ? json_pack("[O]", root) : NULL;
	if (one)
		list = one;
	int rc = json_is_array(list) ? 0 : am_fail(e, AM_REFUSED, "%s: not a %s document", path, kind);
	PGconn *c = rc ? NULL : hub_pg(e);
	if (!rc && !c)
		rc = AM_ENV;
	if (!rc)
		rc = hub_exec(c, "BEGIN", e);
	size_t i;
	json_t *doc;
	*n = 0;
	json_array_foreach(list, i, doc) {
		if (rc)
			break;
		const char *a = json_string_value(json_object_get(doc, regs ? "register" : "id"));
		const char *b = json_string_value(json_object_get(doc, regs ? "to" : "city"));
		if (!a || !b || !json_is_array(json_object_get(doc, regs ? "items" : "cells"))) {
			rc = am_fail(e, AM_REFUSED, "%s: item %zu lacks %s", path, i + 1,
				     regs ? "register, to or items" : "id, city or cells");
			break;
		}
		rc = regs ? put(c, "INSERT INTO register_doc (register, point, body) VALUES ($1, $2, $3)"
				" ON CONFLICT (register) DO NOTHING", a, b, doc, e) || hub_clock_register_open(c, doc, e)
			    || hub_clock_duplicate_arrived(c, doc, e)
			  : put(c, "INSERT INTO postomat_doc (id, city, body) VALUES ($1, $2, $3)"
				" ON CONFLICT (id) DO UPDATE SET city = excluded.city, body = excluded.body", a, b, doc, e)
			    || postomat_to_points(c, doc, e);
		(*n)++;
	}
	if (c)
		hub_exec(c, rc ? "ROLLBACK" : "COMMIT", rc ? NULL : e);
	json_decref(one);
	json_decref(root);
	return rc;
}
