/*
 * upstream.c - the hub's relay to the upstream system, Kaspi's platform or
 * ХҚКО ИАЖ, speaking docs/protocol.md as a client.
 *
 * The outbox is the event table itself: upstream = 0 pending, 1 acknowledged,
 * 2 dead letter (rejected for good, with the reason), 3 came from upstream
 * (never sent back).  A pass claims up to 500 pending rows with FOR UPDATE
 * SKIP LOCKED inside a transaction held across the POST, so two hub
 * processes never send the same rows at once; the upstream de-duplicates by
 * uuid, so a crash after sending and before COMMIT costs a duplicate answer,
 * not a double event.  Failures back off per row (exponential, full jitter,
 * never sooner than Retry-After).  Then the pass reads the upstream's feed
 * (collections, cancellations) and stores its items as events of the
 * envelope's point, which the points' feeds hand on to their terminals.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <curl/curl.h>
#include <jansson.h>
#include "hub.h"

#define BATCH 500

struct answer {
	char *body;
	size_t len;
};

static pthread_t thread;
static atomic_bool running, stop;
static char token[512];

static size_t on_body(char *p, size_t size, size_t n, void *arg)
{
	struct answer *a = arg;
	size_t len = size * n;
	if (a->len + len > (64u << 20))
		return 0;
	char *b = realloc(a->body, a->len + len + 1);
	if (!b)
		return 0;
	memcpy(b + a->len, p, len);
	a->body = b;
	a->len += len;
	a->body[a->len] = '\0';
	return len;
}

/* One HTTP exchange with upstream; returns the HTTP status (0: no answer). */
static long call(const char *path, const char *post, struct answer *a, long *retry_after)
{
	char url[1200], auth[600];
	snprintf(url, sizeof url, "%s%s", hub_conf.upstream, path);
	snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
	CURL *c = curl_easy_init();
	if (!c)
		return 0;
	struct curl_slist *h = curl_slist_append(NULL, auth);
	h = curl_slist_append(h, "Content-Type: application/json");
	h = curl_slist_append(h, "Expect:");
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, a);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 30000L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https,http");
	if (hub_conf.upstream_cainfo)
		curl_easy_setopt(c, CURLOPT_CAINFO, hub_conf.upstream_cainfo);
	if (post) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, post);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(post));
	}
	long status = 0;
	if (curl_easy_perform(c) == CURLE_OK) {
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
		curl_off_t ra = 0;
		curl_easy_getinfo(c, CURLINFO_RETRY_AFTER, &ra);
		*retry_after = ra > 0 && ra < 3600 ? (long)ra : 0;
	}
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	return status;
}

static int64_t backoff_ms(int tries, long retry_after)
{
	int64_t cap = 1000LL << (tries < 18 ? tries : 18);
	if (cap > 300000)
		cap = 300000;
	uint32_t r;
	if (getrandom(&r, sizeof r, 0) != (ssize_t)sizeof r)
		r = (uint32_t)hub_now_ms();
	int64_t d = (int64_t)(r % (uint64_t)(cap + 1));
	return d < retry_after * 1000 ? retry_after * 1000 : d;
}

/* A row is found by its uuid and its point (points maps each claimed uuid
 * to its point): the event table is partitioned by point (pg.c migration
 * 5), and a uuid alone would be looked for in every partition. */
static int mark(PGconn *c, json_t *points, const char *uuid, int state, const char *reason, struct am_error *e)
{
	char st[4];
	snprintf(st, sizeof st, "%d", state);
	const char *point = json_string_value(json_object_get(points, uuid));
	const char *p[] = { uuid, st, reason, point ? point : "" };
	PGresult *r = hub_q(c, PGRES_COMMAND_OK, e, "UPDATE event SET upstream = $2::smallint,"
			    " upstream_reason = $3 WHERE uuid = $1::uuid AND point = $4 AND upstream = 0", 4, p);
	PQclear(r);
	return r ? 0 : AM_ENV;
}

static int postpone(PGconn *c, json_t *points, json_t *uuids, long retry_after, const char *why, struct am_error *e)
{
	json_t *rows = json_array();
	size_t i;
	json_t *u;
	json_array_foreach(uuids, i, u) {
		const char *point = json_string_value(json_object_get(points, json_string_value(u)));
		json_array_append_new(rows, json_pack("[O,s]", u, point ? point : ""));
	}
	char *arg = json_dumps(rows, JSON_COMPACT), next[24];
	json_decref(rows);
	snprintf(next, sizeof next, "%lld", (long long)hub_now_ms() + (long long)backoff_ms(1, retry_after));
	const char *p[] = { arg ? arg : "[]", next, why };
	/* per row: base doubled by its own tries */
	PGresult *r = hub_q(c, PGRES_COMMAND_OK, e, "UPDATE event SET upstream_tries = upstream_tries + 1,"
			    " upstream_next_ms = $2::bigint + least(300000, 1000 * (2 ^ least(upstream_tries, 18)))::bigint"
			    " * random(), upstream_reason = $3"
			    " WHERE (uuid, point) IN (SELECT (x->>0)::uuid, x->>1 FROM jsonb_array_elements($1::jsonb) x)", 3, p);
	free(arg);
	PQclear(r);
	return r ? 0 : AM_ENV;
}

/* Read an answer to POST /v1/events: acknowledge what it names. */
static int acknowledge(PGconn *c, json_t *points, const struct answer *a, json_t *sent, size_t *n_acked,
		       struct am_error *e)
{
	json_error_t je;
	json_t *root = a->body ? json_loadb(a->body, a->len, 0, &je) : NULL;
	json_t *results = json_object_get(root, "results");
	size_t i;
	json_t *res;
	int rc = 0;
	json_array_foreach(results, i, res) {
		const char *uuid = json_string_value(json_object_get(res, "uuid"));
		const char *st = json_string_value(json_object_get(res, "status"));
		const char *why = json_string_value(json_object_get(res, "reason"));
		if (!uuid || !st || !json_object_get(sent, uuid))
			continue;	/* not ours: ignore */
		if (!strcmp(st, "accepted") || !strcmp(st, "duplicate"))
			rc = mark(c, points, uuid, 1, st, e);
		else if (!strcmp(st, "rejected"))
			rc = mark(c, points, uuid, 2, why ? why : st, e);
		else
			continue;
		if (rc)
			break;
		(*n_acked)++;
	}
	json_decref(root);
	return rc;
}

static const char CLAIM[] =
	"SELECT uuid::text, device, seq, type, waybill, register, actor, at_ms, at, place, payload::text"
	", point FROM event WHERE upstream = 0 AND upstream_next_ms <= $1::bigint ORDER BY id LIMIT $2::int"
	" FOR UPDATE SKIP LOCKED";

static json_t *claimed_events(PGresult *r, json_t *points)
{
	json_t *events = json_array();
	for (int i = 0; i < PQntuples(r); i++) {
		json_error_t je;
		json_t *payload = json_loads(PQgetvalue(r, i, 10), 0, &je);
		json_array_append_new(events, json_pack("{s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:o}",
			"uuid", PQgetvalue(r, i, 0), "device", PQgetvalue(r, i, 1),
			"seq", (json_int_t)strtoll(PQgetvalue(r, i, 2), NULL, 10), "type", PQgetvalue(r, i, 3),
			"waybill", PQgetvalue(r, i, 4), "register", PQgetvalue(r, i, 5), "actor", PQgetvalue(r, i, 6),
			"at_ms", (json_int_t)strtoll(PQgetvalue(r, i, 7), NULL, 10), "at", PQgetvalue(r, i, 8),
			"place", PQgetvalue(r, i, 9), "payload", payload ? payload : json_object()));
		json_object_set_new(points, PQgetvalue(r, i, 0), json_string(PQgetvalue(r, i, 11)));
	}
	return events;
}

/* Send one claimed set; a whole-batch 400/422 is retried one by one so that
 * one bad event cannot hold the others back. */
static int send_set(PGconn *c, json_t *points, json_t *events, size_t *n_acked, struct am_error *e)
{
	json_t *sent = json_object(), *uuids = json_array();
	size_t i;
	json_t *ev;
	json_array_foreach(events, i, ev) {
		json_object_set(sent, json_string_value(json_object_get(ev, "uuid")), json_true());
		json_array_append(uuids, json_object_get(ev, "uuid"));
	}
	json_t *doc = json_pack("{s:s, s:O}", "device", "amanat-hub", "events", events);
	char *body = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	struct answer a = { NULL, 0 };
	long retry_after = 0, status = body ? call("/v1/events", body, &a, &retry_after) : 0;
	free(body);
	int rc = 0;
	if (status == 200) {
		rc = acknowledge(c, points, &a, sent, n_acked, e);
	} else if ((status == 400 || status == 422) && json_array_size(events) > 1) {
		json_array_foreach(events, i, ev) {
			json_t *one = json_pack("[O]", ev);
			rc = send_set(c, points, one, n_acked, e);
			json_decref(one);
			if (rc)
				break;
		}
	} else if (status == 400 || status == 422) {
		char why[300];
		snprintf(why, sizeof why, "HTTP %ld: %.200s", status, a.body ? a.body : "");
		rc = mark(c, points, json_string_value(json_array_get(uuids, 0)), 2, why, e);
	} else {
		char why[64];
		snprintf(why, sizeof why, status ? "HTTP %ld" : "no answer", status);
		rc = postpone(c, points, uuids, retry_after, why, e);
		hub_log("warn", "upstream_failed", "\"status\":%ld,\"events\":%zu", status, json_array_size(events));
	}
	free(a.body);
	json_decref(sent);
	json_decref(uuids);
	return rc;
}

static int send_outbox(PGconn *c, size_t *n_acked, struct am_error *e)
{
	char now[24], limit[8];
	snprintf(now, sizeof now, "%lld", (long long)hub_now_ms());
	snprintf(limit, sizeof limit, "%d", BATCH);
	if (hub_exec(c, "BEGIN", e))
		return AM_ENV;
	const char *p[] = { now, limit };
	PGresult *r = hub_q(c, PGRES_TUPLES_OK, e, CLAIM, 2, p);
	if (!r) {
		hub_exec(c, "ROLLBACK", NULL);
		return AM_ENV;
	}
	json_t *points = json_object();
	json_t *events = claimed_events(r, points);
	PQclear(r);
	int rc = json_array_size(events) ? send_set(c, points, events, n_acked, e) : 0;
	json_decref(events);
	json_decref(points);
	if (rc) {
		hub_exec(c, "ROLLBACK", NULL);
		return rc;
	}
	return hub_exec(c, "COMMIT", e);
}

/* Items of the upstream feed become events of their envelope's point. */
static int pull_feed(PGconn *c, size_t *n_new, struct am_error *e)
{
	char cursor[32] = "0", path[80];
	PGresult *r = hub_q(c, PGRES_TUPLES_OK, e, "SELECT v FROM upstream_state WHERE k = 'feed_cursor'", 0, NULL);
	if (!r)
		return AM_ENV;
	if (PQntuples(r))
		snprintf(cursor, sizeof cursor, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	snprintf(path, sizeof path, "/v1/feed?since=%s", cursor);
	struct answer a = { NULL, 0 };
	long ra = 0, status = call(path, NULL, &a, &ra);
	if (status == 404) {	/* an upstream without a feed */
		free(a.body);
		return 0;
	}
	json_error_t je;
	json_t *root = status == 200 && a.body ? json_loadb(a.body, a.len, 0, &je) : NULL;
	free(a.body);
	json_t *items = json_object_get(root, "items");
	const char *next = json_string_value(json_object_get(root, "cursor"));
	if (!json_is_array(items) || !next || strspn(next, "0123456789") != strlen(next) || strlen(next) > 18) {
		json_decref(root);
		return am_fail(e, AM_ENV, "upstream feed: HTTP %ld or not a feed", status);
	}
	size_t i;
	json_t *it;
	int rc = 0;
	json_array_foreach(items, i, it) {
		const char *w = json_string_value(json_object_get(it, "waybill"));
		const char *p[] = { w ? w : "" };
		r = hub_q(c, PGRES_TUPLES_OK, e, "SELECT point FROM envelope WHERE waybill = $1", 1, p);
		if (!r) {
			rc = AM_ENV;
			break;
		}
		if (PQntuples(r) == 1) {
			struct hub_device up = { "UPSTREAM", "", "" };
			snprintf(up.point, sizeof up.point, "%s", PQgetvalue(r, 0, 0));
			json_t *ev = json_deep_copy(it), *batch = json_array(), *results = json_array();
			json_object_set_new(ev, "device", json_string("UPSTREAM"));
			if (!json_object_get(ev, "seq"))
				json_object_set_new(ev, "seq", json_integer(0));
			json_array_append_new(batch, ev);
			size_t n = 0;
			struct hub_upload u;
			rc = hub_upload_from_json(batch, &u) ? am_fail(e, AM_ENV, "out of memory")
				: hub_store_batch(c, &up, &u, results, &n, true, e);
			hub_upload_free(&u);
			*n_new += n;
			json_decref(batch);
			json_decref(results);
		} else {
			hub_log("warn", "upstream_unknown_waybill", "\"item\":%zu", i);
		}
		PQclear(r);
		if (rc)
			break;
	}
	if (!rc) {
		const char *p[] = { next };
		r = hub_q(c, PGRES_COMMAND_OK, e, "INSERT INTO upstream_state VALUES ('feed_cursor', $1)"
			  " ON CONFLICT (k) DO UPDATE SET v = excluded.v", 1, p);
		rc = r ? 0 : AM_ENV;
		PQclear(r);
	}
	json_decref(root);
	return rc;
}

int hub_upstream_pass(PGconn *c, struct am_error *e)
{
	size_t acked = 0, pulled = 0;
	int rc = send_outbox(c, &acked, e);
	if (!rc)
		rc = pull_feed(c, &pulled, e);
	if (acked || pulled)
		hub_log("info", "upstream_pass", "\"acknowledged\":%zu,\"pulled\":%zu", acked, pulled);
	return rc;
}

static void *loop(void *arg)
{
	(void)arg;
	while (!atomic_load(&stop)) {
		struct am_error e = { "" };
		PGconn *c = hub_pg(&e);
		if (!c || hub_upstream_pass(c, &e)) {
			json_t *m = json_string(e.msg);
			char *q = json_dumps(m, JSON_ENCODE_ANY);
			hub_log("warn", "upstream_pass_failed", "\"why\":%s", q ? q : "\"\"");
			free(q);
			json_decref(m);
		}
		for (long waited = 0; waited < hub_conf.upstream_interval_ms && !atomic_load(&stop); waited += 50) {
			struct timespec ts = { 0, 50 * 1000000L };
			nanosleep(&ts, NULL);
		}
	}
	return NULL;
}

int hub_upstream_start(void)
{
	if (hub_conf.upstream_token_file) {
		struct am_error e;
		char *t = hub_read_file(hub_conf.upstream_token_file, NULL, &e);
		if (!t) {
			hub_log("error", "upstream_token_unreadable", "%s", "");
			return AM_ENV;
		}
		t[strcspn(t, "\r\n")] = '\0';
		snprintf(token, sizeof token, "%s", t);
		free(t);
	}
	atomic_store(&stop, false);
	if (pthread_create(&thread, NULL, loop, NULL))
		return AM_ENV;
	atomic_store(&running, true);
	return 0;
}

int hub_upstream_dead(struct am_error *e)
{
	PGconn *c = hub_pg(e);
	if (!c)
		return AM_ENV;
	PGresult *r = hub_q(c, PGRES_TUPLES_OK, e, "SELECT id, uuid, point, device, type, waybill, upstream_reason"
			    " FROM event WHERE upstream = 2 ORDER BY id", 0, NULL);
	if (!r)
		return AM_ENV;
	printf("id\tuuid\tpoint\tdevice\ttype\twaybill\twhy\n");
	for (int i = 0; i < PQntuples(r); i++)
		printf("%s\t%s\t%s\t%s\t%s\t%s\t%s\n", PQgetvalue(r, i, 0), PQgetvalue(r, i, 1), PQgetvalue(r, i, 2),
		       PQgetvalue(r, i, 3), PQgetvalue(r, i, 4), PQgetvalue(r, i, 5), PQgetvalue(r, i, 6));
	PQclear(r);
	return 0;
}

int hub_upstream_resend(const char *which, struct am_error *e)
{
	bool all = !strcmp(which, "all");
	if (!all && !hub_is_uuid(which))
		return am_fail(e, AM_USAGE, "resend takes a dead letter's uuid (amanat-hub upstream dead) or all");
	PGconn *c = hub_pg(e);
	if (!c)
		return AM_ENV;
	const char *p[] = { all ? "" : which };
	PGresult *r = hub_q(c, PGRES_COMMAND_OK, e, "UPDATE event SET upstream = 0, upstream_tries = 0,"
			    " upstream_next_ms = 0 WHERE upstream = 2 AND ($1 = '' OR uuid = $1::uuid)", 1, p);
	if (!r)
		return AM_ENV;
	int n = (int)strtol(PQcmdTuples(r), NULL, 10);
	PQclear(r);
	if (!n)
		return am_fail(e, AM_REFUSED, "no dead letter %s", which);
	hub_log("info", "upstream_resend", "\"events\":%d", n);
	printf("%d event(s) back in the outbox\n", n);
	return 0;
}

void hub_upstream_stop(void)
{
	if (!atomic_load(&running))
		return;
	atomic_store(&stop, true);
	pthread_join(thread, NULL);
	atomic_store(&running, false);
}
