/*
 * feed.c - GET /v1/feed?since=CURSOR: what other devices of the point and
 * the upstream system recorded, in the order the hub stored it.
 *
 * The cursor is an event id.  Ingest holds a per-point lock from its events'
 * insert to its COMMIT, so within a point ids become visible in increasing
 * order and a reader resuming after id N can never miss a row that commits
 * later with a smaller id.  A courier's handheld (a device registered with --courier)
 * gets only the envelopes handed to that courier, with the envelope's
 * register data and reserved cell, so it can place them without the
 * register; desks and supervisors get the whole point.  A device never sees
 * another point: the point comes from its token, not from the request.
 * The event table is partitioned by point (pg.c migration 5: 64 hash
 * partitions), its primary key (point, id).  The page is one scan of one
 * partition's primary key from the cursor (keyset: no OFFSET, the same cost
 * at any depth): "point = P AND id > N" names the partition (pruned when
 * the statement is planned) and both bounds are the index's start.  A
 * point's rows lie together in its partition, shared with the few points
 * that hash alike, so 500 rows are a few dozen heap pages; in one table of
 * every point they were one page a row (10,000,000 events of 50 points:
 * ~505 buffers a page, 6-12 ms, EXPLAIN (ANALYZE, BUFFERS); now ~27,
 * 0.5 ms).  Row comparisons (the earlier statement) prune nothing: every
 * partition would be scanned.  It is planned for its parameters at each
 * page (hub_q_custom), never from a generic plan made once, and with
 * sorts, bitmap and sequential scans and hash or merge joins off for its
 * transaction: on a partition not yet analysed the planner guessed 33 rows
 * and read every row of the point after the cursor to sort them
 * (tests/hub/feed_plan.sh); the ordered index scan is right at any size.
 * Each item's envelope is found by its primary key, the waybills in
 * byte order (the column is COLLATE "C", migration 6; before, the key
 * followed the database's collation, C.UTF-8 here, whose every comparison
 * is a strcoll(), and an extra index in "C" served this); 500 look-ups took
 * 10-20 ms of a page at 10,000,000 events, 2.5-6 ms in byte order.  Ordered
 * by id, as the scan gives the rows, the page needs no sort; the rows come
 * straight from that scan (picking ids first and joining them by primary
 * key touched four times the buffers).  The envelopes
 * come by primary key in the same statement, and the answer is written straight
 * from the result as JSON text (the payload is stored as jsonb and goes out
 * as PostgreSQL prints it): building it as jansson objects, or with
 * PostgreSQL's json_build_object, cost more than the query itself
 * (~35 us an item, measured).  The device's cursor is recorded in the same
 * transaction, after the page is read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hub.h"

static const char FEED_SQL[] =
	"SELECT e.id, e.uuid, e.device, e.seq, e.type, e.waybill, e.register, e.actor, e.at_ms, e.at,"
	" e.place, e.payload::text, e.conflict,"
	" (e.device <> $3 AND ($4 = '' OR e.waybill = '' OR en.courier = $4)),"
	" en.state, en.application, en.postomat, en.city, en.reserved_cell, en.courier, en.register"
	" FROM (SELECT * FROM event WHERE point = $1 AND id > $2::bigint ORDER BY id LIMIT $5::int) e"
	" LEFT JOIN envelope en ON e.waybill <> '' AND en.waybill COLLATE \"C\" = e.waybill"
	" ORDER BY e.id";

/* The page's transaction: the only plan left is the ordered index scan of
 * one partition and envelope look-ups by key (see above); its one write,
 * the device's cursor, need not wait for the disk. */
static const char PLAN_SQL[] =
	"SELECT set_config('enable_sort', 'off', true), set_config('enable_bitmapscan', 'off', true),"
	" set_config('enable_seqscan', 'off', true), set_config('enable_hashjoin', 'off', true),"
	" set_config('enable_mergejoin', 'off', true), set_config('synchronous_commit', 'off', true)";

/* A JSON string: the text between quotes, escaped. */
static void str(struct hub_buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	hub_buf_raw(b, "\"", 1);
	const char *run = s;
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch >= 0x20 && ch != '"' && ch != '\\')
			continue;
		hub_buf_raw(b, run, (size_t)(s - run));
		char esc[6] = { '\\', 'u', '0', '0', hex[ch >> 4], hex[ch & 15] };
		size_t n = 6;
		if (ch == '\n' || ch == '\t' || ch == '\r' || ch == '"' || ch == '\\') {
			static const char short_of[] = "\nn\tt\rr\"\"\\\\";
			esc[1] = strchr(short_of, (char)ch)[1];	/* \n \t \r \" \\ */
			n = 2;
		}
		hub_buf_raw(b, esc, n);
		run = s + 1;
	}
	hub_buf_raw(b, run, (size_t)(s - run));
	hub_buf_raw(b, "\"", 1);
}

/* ,"key": followed by a string, or by a number or object as it is. */
static void member(struct hub_buf *b, const char *key, const char *value, bool quoted)
{
	hub_buf_raw(b, ",\"", 2);
	hub_buf_raw(b, key, strlen(key));
	hub_buf_raw(b, "\":", 2);
	if (quoted)
		str(b, value);
	else
		hub_buf_raw(b, value, strlen(value));
}

static void item(struct hub_buf *b, PGresult *r, int row, bool first)
{
	static const char *const text_cols[] = { "uuid", "device", NULL, "type", "waybill", "register", "actor",
						 NULL, "at", "place" };
	hub_buf_raw(b, first ? "{\"cursor\":" : ",{\"cursor\":", first ? 10 : 11);
	str(b, PQgetvalue(r, row, 0));
	for (int k = 1; k <= 10; k++)	/* seq and at_ms are numbers */
		member(b, text_cols[k - 1] ? text_cols[k - 1] : k == 3 ? "seq" : "at_ms", PQgetvalue(r, row, k),
		       text_cols[k - 1] != NULL);
	member(b, "payload", PQgetvalue(r, row, 11), false);
	if (!PQgetisnull(r, row, 12))
		member(b, "conflict", PQgetvalue(r, row, 12), true);
	if (!PQgetisnull(r, row, 14)) {
		static const char *const env[] = { "state", "application", "postomat", "city", "reserved_cell",
						   "courier", "register" };
		hub_buf_raw(b, ",\"envelope\":{\"state\":", 21);
		str(b, PQgetvalue(r, row, 14));
		for (int k = 1; k < 7; k++)
			member(b, env[k], PQgetvalue(r, row, 14 + k), true);
		hub_buf_raw(b, "}", 1);
	}
	hub_buf_raw(b, "}", 1);
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
	PGresult *r = NULL;
	if (!hub_exec(c, "BEGIN", &e)) {
		r = hub_q(c, PGRES_TUPLES_OK, &e, PLAN_SQL, 0, NULL);
		PQclear(r);
		r = r ? hub_q_custom(c, PGRES_TUPLES_OK, &e, FEED_SQL, 5, p) : NULL;
		if (!r)
			hub_exec(c, "ROLLBACK", NULL);
	}
	if (!r) {
		*out = hub_json_error(e.msg);
		return 503;
	}
	struct hub_buf b = { 0 };
	const char *cursor = since;
	int n = PQntuples(r), shown = 0;
	hub_buf_raw(&b, "{\"items\":[", 10);
	for (int row = 0; row < n; row++) {
		cursor = PQgetvalue(r, row, 0);
		if (!strcmp(PQgetvalue(r, row, 13), "t"))
			item(&b, r, row, !shown++);
	}
	hub_buf_raw(&b, "],\"cursor\":", 11);
	str(&b, cursor);
	hub_buf_raw(&b, n >= per_page ? ",\"more\":true}" : ",\"more\":false}", n >= per_page ? 13 : 14);
	*out = b.oom ? NULL : b.p;
	if (!*out)
		hub_buf_free(&b);
	/* What the device has confirmed having: the basis of the feed lag, a
	 * statistic, so this one commit does not wait for the disk (a crash
	 * may cost its latest value, never an event: synchronous_commit off
	 * in PLAN_SQL): a read stays a read. */
	const char *q[] = { d->id, since, now };
	PGresult *u = hub_q(c, PGRES_COMMAND_OK, &e, "UPDATE device SET feed_cursor = greatest(feed_cursor,"
			    " $2::bigint), last_contact_ms = $3::bigint WHERE id = $1", 3, q);
	hub_exec(c, u ? "COMMIT" : "ROLLBACK", NULL);
	PQclear(u);
	PQclear(r);
	return *out ? 200 : 503;
}
