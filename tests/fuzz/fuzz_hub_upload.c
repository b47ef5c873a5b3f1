/*
 * fuzz_hub_upload.c - amanat-hub's reading of an upload (POST /v1/events,
 * src/hub/batch.c): the body is parsed and checked as the hub does, and a
 * body it takes is judged whole against a view of the point's envelopes,
 * with each envelope's clock steps, as ingest does before it writes to
 * PostgreSQL.  No database: batch.c does no I/O.
 *
 * Input: byte 0 picks the state of the envelopes the hub knows already
 * (RR000000019KZ of this point, RR000000027KZ of another point), byte 1
 * whether the device is a courier's handheld; the rest is the body.
 */
#include <jansson.h>
#include "fuzz/fuzz.h"
#include "amanat/lifecycle.h"
#include "hub/hub.h"

struct hub_conf hub_conf = { .offset_min = 300 };

/* What batch.c promises of a body it took. */
static void check_judged(const struct hub_upload *u, json_t *results, json_t *closes, struct envs *t)
{
	fuzz_check(json_array_size(results) == u->n);
	size_t i, accepted = 0, stored = 0;
	for (i = 0; i < u->n; i++) {
		stored += u->ev[i].stored;
		fuzz_check(!u->ev[i].conflict || u->ev[i].stored);
	}
	json_t *r;
	json_array_foreach(results, i, r) {
		const char *st = json_string_value(json_object_get(r, "status"));
		fuzz_check(st && json_is_string(json_object_get(r, "uuid")));
		fuzz_check(!strcmp(st, "accepted") || !strcmp(st, "duplicate") || !strcmp(st, "rejected"));
		fuzz_check(strcmp(st, "rejected") || json_is_string(json_object_get(r, "reason")));
		accepted += !strcmp(st, "accepted");
	}
	fuzz_check(accepted == stored);
	json_array_foreach(closes, i, r)
		fuzz_check(json_is_string(json_object_get(r, "register")) && json_is_integer(json_object_get(r, "at")));
	json_t *cl = json_array(), *adds = json_array();
	json_t *env = hub_envelope_rows(t, cl, adds);
	json_array_foreach(env, i, r) {
		const char *st = json_string_value(json_object_get(r, "state"));
		fuzz_check(st && state_from_name(st) >= 0);
		fuzz_check(!strcmp(json_string_value(json_object_get(r, "point")), "KP-1"));	/* never another point's */
	}
	json_array_foreach(adds, i, r)
		fuzz_check(clock_from_name(json_string_value(json_object_get(r, "clock"))) >= 0);
	json_decref(env);
	json_decref(cl);
	json_decref(adds);
}

static void known(struct envs *t, const char *waybill, const char *point, unsigned state)
{
	struct env *v = hub_env_get(t, waybill, true);
	if (!v)
		abort();
	v->known = true;
	snprintf(v->point, sizeof v->point, "%s", point);
	snprintf(v->state, sizeof v->state, "%s", state_name((enum envelope_state)(state % ST__COUNT)));
	snprintf(v->last_device, sizeof v->last_device, "HH-1");
	v->last_at_ms = 1773999125123;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_bytes b = { data, size };
	unsigned state = fuzz_byte(&b), courier = fuzz_byte(&b);
	struct hub_device d = { "DESK-1", "KP-1", "" };
	if (courier & 1)
		snprintf(d.courier, sizeof d.courier, "COURIER-1");
	struct hub_upload u;
	const char *why;
	int status = hub_parse_upload(&d, (const char *)b.p, b.n, &u, &why);
	fuzz_check(status == 200 || status == 400 || status == 403);
	fuzz_check((status == 200) == (why == NULL));
	/* the upload reader takes what jansson takes: a JSON object with an
	 * events array (a NUL after a number aside: see fuzz_hub_json.c) */
	json_error_t je;
	json_t *root = json_loadb((const char *)b.p, b.n, 0, &je);
	if (!memchr(b.p, 0, b.n))
		fuzz_check((status != 400 || why[0] != 't') == json_is_array(json_object_get(root, "events")));
	if (status == 200) {
		json_t *events = json_object_get(root, "events");
		fuzz_check(json_array_size(events) == u.n);
		for (size_t i = 0; i < u.n; i++) {	/* the members the hub keeps, as jansson reads them */
			json_t *ev = json_array_get(events, i), *pl = json_object_get(ev, "payload");
			fuzz_check(!strcmp(u.ev[i].uuid, json_string_value(json_object_get(ev, "uuid"))));
			fuzz_check(!strcmp(u.ev[i].waybill, hub_str(ev, "waybill")));
			fuzz_check(!strcmp(u.ev[i].from, hub_str(pl, "from")));
			fuzz_check(u.ev[i].at_ms == json_integer_value(json_object_get(ev, "at_ms")));
			fuzz_check(u.ev[i].from_ms == json_integer_value(json_object_get(pl, "from_ms")));
			json_t *back = json_loads(u.ev[i].payload, 0, &je);
			fuzz_check(pl ? json_equal(back, pl) : !strcmp(u.ev[i].payload, "{}"));
			json_decref(back);
		}
		json_t *seen = json_object(), *results = json_array(), *closes = json_array(), *adds = json_array();
		struct envs t;
		if (hub_envs_init(&t, u.n))
			abort();
		known(&t, "RR000000019KZ", "KP-1", state);
		known(&t, "RR000000027KZ", "KP-2", state >> 4);
		hub_judge_batch(&d, &u, seen, &t, results, closes, adds);
		check_judged(&u, results, closes, &t);
		hub_envs_free(&t);
		json_decref(seen);
		json_decref(results);
		json_decref(closes);
		json_decref(adds);
	}
	json_decref(root);
	hub_upload_free(&u);
	return 0;
}
