/*
 * batch.c - a device's upload (POST /v1/events) read and judged in memory,
 * before anything touches PostgreSQL (ingest.c does that part): the body is
 * checked at the edge (the required fields and their types, the device the
 * token names), and each new event is judged against the hub's view of its
 * envelope with src/core's one table of transitions:
 *   - an event the life cycle refuses from the hub's state, one the device
 *     made from another state than the hub's (its payload's "from": it acted
 *     on a stale view, offline), or one made before another device's later
 *     change (when it names no "from") - the desk records a loss while a
 *     courier places it - is stored all the same and marked a conflict,
 *     never dropped; the hub's state stays with the first record;
 *   - an event for an envelope of another point is rejected.
 * Each envelope's clock steps (core's clock_step_of) are folded into what
 * the database must do once the batch is judged (clock.c writes it).
 * Nothing here does I/O, so tests/fuzz/fuzz_hub_upload.c runs it whole.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "amanat/lifecycle.h"
#include "amanat/timeutil.h"
#include "hub.h"

static size_t hash(const char *s)
{
	size_t h = 1469598103934665603u;
	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211u;
	return h;
}

struct env *hub_env_get(struct envs *t, const char *waybill, bool add)
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

int hub_envs_init(struct envs *t, size_t n_events)
{
	t->cap = 16;
	while (t->cap < 2 * n_events + 16)
		t->cap <<= 1;
	t->slot = calloc(t->cap, sizeof *t->slot);
	return t->slot ? 0 : -1;
}

void hub_envs_free(struct envs *t)
{
	for (size_t i = 0; i < t->cap; i++)
		free(t->slot[i].waybill);
	free(t->slot);
}

bool hub_is_uuid(const char *u)
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

const char *hub_str(json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));
	return v ? v : "";
}

/* src into dst of len bytes, cut to fit (never inside a UTF-8 sequence);
 * "" and NULL leave dst as it is.  (snprintf was a tenth of the hub's CPU
 * in a burst.) */
static void put(char *dst, size_t len, const char *src)
{
	size_t n = strlen(src);
	if (n >= len) {
		n = len - 1;
		while (n && ((unsigned char)src[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static void copy(char *dst, size_t len, const char *src)
{
	if (src && *src)
		put(dst, len, src);
}

/* Apply one new event to the batch's view of its envelope; returns the
 * conflict sentence (malloc'd) or NULL; *reject set when refused. */
static char *judge(struct env *v, const struct hub_ev *ev, int type, const char *device, const char *point,
		   char **reject)
{
	char buf[400];
	int64_t at = ev->at_ms;
	if (v->known && strcmp(v->point, point)) {
		snprintf(buf, sizeof buf, "waybill %s belongs to another point", v->waybill);
		*reject = strdup(buf);
		return NULL;
	}
	/* Every desk of the point imports the point's registers and records
	 * each line as registered: the same fact again, not a conflict. */
	if (v->known && type == EV_REGISTERED)
		return NULL;
	int from = v->known ? state_from_name(v->state) : state_from_name(ev->from);
	if (from < 0)
		from = ST_NONE;
	int next = lifecycle_next((enum envelope_state)from, (enum event_type)type);
	char *conflict = NULL;
	const char *seen = ev->from;
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
		next = state_from_name(ev->to) >= 0 ? state_from_name(ev->to) : from;
	if (!v->known)
		put(v->point, sizeof v->point, point);
	v->known = v->changed = true;
	put(v->state, sizeof v->state, state_name((enum envelope_state)next));
	copy(v->register_id, sizeof v->register_id, ev->reg);
	copy(v->application, sizeof v->application, ev->application);
	copy(v->postomat, sizeof v->postomat, ev->postomat);
	copy(v->city, sizeof v->city, ev->city);
	copy(v->reserved_cell, sizeof v->reserved_cell, ev->reserved_cell);
	copy(v->courier, sizeof v->courier, ev->courier);
	copy(v->cell, sizeof v->cell, ev->cell);
	if (next != from) {
		put(v->last_device, sizeof v->last_device, device);
		v->last_at_ms = at;
	}
	hub_clock_step(&v->clocks, (enum event_type)type, ev->until, at);
	return NULL;
}

json_t *hub_envelope_rows(struct envs *t, json_t *closes, json_t *adds)
{
	json_t *rows = json_array();
	for (size_t i = 0; i < t->cap; i++) {
		struct env *v = &t->slot[i];
		if (!v->waybill || !v->changed)
			continue;
		hub_clock_rows(v->point, v->waybill, &v->clocks, closes, adds);
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
/* A force majeure's §38 notice clock: opened by its start (from its from_ms,
 * as the recording terminal opens it), closed by its notice; both in one
 * batch leave nothing open. */
static void force_majeure_clock(json_t *adds, json_t *closes, const char *point, int type, const struct hub_ev *ev,
				int64_t at)
{
	const char *id = ev->id;
	if (!*id || (type != EV_FORCE_MAJEURE && type != EV_FORCE_MAJEURE_NOTIFIED))
		return;
	if (type == EV_FORCE_MAJEURE) {
		json_int_t from = ev->from_ms;
		json_array_append_new(adds, json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:I}", "point", point,
			"waybill", "", "register", id, "clock", clock_name(CLOCK_FORCE_MAJEURE_NOTICE),
			"started_ms", from, "basis_ms", from, "prior_ms", (json_int_t)0));
		return;
	}
	size_t i;
	json_t *a;
	json_array_foreach(adds, i, a)
		if (!strcmp(hub_str(a, "register"), id)) {
			json_array_remove(adds, i);
			return;
		}
	json_array_append_new(closes, json_pack("{s:s, s:s, s:s, s:I}", "waybill", "", "register", id,
						"clock", clock_name(CLOCK_FORCE_MAJEURE_NOTICE), "at", (json_int_t)at));
}

void hub_judge_batch(const struct hub_device *d, struct hub_upload *u, json_t *seen, struct envs *t,
		     json_t *results, json_t *reg_closes, json_t *adds)
{
	json_t *regs_seen = json_object();
	for (size_t i = 0; i < u->n; i++) {
		struct hub_ev *ev = &u->ev[i];
		const char *uuid = ev->uuid;
		int type = event_from_name(ev->type);
		char *reject = NULL, *conflict = NULL;
		free(ev->conflict);	/* judged again after a retry */
		free(ev->reason);
		ev->conflict = ev->reason = NULL;
		ev->stored = false;
		if (!hub_is_uuid(uuid))
			reject = strdup("uuid is not a UUID");
		else if (strcmp(ev->device, d->id))
			reject = strdup("a device may post only its own events");
		else if (type < 0)
			reject = strdup("unknown event type");
		else if (json_object_get(seen, uuid)) {
			ev->status = "duplicate";
			if (results)
				json_array_append_new(results, json_pack("{s:s,s:s}", "uuid", uuid, "status", "duplicate"));
			continue;
		} else if (*ev->waybill && event_is_envelope_event((enum event_type)type))
			conflict = judge(hub_env_get(t, ev->waybill, true), ev, type, d->id, d->point, &reject);
		if (reject) {
			ev->status = "rejected";
			ev->reason = reject;
			if (results)
				json_array_append_new(results, json_pack("{s:s,s:s,s:s}", "uuid", uuid, "status",
									 "rejected", "reason", reject));
			continue;
		}
		json_object_set_new_nocheck(seen, uuid, json_true());	/* twice in one batch: once */
		if (!conflict) {
			hub_clock_register_step(reg_closes, regs_seen, (enum event_type)type, ev->reg, ev->at_ms);
			force_majeure_clock(adds, reg_closes, d->point, type, ev, ev->at_ms);
		}
		ev->stored = true;
		ev->conflict = conflict;
		ev->status = "accepted";
		if (!results)
			continue;
		json_t *res = json_pack("{s:s,s:s}", "uuid", uuid, "status", "accepted");
		if (conflict)
			json_object_set_new(res, "conflict", json_string(conflict));
		json_array_append_new(results, res);
	}
	json_decref(regs_seen);
}

/* The clocks that run on an envelope (the rest run on a register). */
static const enum pilot_clock envelope_clocks[] = {
	CLOCK_WAIT_AT_POINT, CLOCK_STORAGE, CLOCK_RETURN, CLOCK_DUPLICATE, CLOCK_LATE_DELIVERY,
};
#define N_ENVELOPE_CLOCKS (sizeof envelope_clocks / sizeof *envelope_clocks)

static void close_kind(struct hub_env_clocks *k, int clock, int64_t at)
{
	for (int i = 0; i < k->n_add; i++)
		if (clock == CLOCK_ALL || k->add[i].clock == clock)
			k->add[i--] = k->add[--k->n_add];	/* opened and closed within the batch */
	for (size_t i = 0; i < N_ENVELOPE_CLOCKS; i++) {
		enum pilot_clock c = envelope_clocks[i];
		if ((clock == CLOCK_ALL || (int)c == clock) && !k->close_db[c])
			k->close_db[c] = at;
	}
}

void hub_clock_step(struct hub_env_clocks *k, enum event_type t, const char *new_date, int64_t at)
{
	struct clock_step s = clock_step_of(t);
	int64_t basis = at, prior = 0, day;
	if (s.basis == CLOCK_BASIS_NEW_DATE) {
		if (!new_date || date_parse(new_date, &day))
			s.open = CLOCK_NONE;
		else
			basis = clock_new_date_due(day, hub_conf.offset_min);
	} else if (s.basis == CLOCK_BASIS_STORAGE_END) {
		/* the end of storage is reckoned when read (calendar, force majeure) */
		prior = k->close_db[CLOCK_STORAGE] ? 0 : k->storage_basis;
		for (int i = 0; i < k->n_add; i++)
			if (k->add[i].clock == CLOCK_STORAGE)
				prior = k->add[i].basis;
	}
	if (s.close != CLOCK_NONE)
		close_kind(k, s.close, at);
	if (s.open == CLOCK_NONE)
		return;
	close_kind(k, s.open, at);	/* one open clock of a kind */
	if (k->n_add < CLOCK__COUNT)
		k->add[k->n_add++] = (struct hub_clock_add){ s.open, at, basis, prior };
}

void hub_clock_rows(const char *point, const char *waybill, const struct hub_env_clocks *k,
		    json_t *closes, json_t *adds)
{
	for (size_t i = 0; closes && i < N_ENVELOPE_CLOCKS; i++) {
		enum pilot_clock c = envelope_clocks[i];
		if (k->close_db[c])
			json_array_append_new(closes, json_pack("{s:s, s:s, s:s, s:I}", "waybill", waybill,
				"register", "", "clock", clock_name(c), "at", (json_int_t)k->close_db[c]));
	}
	for (int i = 0; i < k->n_add; i++) {
		/* built member by member: json_pack parses its format each time,
		 * and these strings are UTF-8 already (one clock an envelope in a
		 * burst) */
		json_t *a = json_object();
		json_object_set_new_nocheck(a, "point", json_string_nocheck(point));
		json_object_set_new_nocheck(a, "waybill", json_string_nocheck(waybill));
		json_object_set_new_nocheck(a, "register", json_string_nocheck(""));
		json_object_set_new_nocheck(a, "clock", json_string_nocheck(clock_name((enum pilot_clock)k->add[i].clock)));
		json_object_set_new_nocheck(a, "started_ms", json_integer(k->add[i].started));
		json_object_set_new_nocheck(a, "basis_ms", json_integer(k->add[i].basis));
		json_object_set_new_nocheck(a, "prior_ms", json_integer(k->add[i].prior));
		json_array_append_new(adds, a);
	}
}

/* A register's delivery clocks stop at its first scan (accepted, damaged
 * or unexpected: the State Corp courier is here); finishing it closes all. */
void hub_clock_register_step(json_t *closes, json_t *seen, enum event_type t, const char *reg, int64_t at)
{
	static const enum pilot_clock first_scan[] = { CLOCK_TO_POINT, CLOCK_COURIER_DELIVERY };
	enum clock_register_step step = clock_register_step_of(t);
	bool finish = step == CLOCK_REGISTER_FINISHED;
	if (!reg || !*reg || step == CLOCK_REGISTER_NONE)
		return;
	char key[160];
	snprintf(key, sizeof key, "%s\x1f%d", reg, finish);
	if (json_object_get(seen, key))
		return;
	json_object_set_new(seen, key, json_true());
	if (finish) {
		json_array_append_new(closes, json_pack("{s:s, s:s, s:n, s:I}", "waybill", "", "register", reg,
							"clock", "at", (json_int_t)at));
		return;
	}
	for (size_t i = 0; i < sizeof first_scan / sizeof *first_scan; i++)
		json_array_append_new(closes, json_pack("{s:s, s:s, s:s, s:I}", "waybill", "", "register", reg,
							"clock", clock_name(first_scan[i]), "at", (json_int_t)at));
}


int hub_parse_upload(const struct hub_device *d, const char *body, size_t len, struct hub_upload *u,
		     const char **why)
{
	*why = NULL;
	if (hub_upload_read(body, len, u)) {
		*why = "the body must be a JSON object with an events array";
		return 400;
	}
	if (u->device_kind == 2 || (u->device_kind == 1 && strcmp(u->device, d->id))) {
		*why = "this token belongs to another device";
		return 403;
	}
	for (size_t i = 0; i < u->n; i++)
		if ((*why = u->ev[i].malformed))
			return 400;
	return 200;
}
