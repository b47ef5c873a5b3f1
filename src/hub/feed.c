/*
 * feed.c - GET /v1/feed?since=CURSOR: what other devices of the point and
 * the upstream system recorded, in the order the hub stored it.
 *
 * The cursor is an event id.  Ingest takes a per-point lock for its whole
 * transaction, so within a point ids become visible in increasing order and
 * a reader resuming after id N can never miss a row that commits later with
 * a smaller id.  A courier's handheld (a device registered with --courier)
 * gets only the envelopes handed to that courier, with the envelope's
 * register data and reserved cell, so it can place them without the
 * register; desks and supervisors get the whole point.  A device never sees
 * another point: the point comes from its token, not from the request.
 * The page's ids are picked first by an index-only scan of (point, id):
 * left to itself the planner walks the primary key and filters by point,
 * which reads every other point's rows too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "hub.h"

static const char FEED_SQL[] =
	"SELECT e.id, e.uuid, e.device, e.seq, e.type, e.waybill, e.register, e.actor, e.at_ms, e.at,"
	" e.place, e.payload::text, e.conflict,"
	" (e.device <> $3 AND ($4 = '' OR e.waybill = '' OR en.courier = $4)),"
	" en.state, en.application, en.postomat, en.city, en.reserved_cell, en.courier, en.register"
	" FROM (SELECT ev.* FROM (SELECT id FROM event WHERE point = $1 AND id > $2::bigint"
	"  ORDER BY id LIMIT $5::int) page JOIN event ev USING (id)) e"
	" LEFT JOIN envelope en ON e.waybill <> '' AND en.waybill = e.waybill ORDER BY e.id";

static json_t *item(PGresult *r, int row)
{
	json_error_t je;
	json_t *payload = json_loads(PQgetvalue(r, row, 11), 0, &je);
	json_t *it = json_pack("{s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:o}",
		"cursor", PQgetvalue(r, row, 0), "uuid", PQgetvalue(r, row, 1), "device", PQgetvalue(r, row, 2),
		"seq", (json_int_t)strtoll(PQgetvalue(r, row, 3), NULL, 10), "type", PQgetvalue(r, row, 4),
		"waybill", PQgetvalue(r, row, 5), "register", PQgetvalue(r, row, 6), "actor", PQgetvalue(r, row, 7),
		"at_ms", (json_int_t)strtoll(PQgetvalue(r, row, 8), NULL, 10), "at", PQgetvalue(r, row, 9),
		"place", PQgetvalue(r, row, 10), "payload", payload ? payload : json_object());
	if (!it)
		return NULL;
	if (!PQgetisnull(r, row, 12))
		json_object_set_new(it, "conflict", json_string(PQgetvalue(r, row, 12)));
	if (!PQgetisnull(r, row, 14))
		json_object_set_new(it, "envelope", json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
			"state", PQgetvalue(r, row, 14), "application", PQgetvalue(r, row, 15),
			"postomat", PQgetvalue(r, row, 16), "city", PQgetvalue(r, row, 17),
			"reserved_cell", PQgetvalue(r, row, 18), "courier", PQgetvalue(r, row, 19),
			"register", PQgetvalue(r, row, 20)));
	return it;
}

int hub_feed(PGconn *c, const struct hub_device *d, const char *since, char **out)
{
	if (!since || !*since)
		since = "0";
	if (strspn(since, "0123456789") != strlen(since) || strlen(since) > 18) {
		*out = hub_json_error("since must be a cursor from an earlier answer");
		return 400;
	}
	char limit[24], now[24];
	long per_page = hub_conf.feed_limit > 0 ? hub_conf.feed_limit : 500;
	snprintf(limit, sizeof limit, "%ld", per_page);
	snprintf(now, sizeof now, "%lld", (long long)hub_now_ms());
	const char *p[] = { d->point, since, d->id, d->courier, limit };
	struct am_error e = { "" };
	PGresult *r = hub_q(c, PGRES_TUPLES_OK, &e, FEED_SQL, 5, p);
	if (!r) {
		*out = hub_json_error(e.msg);
		return 503;
	}
	json_t *items = json_array();
	const char *cursor = since;
	int n = PQntuples(r);
	for (int row = 0; row < n; row++) {
		cursor = PQgetvalue(r, row, 0);
		if (strcmp(PQgetvalue(r, row, 13), "t"))
			continue;
		json_t *it = item(r, row);
		if (it)
			json_array_append_new(items, it);
	}
	json_t *doc = json_pack("{s:o, s:s, s:b}", "items", items, "cursor", cursor,
				"more", n >= per_page);
	*out = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	/* What the device has confirmed having: the basis of the feed lag, a
	 * statistic, so this one commit does not wait for the disk (a crash
	 * may cost its latest value, never an event): a read stays a read. */
	const char *q[] = { d->id, since, now };
	if (!hub_exec(c, "BEGIN", &e)) {
		PGresult *u = NULL;
		if (!hub_exec(c, "SET LOCAL synchronous_commit TO off", &e))
			u = hub_q(c, PGRES_COMMAND_OK, &e, "UPDATE device SET feed_cursor = greatest(feed_cursor,"
				  " $2::bigint), last_contact_ms = $3::bigint WHERE id = $1", 3, q);
		hub_exec(c, u ? "COMMIT" : "ROLLBACK", NULL);
		PQclear(u);
	}
	PQclear(r);
	return *out ? 200 : 503;
}
