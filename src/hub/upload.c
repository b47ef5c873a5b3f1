/*
 * upload.c - a device's upload (POST /v1/events) read straight into the
 * events the hub judges and stores, without a JSON tree.
 *
 * Why: a burst is the hub reading uploads.  Read into jansson objects, each
 * event cost ~10 us to build and then a hash look-up for every member the
 * judging, the COPY rows and the checks asked for (perf: jansson and malloc
 * were four fifths of the hub's CPU).  Here one pass over the body checks it
 * as JSON (json_in.c's reader: what jansson takes, nothing else), keeps the
 * members the hub uses in one block of memory, and keeps the payload as the
 * device wrote it (PostgreSQL reads it into jsonb).  Members the hub does
 * not know are checked and passed over; a member named twice keeps its last
 * value, as jansson keeps it.
 */
#include <stdlib.h>
#include <string.h>
#include "hub.h"

struct arena {
	char *p;
	size_t len, cap;
};

static const char *keep(struct arena *a, const char *s, size_t n)
{
	if (a->len + n + 1 > a->cap)
		return NULL;
	char *out = a->p + a->len;
	memcpy(out, s, n);
	out[n] = '\0';
	a->len += n + 1;
	return out;
}

/* What a member held: absent, a string, an integer, an object, or else. */
enum kind { K_ABSENT, K_STRING, K_INT, K_OBJECT, K_OTHER };

/* A string value into *out (kind K_STRING), or anything else passed over. */
static int string_member(struct hub_rd *r, struct arena *a, const char **out, enum kind *k)
{
	hub_rd_ws(r);
	if (r->p < r->end && *r->p == '"') {
		const char *s;
		size_t n;
		r->p++;
		if (hub_rd_string(r, &s, &n) || !(*out = keep(a, s, n)))
			return -1;
		*k = K_STRING;
		return 0;
	}
	*out = "";
	*k = K_OTHER;
	return hub_rd_skip(r);
}

static int int_member(struct hub_rd *r, int64_t *out, enum kind *k)
{
	hub_rd_ws(r);
	if (r->p < r->end && (*r->p == '-' || (*r->p >= '0' && *r->p <= '9'))) {
		bool real;
		long long i = 0;
		double d;
		if (hub_rd_number(r, &real, &i, &d))
			return -1;
		*out = real ? 0 : (int64_t)i;
		*k = real ? K_OTHER : K_INT;
		return 0;
	}
	*out = 0;
	*k = K_OTHER;
	return hub_rd_skip(r);
}

/* The members of an object, one call of member() each, r->p just after
 * its '{'; member reads the value. */
static int members(struct hub_rd *r, int (*member)(struct hub_rd *, const char *, size_t, void *), void *arg)
{
	char key[32];
	hub_rd_ws(r);
	if (r->p < r->end && *r->p == '}') {
		r->p++;
		return 0;
	}
	for (;;) {
		const char *k;
		size_t kn;
		hub_rd_ws(r);
		if (r->p >= r->end || *r->p != '"')
			return -1;
		r->p++;
		if (hub_rd_string(r, &k, &kn))
			return -1;
		/* the key may sit in r->tmp, which the value's strings reuse; the
		 * hub's own names are short, any longer one is not among them */
		bool ours = kn < sizeof key && !memchr(k, '\0', kn);
		if (ours)
			memcpy(key, k, kn);
		key[ours ? kn : 0] = '\0';
		hub_rd_ws(r);
		if (r->p >= r->end || *r->p != ':')
			return -1;
		r->p++;
		if (member(r, key, ours ? kn : sizeof key, arg))
			return -1;
		hub_rd_ws(r);
		if (r->p < r->end && *r->p == ',') {
			r->p++;
			continue;
		}
		if (r->p < r->end && *r->p == '}') {
			r->p++;
			return 0;
		}
		return -1;
	}
}

struct ev_read {
	struct hub_ev *ev;
	struct arena *a;
	enum kind kind[8];	/* uuid device type waybill register actor at place */
	enum kind seq, at_ms, payload;
};

static const char *const str_names[] = { "uuid", "device", "type", "waybill", "register", "actor", "at", "place" };
static const char *const pl_names[] = { "from", "to", "application", "postomat", "city", "reserved_cell",
					"courier", "cell", "until", "id" };

/* key (kn bytes) is name: lengths and first bytes first (a chain of strcmp
 * over every name for every member was a tenth of the hub's CPU). */
static bool is(const char *key, size_t kn, const char *name)
{
	return key[0] == name[0] && strlen(name) == kn && !memcmp(key, name, kn);
}

static const char **str_field(struct hub_ev *ev, size_t i)
{
	const char **f[] = { &ev->uuid, &ev->device, &ev->type, &ev->waybill, &ev->reg, &ev->actor, &ev->at, &ev->place };
	return f[i];
}

static const char **pl_field(struct hub_ev *ev, size_t i)
{
	const char **f[] = { &ev->from, &ev->to, &ev->application, &ev->postomat, &ev->city, &ev->reserved_cell,
			     &ev->courier, &ev->cell, &ev->until, &ev->id };
	return f[i];
}

static int payload_member(struct hub_rd *r, const char *key, size_t kn, void *arg)
{
	struct ev_read *x = arg;
	enum kind k;
	for (size_t i = 0; i < sizeof pl_names / sizeof *pl_names; i++)
		if (is(key, kn, pl_names[i]))
			return string_member(r, x->a, pl_field(x->ev, i), &k);
	if (is(key, kn, "from_ms"))
		return int_member(r, &x->ev->from_ms, &k);
	return hub_rd_skip(r);
}

static int event_member(struct hub_rd *r, const char *key, size_t kn, void *arg)
{
	struct ev_read *x = arg;
	for (size_t i = 0; i < sizeof str_names / sizeof *str_names; i++)
		if (is(key, kn, str_names[i]))
			return string_member(r, x->a, str_field(x->ev, i), &x->kind[i]);
	if (is(key, kn, "seq"))
		return int_member(r, &x->ev->seq, &x->seq);
	if (is(key, kn, "at_ms"))
		return int_member(r, &x->ev->at_ms, &x->at_ms);
	if (!is(key, kn, "payload"))
		return hub_rd_skip(r);
	/* the payload: its members the hub reads, and its text as posted */
	for (size_t i = 0; i < sizeof pl_names / sizeof *pl_names; i++)
		*pl_field(x->ev, i) = "";
	x->ev->from_ms = 0;
	x->ev->payload = "{}";
	hub_rd_ws(r);
	if (r->p >= r->end || *r->p != '{') {
		x->payload = K_OTHER;
		return hub_rd_skip(r);
	}
	const char *start = r->p++;
	r->depth++;
	if (members(r, payload_member, x) || !(x->ev->payload = keep(x->a, start, (size_t)(r->p - start))))
		return -1;
	r->depth--;
	x->payload = K_OBJECT;
	return 0;
}

/* Why a batch is refused whole (400), or NULL: as the hub always said. */
static const char *malformed(const struct ev_read *x)
{
	if (x->kind[0] == K_ABSENT || x->kind[1] == K_ABSENT || x->kind[2] == K_ABSENT || x->seq == K_ABSENT
	    || x->at_ms == K_ABSENT)
		return "an event lacks a required field (uuid, device, seq, type, at_ms)";
	if (x->kind[0] != K_STRING || x->kind[1] != K_STRING || x->kind[2] != K_STRING || x->seq != K_INT
	    || x->at_ms != K_INT)
		return "an event's uuid, device, type must be strings and seq, at_ms integers";
	for (size_t i = 3; i < 8; i++)
		if (x->kind[i] != K_ABSENT && x->kind[i] != K_STRING)
			return "waybill, register, actor, place, at must be strings";
	if (x->payload != K_ABSENT && x->payload != K_OBJECT)
		return "payload must be an object";
	return NULL;
}

static int read_event(struct hub_rd *r, struct arena *a, struct hub_ev *ev)
{
	struct ev_read x = { ev, a, { K_ABSENT }, K_ABSENT, K_ABSENT, K_ABSENT };
	*ev = (struct hub_ev){ 0 };
	for (size_t i = 0; i < sizeof str_names / sizeof *str_names; i++)
		*str_field(ev, i) = "";
	for (size_t i = 0; i < sizeof pl_names / sizeof *pl_names; i++)
		*pl_field(ev, i) = "";
	ev->payload = "{}";
	hub_rd_ws(r);
	if (r->p >= r->end || *r->p != '{') {
		ev->malformed = "an event is not a JSON object";
		return hub_rd_skip(r);
	}
	r->p++;
	r->depth++;
	if (members(r, event_member, &x))
		return -1;
	r->depth--;
	ev->malformed = malformed(&x);
	return 0;
}

struct top_read {
	struct hub_upload *u;
	struct arena *a;
	bool events;		/* the last "events" was an array */
};

static int events_array(struct hub_rd *r, struct top_read *x)
{
	struct hub_upload *u = x->u;
	size_t cap = 0;
	free(u->ev);
	u->ev = NULL;
	u->n = 0;
	r->p++;
	r->depth++;
	hub_rd_ws(r);
	if (r->p < r->end && *r->p == ']') {
		r->p++;
		r->depth--;
		return 0;
	}
	for (;;) {
		if (u->n == cap) {
			struct hub_ev *m = realloc(u->ev, (cap = cap ? cap * 2 : 64) * sizeof *m);
			if (!m)
				return -1;
			u->ev = m;
		}
		if (read_event(r, x->a, &u->ev[u->n]))
			return -1;
		u->n++;
		hub_rd_ws(r);
		if (r->p < r->end && *r->p == ',') {
			r->p++;
			continue;
		}
		if (r->p < r->end && *r->p == ']') {
			r->p++;
			r->depth--;
			return 0;
		}
		return -1;
	}
}

static int top_member(struct hub_rd *r, const char *key, size_t kn, void *arg)
{
	struct top_read *x = arg;
	(void)kn;
	if (!strcmp(key, "device")) {
		enum kind k;
		if (string_member(r, x->a, &x->u->device, &k))
			return -1;
		x->u->device_kind = k == K_STRING ? 1 : 2;
		return 0;
	}
	if (strcmp(key, "events"))
		return hub_rd_skip(r);
	hub_rd_ws(r);
	x->events = r->p < r->end && *r->p == '[';
	return x->events ? events_array(r, x) : hub_rd_skip(r);
}

int hub_upload_read(const char *body, size_t len, struct hub_upload *u)
{
	*u = (struct hub_upload){ 0 };
	u->device = "";
	struct arena a = { malloc(3 * len + 64), 0, 3 * len + 64 };
	struct hub_rd r = { body, body + len, NULL, 0, 1 };
	struct top_read x = { u, &a, false };
	u->arena = a.p;
	if (!a.p)
		return -1;
	hub_rd_ws(&r);
	int rc = r.p < r.end && *r.p == '{' ? 0 : -1;
	if (!rc) {
		r.p++;
		rc = members(&r, top_member, &x);
	}
	hub_rd_ws(&r);
	free(r.tmp);
	if (rc || r.p != r.end || !x.events) {
		hub_upload_free(u);
		return -1;
	}
	return 0;
}

int hub_upload_from_json(json_t *events, struct hub_upload *u)
{
	json_t *doc = json_pack("{s:O}", "events", events);
	char *text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
	json_decref(doc);
	int rc = text ? hub_upload_read(text, strlen(text), u) : -1;
	free(text);
	return rc;
}

void hub_upload_free(struct hub_upload *u)
{
	for (size_t i = 0; u->ev && i < u->n; i++)
	{
		free(u->ev[i].conflict);
		free(u->ev[i].reason);
	}
	free(u->ev);
	free(u->arena);
	*u = (struct hub_upload){ 0 };
	u->device = "";
}
