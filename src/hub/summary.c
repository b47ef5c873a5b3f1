/*
 * summary.c - GET /v1/point/summary (the whole point on the supervisor's
 * screen) and /metrics (Prometheus text).  Both read PostgreSQL only.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "hub.h"

extern atomic_ullong hub_requests, hub_ingested_batches;

static json_t *rows_object(PGresult *r)
{
	json_t *o = json_object();
	for (int i = 0; i < PQntuples(r); i++)
		json_object_set_new(o, PQgetvalue(r, i, 0), json_integer(strtoll(PQgetvalue(r, i, 1), NULL, 10)));
	return o;
}

static PGresult *q1(PGconn *c, const char *sql, const char *point, struct am_error *e)
{
	const char *p[] = { point };
	return hub_q(c, PGRES_TUPLES_OK, e, sql, 1, p);
}

int hub_summary(PGconn *c, const struct hub_device *d, char **out)
{
	struct am_error e = { "" };
	PGresult *states = q1(c, "SELECT state, count(*) FROM envelope WHERE point = $1 GROUP BY state", d->point, &e);
	PGresult *people = states ? q1(c, "SELECT actor, count(*) FROM event WHERE point = $1 AND waybill <> ''"
				      " AND actor <> '' AND received_ms > (extract(epoch from now()) * 1000)::bigint - 86400000"
				      " GROUP BY actor", d->point, &e) : NULL;
	PGresult *conf = people ? q1(c, "SELECT id, uuid, device, type, waybill, actor, at_ms, conflict FROM event"
				    " WHERE point = $1 AND conflict IS NOT NULL AND resolved_ms IS NULL ORDER BY id",
				    d->point, &e) : NULL;
	PGresult *devs = conf ? q1(c, "SELECT d.id, d.courier, d.last_contact_ms, d.last_seq, d.events,"
				  " (SELECT count(*) FROM event e WHERE e.point = d.point AND e.id > d.feed_cursor"
				  "  AND e.device <> d.id) FROM device d WHERE d.point = $1 AND d.revoked_ms IS NULL"
				  " ORDER BY d.id", d->point, &e) : NULL;
	json_t *deadlines = devs ? hub_deadlines(c, d->point, hub_now_ms(), &e) : NULL;
	if (!deadlines) {
		PQclear(devs);
		PQclear(states);
		PQclear(people);
		PQclear(conf);
		*out = hub_json_error(e.msg);
		return 503;
	}
	json_t *conflicts = json_array(), *devices = json_array();
	for (int i = 0; i < PQntuples(conf); i++)
		json_array_append_new(conflicts, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:s}",
			"id", (json_int_t)strtoll(PQgetvalue(conf, i, 0), NULL, 10), "uuid", PQgetvalue(conf, i, 1),
			"device", PQgetvalue(conf, i, 2), "type", PQgetvalue(conf, i, 3),
			"waybill", PQgetvalue(conf, i, 4), "actor", PQgetvalue(conf, i, 5),
			"at_ms", (json_int_t)strtoll(PQgetvalue(conf, i, 6), NULL, 10), "why", PQgetvalue(conf, i, 7)));
	for (int i = 0; i < PQntuples(devs); i++)
		json_array_append_new(devices, json_pack("{s:s, s:s, s:I, s:I, s:I, s:I}",
			"device", PQgetvalue(devs, i, 0), "courier", PQgetvalue(devs, i, 1),
			"last_contact_ms", (json_int_t)strtoll(PQgetvalue(devs, i, 2), NULL, 10),
			"last_seq", (json_int_t)strtoll(PQgetvalue(devs, i, 3), NULL, 10),
			"events", (json_int_t)strtoll(PQgetvalue(devs, i, 4), NULL, 10),
			"feed_backlog", (json_int_t)strtoll(PQgetvalue(devs, i, 5), NULL, 10)));
	json_t *doc = json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:I}", "point", d->point,
				"states", rows_object(states), "people", rows_object(people),
				"deadlines", deadlines, "conflicts", conflicts, "devices", devices,
				"at_ms", (json_int_t)hub_now_ms());
	*out = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	PQclear(states);
	PQclear(people);
	PQclear(conf);
	PQclear(devs);
	return 200;
}

int hub_metrics(PGconn *c, char **out)
{
	struct am_error e = { "" };
	PGresult *r = hub_q(c, PGRES_TUPLES_OK, &e,
		"SELECT (SELECT coalesce(max(id), 0) FROM event),"
		" (SELECT count(*) FROM event WHERE upstream = 0),"
		" (SELECT count(*) FROM event WHERE upstream = 2),"
		" (SELECT count(*) FROM event WHERE conflict IS NOT NULL AND resolved_ms IS NULL),"
		" (SELECT coalesce(max((SELECT coalesce(max(id), 0) FROM event e WHERE e.point = d.point)"
		"  - d.feed_cursor), 0) FROM device d WHERE d.revoked_ms IS NULL),"
		" (SELECT count(*) FROM device WHERE revoked_ms IS NULL)", 0, NULL);
	if (!r) {
		*out = hub_json_error(e.msg);
		return 503;
	}
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (!f) {
		PQclear(r);
		return 503;
	}
	fprintf(f, "# HELP amanat_hub_events_total Events stored (the highest event id).\n"
		"# TYPE amanat_hub_events_total counter\namanat_hub_events_total %s\n", PQgetvalue(r, 0, 0));
	fprintf(f, "# HELP amanat_hub_ingest_batches_total Batches ingested by this process.\n"
		"# TYPE amanat_hub_ingest_batches_total counter\namanat_hub_ingest_batches_total %llu\n",
		(unsigned long long)atomic_load(&hub_ingested_batches));
	fprintf(f, "# HELP amanat_hub_requests_total Requests served by this process.\n"
		"# TYPE amanat_hub_requests_total counter\namanat_hub_requests_total %llu\n",
		(unsigned long long)atomic_load(&hub_requests));
	fprintf(f, "# HELP amanat_hub_upstream_backlog Events not yet acknowledged upstream.\n"
		"# TYPE amanat_hub_upstream_backlog gauge\namanat_hub_upstream_backlog %s\n", PQgetvalue(r, 0, 1));
	fprintf(f, "# HELP amanat_hub_upstream_dead Events upstream rejected for good.\n"
		"# TYPE amanat_hub_upstream_dead gauge\namanat_hub_upstream_dead %s\n", PQgetvalue(r, 0, 2));
	fprintf(f, "# HELP amanat_hub_open_conflicts Conflicts not yet resolved.\n"
		"# TYPE amanat_hub_open_conflicts gauge\namanat_hub_open_conflicts %s\n", PQgetvalue(r, 0, 3));
	fprintf(f, "# HELP amanat_hub_feed_lag_events The most events a device has still to read.\n"
		"# TYPE amanat_hub_feed_lag_events gauge\namanat_hub_feed_lag_events %s\n", PQgetvalue(r, 0, 4));
	fprintf(f, "# HELP amanat_hub_devices Devices with a valid token.\n"
		"# TYPE amanat_hub_devices gauge\namanat_hub_devices %s\n", PQgetvalue(r, 0, 5));
	fclose(f);
	PQclear(r);
	*out = text;
	return 200;
}
