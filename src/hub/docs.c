/*
 * docs.c - the documents that come down to terminals as they are: registers
 * addressed to a point (GET /v1/registers, resumable by cursor) and the
 * postomats of a city with their cells and reservations (GET
 * /v1/postomats), in the same shapes as docs/protocol.md.  They reach the
 * hub from upstream (upstream.c) or from `amanat-hub register|postomat
 * import FILE`.  A device reads only its own point's registers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "hub.h"

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

int hub_import(const char *kind, const char *path, size_t *n, struct am_error *e)
{
	json_error_t je;
	json_t *root = json_load_file(path, 0, &je);
	if (!root)
		return am_fail(e, AM_REFUSED, "%s: not JSON (line %d: %s)", path, je.line, je.text);
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
				" ON CONFLICT (register) DO NOTHING", a, b, doc, e)
			  : put(c, "INSERT INTO postomat_doc (id, city, body) VALUES ($1, $2, $3)"
				" ON CONFLICT (id) DO UPDATE SET city = excluded.city, body = excluded.body", a, b, doc, e);
		(*n)++;
	}
	if (c)
		hub_exec(c, rc ? "ROLLBACK" : "COMMIT", rc ? NULL : e);
	json_decref(one);
	json_decref(root);
	return rc;
}
