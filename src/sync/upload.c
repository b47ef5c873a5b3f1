/*
 * upload.c - the outbox upstream: POST /v1/events in batches, and what the
 * answer to a batch means for each of its events (docs/protocol.md).
 *
 * A batch answered 400/422 is isolated: its events go one at a time until
 * the batch is through, so one bad event cannot block the others.  The
 * isolation is kept in the database (meta sync.isolate_to): a new process
 * goes on one at a time instead of sending the poisoned batch whole again.
 * An event refused alone is held until the verdict: once the hub takes
 * another event of the batch, the held ones are dead letters; when every
 * event of the batch was refused alone with the same answer, it is the hub
 * (or a proxy) that refuses everything, nothing becomes a dead letter and
 * the run stops.  A 413 halves the batch.  Each upload carries the chain
 * head, so that the upstream side can tell a rewound log.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "amanat/i18n.h"
#include "amanat/text.h"
#include "amanat/timeutil.h"
#include "sync_internal.h"

void sync_upload_forget(struct sync *s)
{
	s->n_held = 0;
	s->iso_cursor = 0;
	s->iso_accepted = false;
}

static void isolate_set(struct sync *s, int64_t to)
{
	s->isolate_to = to;
	sync_upload_forget(s);
	sync_meta_time(s, "sync.isolate_to", to);
}

/* A database failure inside the sync: its status is kept (read-only,
 * schema...) so that the run exits with the code of what went wrong. */
void sync_fail_store(struct sync *s, int status, const char *msg)
{
	s->fault_status = am_is_env(status) ? status : AM_ENV;
	sync_fail_round(s, SYNC_FAULT_STORE, "%s", msg);
}

static void held_add(struct sync *s, const char *uuid, const char *answer)
{
	struct held *h = realloc(s->held, (s->n_held + 1) * sizeof *h);
	if (!h)
		return;	/* not held: it is sent alone again in the next round */
	s->held = h;
	memcpy(h[s->n_held].uuid, uuid, 37);
	snprintf(h[s->n_held].answer, sizeof h[s->n_held].answer, "%s", answer);
	s->n_held++;
	if (s->isolate_to > 0)
		s->iso_cursor = s->sent_max_seq;
}

/* A hub's words kept as a dead letter's reason: outside text, so a control
 * character or a broken byte is escaped (a screen shows it), and a long
 * answer ends at a whole letter with "…". */
static void reason_from(char *buf, size_t size, const char *prefix, const char *text, size_t n)
{
	char *clean = text_escape(text, n > 600 ? 600 : n);
	am_fit(buf, size, snprintf(buf, size, "%s%s", prefix, clean ? clean : "?"));
	free(clean);
}

/* The held events become dead letters, each with its own answer. */
static int held_dead(struct sync *s, struct am_error *e)
{
	struct outbox_mark *m = calloc(s->n_held + 1, sizeof *m);
	if (!m)
		return am_fail(e, AM_ENV, _("out of memory"));
	for (size_t i = 0; i < s->n_held; i++) {
		memcpy(m[i].uuid, s->held[i].uuid, 37);
		m[i].state = SYNC_DEAD;
		snprintf(m[i].reason, sizeof m[i].reason, "%s", s->held[i].answer);
	}
	int rc = s->n_held ? store_outbox_mark_many(s->app->store, m, s->n_held, e) : 0;
	free(m);
	s->n_held = 0;
	return rc;
}

/* The isolated batch is through and no event of it was taken.  Two or more
 * refused alone with the very same answer: the hub (or a proxy before it)
 * refuses everything, and that is no fault of the events: stop the run,
 * keep them in the outbox.  Otherwise each refused event is bad on its own.
 * True when the run stopped. */
static bool held_verdict(struct sync *s)
{
	struct am_error e;
	bool same = s->n_held >= 2;
	for (size_t i = 1; same && i < s->n_held; i++)
		same = strcmp(s->held[i].answer, s->held[0].answer) == 0;
	if (same) {
		char answer[200];
		snprintf(answer, sizeof answer, "%s", s->held[0].answer);
		isolate_set(s, 0);	/* next time a whole batch first: the hub may be mended */
		sync_fail_round(s, SYNC_FAULT_REFUSES_ALL, _("the hub refuses every event: %s"), answer);
		return true;
	}
	int rc = held_dead(s, &e);
	if (rc) {
		sync_fail_store(s, rc, e.msg);
		return true;
	}
	return false;
}

/* ---- events ------------------------------------------------------------ */

struct batch {
	struct sync *s;
	json_t *events;
};

static int add_event(const struct event_row *r, void *arg)
{
	struct batch *b = arg;
	json_error_t je;
	char at[40];
	json_t *payload = r->payload ? json_loads(r->payload, 0, &je) : NULL;
	time_format_iso(r->at_ms, b->s->app->rules.offset_min, at, sizeof at);
	json_array_append_new(b->events, json_pack("{s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:o}",
		"uuid", r->uuid, "device", r->device, "seq", (json_int_t)r->seq, "type", event_name(r->type),
		"waybill", r->waybill, "register", r->register_id, "actor", r->actor,
		"at_ms", (json_int_t)r->at_ms, "at", at, "place", r->place,
		"payload", payload ? payload : json_object()));
	memcpy(b->s->sent[b->s->n_sent++], r->uuid, 37);
	if (r->seq > b->s->sent_max_seq)
		b->s->sent_max_seq = r->seq;
	return 0;
}

bool sync_upload_send(struct sync *s)
{
	struct am_error e;
	int rc;
	struct batch b = { s, json_array() };
	s->n_sent = 0;
	s->sent_max_seq = 0;
	if (s->isolate_to > 0) {	/* one at a time through the poisoned batch */
		rc = store_outbox_batch_range(s->app->store, s->iso_cursor, s->isolate_to, 1, add_event, &b, &e);
		if (!rc && s->n_sent == 0) {
			if (s->n_held && held_verdict(s)) {
				json_decref(b.events);
				return true;	/* the run stops: the hub refuses everything */
			}
			isolate_set(s, 0);	/* through: back to whole batches */
			rc = store_outbox_batch(s->app->store, s->cur_batch, add_event, &b, &e);
		}
	} else {
		rc = store_outbox_batch(s->app->store, s->cur_batch, add_event, &b, &e);
	}
	if (rc) {
		json_decref(b.events);
		sync_fail_store(s, rc, e.msg);
		return true;
	}
	if (s->n_sent == 0) {
		json_decref(b.events);
		return false;
	}
	char device[64] = "", hash[65];
	int64_t head_seq = 0;
	store_meta_get(s->app->store, "device_id", device, sizeof device);
	if ((rc = store_chain_head(s->app->store, &head_seq, hash, &e))) {
		json_decref(b.events);
		sync_fail_store(s, rc, e.msg);
		return true;
	}
	/* The chain head rides with every batch: the hub keeps the highest it
	 * has seen and so can tell a log that was cut back (docs/protocol.md). */
	json_t *doc = json_pack("{s:s, s:o, s:{s:I, s:s}}", "device", device, "events", b.events,
				"head", "seq", (json_int_t)head_seq, "hash", hash);
	free(s->request);
	s->request = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
	json_decref(doc);
	if (!s->request) {
		sync_fail_store(s, AM_ENV, _("out of memory"));
		return true;
	}
	sync_request(s, "/v1/events", s->request);
	return true;
}

static bool was_sent(const struct sync *s, const char *uuid)
{
	for (size_t i = 0; i < s->n_sent; i++)
		if (!strcmp(s->sent[i], uuid))
			return true;
	return false;
}

/* The answer to a batch: mark what it names, all in one transaction. */
void sync_upload_answer(struct sync *s, long status)
{
	int rc;
	struct am_error e;
	if (status == 413) {	/* too large for the hub (or a proxy): halve */
		if (s->n_sent > 1) {
			s->cur_batch = s->n_sent / 2;
			return;
		}
		struct outbox_mark m;
		memset(&m, 0, sizeof m);
		memcpy(m.uuid, s->sent[0], 37);
		m.state = SYNC_DEAD;
		snprintf(m.reason, sizeof m.reason, "HTTP 413: %s", _("the event alone is too large for the hub"));
		if ((rc = store_outbox_mark_many(s->app->store, &m, 1, &e)))
			sync_fail_store(s, rc, e.msg);
		return;
	}
	if (status == 400 || status == 422) {
		if (s->n_sent > 1) {	/* find the bad one: send one at a time */
			isolate_set(s, s->sent_max_seq);
			return;
		}
		char answer[200], prefix[32];
		snprintf(prefix, sizeof prefix, "HTTP %ld: ", status);
		reason_from(answer, sizeof answer, prefix, s->body ? s->body : "", s->body ? s->body_len : 0);
		if (s->isolate_to > 0 && !s->iso_accepted) {	/* no verdict yet: hold it */
			held_add(s, s->sent[0], answer);
			return;
		}
		held_add(s, s->sent[0], answer);
		if ((rc = held_dead(s, &e)))
			sync_fail_store(s, rc, e.msg);
		return;
	}
	json_error_t je;
	json_t *root = s->body ? json_loadb(s->body, s->body_len, 0, &je) : NULL;
	json_t *results = json_object_get(root, "results");
	if (!json_is_array(results)) {
		json_decref(root);
		sync_fail_round(s, SYNC_FAULT_OFFLINE, _("the hub's answer was incomplete or not JSON: nothing acknowledged"));
		return;
	}
	struct outbox_mark *marks = calloc(json_array_size(results) + 1, sizeof *marks);
	size_t n = 0, i;
	json_t *r;
	json_array_foreach(results, i, r) {
		const char *uuid = json_string_value(json_object_get(r, "uuid"));
		const char *st = json_string_value(json_object_get(r, "status"));
		const char *reason = json_string_value(json_object_get(r, "reason"));
		if (!marks || !uuid || !st || strlen(uuid) != 36 || !was_sent(s, uuid))
			continue;	/* an acknowledgement of something not sent: ignore */
		if (!strcmp(st, "accepted") || !strcmp(st, "duplicate"))
			marks[n].state = SYNC_ACKED;
		else if (!strcmp(st, "rejected"))
			marks[n].state = SYNC_DEAD;
		else
			continue;
		memcpy(marks[n].uuid, uuid, 37);
		if (marks[n].state == SYNC_DEAD && reason)
			reason_from(marks[n].reason, sizeof marks[n].reason, "", reason, strlen(reason));
		else
			snprintf(marks[n].reason, sizeof marks[n].reason, "%s", st);	/* one of the words above */
		n++;
	}
	json_decref(root);
	if (!marks) {
		sync_fail_store(s, AM_ENV, _("out of memory"));
		return;
	}
	if (n && (rc = store_outbox_mark_many(s->app->store, marks, n, &e))) {
		free(marks);
		sync_fail_store(s, rc, e.msg);
		return;
	}
	bool acked = false;
	for (size_t k = 0; k < n; k++)
		acked |= marks[k].state == SYNC_ACKED;
	free(marks);
	if (n == 0) {	/* an answer that acknowledges nothing: do not spin */
		sync_fail_round(s, SYNC_FAULT_OFFLINE, _("the hub acknowledged none of %zu events"), s->n_sent);
		return;
	}
	if (s->isolate_to > 0 && s->n_sent == 1) {
		s->iso_cursor = s->sent_max_seq;
		if (acked && !s->iso_accepted) {	/* the hub takes events: the held ones are bad */
			s->iso_accepted = true;
			if ((rc = held_dead(s, &e)))
				sync_fail_store(s, rc, e.msg);
		}
	}
}

int sync_upload_note(const struct event_row *r, void *arg)
{
	struct sync *s = arg;
	memcpy(s->sent[s->n_sent++], r->uuid, 37);
	if (r->seq > s->sent_max_seq)
		s->sent_max_seq = r->seq;
	return 0;
}

