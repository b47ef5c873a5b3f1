/*
 * verify.c - `amanat verify`: the hash chain, and the derived tables
 * against a replay of the log.
 *
 * The full check reads the log once in sequence order: each record's hash
 * must be the next one's prev_hash and the newest must be meta.chain_head;
 * while it reads, it replays the envelope events (lifecycle_next), the
 * scans and each person's work in each shift, then compares the envelope,
 * register_scan and shift_work tables with the replay (and envelope_count
 * with envelope), naming the first table that differs.  It reads columns
 * in place, numbers as numbers, and hashes each record from one reused
 * buffer in one call: the log is read about as fast as SQLite hands it out
 * (bench/year.sh prints the bare read beside it).
 *
 * A check that passes leaves an anchor (meta verified_seq, verified_head):
 * the quick check starts there, re-hashes the anchor's own record, walks only
 * the newer events and replays only the envelopes they touch (shift_work,
 * a count over a whole shift, is the full check's).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>
#include "amanat/i18n.h"
#include "store_internal.h"
#include "verify_internal.h"

/* ---- replaying one event ------------------------------------------------ */

/* The waybills the quick check's walk met, each once, in the log's order,
 * each with the prev_seq of its first linked event the walk met (link: -1
 * none; 0 the first of its envelope's list; else the one before, older). */
struct touched {
	struct map seen;
	char **w;
	int64_t *link;
	size_t n, cap;
	bool nomem;
};

static void touched_add(struct touched *t, const char *w, size_t len, int64_t prev_seq)
{
	if (!len)
		return;
	struct slot *v = map_get(&t->seen, fnv(w, len, "", 0), true);
	if (!v) {
		t->nomem = true;
		return;
	}
	if (v->seen) {		/* cell: its index in w, + 1 */
		if (prev_seq >= 0 && t->link[v->cell - 1] < 0)
			t->link[v->cell - 1] = prev_seq;
		return;
	}
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 256;
		char **b = realloc(t->w, cap * sizeof *b);
		if (b)
			t->w = b;
		int64_t *l = b ? realloc(t->link, cap * sizeof *l) : NULL;
		if (!l) {
			t->nomem = true;
			return;
		}
		t->link = l;
		t->cap = cap;
	}
	if (!(t->w[t->n] = strndup(w, len))) {
		t->nomem = true;
		return;
	}
	t->link[t->n] = prev_seq;
	v->seen = 1;
	v->cell = ++t->n;
}

static void touched_free(struct touched *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->w[i]);
	free(t->w);
	free(t->link);
	free(t->seen.v);
}

/* An event type from its name in the log, without comparing it with every
 * name: the walk asks this once per event. */
int vfy_type_of(const char *t, size_t len)
{
	static signed char slot[256];
	static bool ready;
	if (!t || !len)
		return -1;
	if (!ready) {
		memset(slot, -1, sizeof slot);
		for (int i = 0; i < EV__COUNT; i++) {
			const char *n = event_name((enum event_type)i);
			size_t j = (strlen(n) * 31 + (size_t)(unsigned char)n[0] * 7 + (unsigned char)n[strlen(n) - 1]) & 255;
			while (slot[j] >= 0)
				j = (j + 1) & 255;
			slot[j] = (signed char)i;
		}
		ready = true;
	}
	for (size_t j = (len * 31 + (size_t)(unsigned char)t[0] * 7 + (unsigned char)t[len - 1]) & 255; slot[j] >= 0;
	     j = (j + 1) & 255) {
		const char *n = event_name((enum event_type)slot[j]);
		if (strlen(n) == len && memcmp(n, t, len) == 0)
			return slot[j];
	}
	return -1;
}


struct work_key {
	int64_t shift;
	const char *actor;
	size_t alen;
};

static bool work_same(const void *slot, const void *arg)
{
	const struct work *w = slot;
	const struct work_key *k = arg;
	return w->shift == k->shift && strlen(w->actor) == k->alen && memcmp(w->actor, k->actor, k->alen) == 0;
}

struct work *vfy_work_get(struct replay *r, int64_t shift, const char *actor, size_t alen, bool add)
{
	uint64_t key = fnv(actor, alen, "", 0) ^ ((uint64_t)shift * 0x9E3779B97F4A7C15ULL);
	struct work_key k = { shift, actor, alen };
	bool fresh;
	if (alen >= WORK_ACTOR)
		return NULL;	/* no such actor is kept */
	struct work *w = map_find_same(&r->work, sizeof *w, key ? key : 1, add, &fresh, work_same, &k);
	if (w && fresh) {
		w->shift = shift;
		memcpy(w->actor, actor, alen);
		w->actor[alen] = '\0';
	}
	return w;
}

/* One event into the shift's work: what event_append counts (store_work_kind). */
void vfy_replay_work(struct replay *r, int type, size_t wlen, const char *actor, size_t alen,
			const char *payload)
{
	if (r->no_work)
		return;
	if (type == EV_SHIFT_CLOSED && payload && strstr(payload, "\"shift\":"))
		r->shift++;	/* the point's shift, not a log-in's */
	int kind = wlen && type >= 0 ? store_work_kind((enum event_type)type) : -1;	/* type -1: unknown */
	if (kind < 0)
		return;
	struct work *w = vfy_work_get(r, r->shift, actor ? actor : "", actor ? alen : 0, true);
	if (!w) {
		r->nomem = true;
		return;
	}
	w->n[0]++;
	if (kind)
		w->n[kind]++;
}

const char *vfy_payload_span(const char *payload, const char *key, size_t *len)
{
	const char *p = payload ? strstr(payload, key) : NULL;
	const char *q = p ? strchr(p + strlen(key), '"') : NULL;
	if (!q)
		return NULL;
	p += strlen(key);
	*len = (size_t)(q - p);
	return p;
}

uint64_t vfy_payload_field(const char *payload, const char *key)
{
	size_t len = 0;
	const char *p = vfy_payload_span(payload, key, &len);
	return p && len ? fnv(p, len, "", 0) : 0;
}

bool vfy_replay_scan(struct replay *r, int type, const char *waybill, size_t wlen, const char *reg, size_t rlen)
{
	if (type == EV_ACCEPTED || type == EV_HANDED_BACK || type == EV_SCAN_UNEXPECTED || type == EV_DAMAGED) {
		struct slot *sc = map_get(&r->scan, fnv(reg, rlen, waybill, wlen), true);
		if (!sc) {
			r->nomem = true;
			return false;
		}
		sc->state = type == EV_SCAN_UNEXPECTED ? 2 : type == EV_DAMAGED ? 3 : 1;
	}
	return true;
}

static void replay_event(struct replay *r, int type, const char *waybill, size_t wlen,
			 const char *reg, size_t rlen, const char *payload)
{
	if (type < 0 || wlen == 0 || !vfy_replay_scan(r, type, waybill, wlen, reg, rlen))
		return;
	if (!event_is_envelope_event((enum event_type)type))
		return;
	struct slot *v = map_get(&r->env, fnv(waybill, wlen, "", 0), type == EV_REGISTERED);
	if (!v) {
		r->nomem = type == EV_REGISTERED;
		return;
	}
	int next = lifecycle_next((enum envelope_state)v->state, (enum event_type)type);
	if (next >= 0)
		v->state = (uint8_t)next;
	if (type == EV_PLACED)
		v->cell = vfy_payload_field(payload, "\"cell\":\"");
	else if (type == EV_COLLECTED || type == EV_EXPIRED_REMOVED)
		v->cell = 0;
}

/* ---- the chain ---------------------------------------------------------- */

struct walk {
	int64_t next_seq;
	char expect[65];
	size_t n;
	EVP_MD_CTX *md;
	struct replay *replay;
	struct touched *touched;	/* the quick check: the waybills met */
};

/* the record's fields, then prev_seq (column RECORD_FIELDS: not hashed) */
#define WALK_SQL "SELECT seq, uuid, device, type, waybill, register_id, actor, at_ms, place, payload," \
	" prev_hash, prev_seq FROM event WHERE seq >= ? ORDER BY seq"

/* One row of the log as SQLite hands it out: the text fields in place, the
 * two numbers as numbers (asking for their text would allocate it, a
 * million times).  Each column is asked for once. */
struct row {
	const char *f[RECORD_FIELDS];	/* f[0], f[7]: the numbers' text, made by the hash */
	size_t len[RECORD_FIELDS];
	int64_t num[2];		/* seq, at_ms */
};

static void row_read(sqlite3_stmt *st, struct row *r)
{
	for (int i = 0; i < RECORD_FIELDS; i++) {
		if (i == 0 || i == 7) {
			r->num[i == 7] = sqlite3_column_int64(st, i);
			continue;
		}
		r->f[i] = (const char *)sqlite3_column_text(st, i);
		r->len[i] = (size_t)sqlite3_column_bytes(st, i);
		if (!r->f[i])
			r->f[i] = "";
	}
}

/* The record's hash into out, as event.c computes it (one code). */
static int row_hash(struct row *r, struct walk *w, char out[65])
{
	return record_hash_row(r->f, r->len, r->num[0], r->num[1], w->md, out);
}

/* Walk the events from w->next_seq on (prev_hash of the first must be
 * w->expect); then the stored chain end must be the last hash. */
static int walk_chain(struct store *s, struct walk *w, struct am_error *e)
{
	sqlite3_stmt *st;
	int rc, step;
	if ((rc = db_prepare(s, &st, WALK_SQL, e)))
		return rc;
	sqlite3_bind_int64(st, 1, w->next_seq);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct row r;
		row_read(st, &r);
		int64_t seq = r.num[0];
		if (seq != w->next_seq) {
			sqlite3_finalize(st);
			return am_fail(e, AM_REFUSED, _("event chain broken: event %lld is missing (found %lld next)"),
				       (long long)w->next_seq, (long long)seq);
		}
		if (r.len[10] != 64 || memcmp(r.f[10], w->expect, 64) != 0) {
			sqlite3_finalize(st);
			return am_fail(e, AM_REFUSED, _("event chain broken at event %lld: it or the event before it was changed"),
				       (long long)seq);
		}
		/* a version 8 uuid is derived from its record (event.c): one
		 * that is not would be lost by the hub as another's duplicate,
		 * or not found by its seq when acknowledged */
		char uuid[37];
		if (r.len[1] == 36 && r.f[1][14] == '8' &&
		    (event_uuid_derive(w->md, seq, r.f[2], r.f[3], r.f[4], r.num[1], r.f[10], uuid) ||
		     memcmp(uuid, r.f[1], 36) != 0)) {
			memcpy(uuid, r.f[1], 36);	/* the row's text dies with st */
			uuid[36] = '\0';
			sqlite3_finalize(st);
			return am_fail(e, AM_REFUSED, _("event %lld: its uuid %s is not the one derived from its record"),
				       (long long)seq, uuid);
		}
		if (row_hash(&r, w, w->expect)) {
			sqlite3_finalize(st);
			return am_fail(e, AM_ENV, _("SHA-256 failed"));
		}
		if (w->replay) {
			int type = vfy_type_of(r.f[3], r.len[3]);
			replay_event(w->replay, type, r.f[4], r.len[4], r.f[5], r.len[5], r.f[9]);
			vfy_replay_work(w->replay, type, r.len[4], r.f[6], r.len[6], r.f[9]);
			if (!vfy_replay_record(w->replay, type, r.f[4], r.len[4], r.f[5], r.len[5], r.f[9], seq))
				w->replay->nomem = true;
		}
		if (w->touched)
			touched_add(w->touched, r.f[4], r.len[4],
				    sqlite3_column_type(st, RECORD_FIELDS) == SQLITE_NULL ? -1
				    : sqlite3_column_int64(st, RECORD_FIELDS));
		w->next_seq++;
		w->n++;
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE)
		return db_fail(s, e, _("reading events"));
	char head[65];
	if ((rc = event_chain_stored(s, head, e)))
		return rc;
	if (strcmp(head, w->expect) != 0)
		return am_fail(e, AM_REFUSED, _("event chain broken after event %lld: the newest events were removed or changed"),
			       (long long)(w->next_seq - 1));
	return 0;
}

void vfy_replay_free(struct replay *r)
{
	free(r->env.v);
	free(r->scan.v);
	free(r->work.v);
	vfy_records_free(r);
}

/* The anchor: the newest event verified and its record's hash. */
void vfy_anchor_save(struct store *s, int64_t seq, const char *hash)
{
	struct am_error ignore;
	char num[24];
	if (seq <= 0 || db_begin(s, &ignore))
		return;
	snprintf(num, sizeof num, "%lld", (long long)seq);
	if (store_meta_set(s, "verified_seq", num, &ignore) || store_meta_set(s, "verified_head", hash, &ignore)
	    || db_commit(s, &ignore))
		db_rollback(s);
}

/* ---- the quick check ---------------------------------------------------- */

/* One envelope's row (step: row stepped to it) against its replayed slot
 * (v NULL: never registered). */
static int compare_one(sqlite3_stmt *row, int step, const char *w, const struct slot *v,
		       struct am_error *e)
{
	char detail[200];
	if (step == SQLITE_ROW && !v)
		return vfy_differs(e, "envelope", w, _("is there but the log never registered it"));
	if (step != SQLITE_ROW && v)
		return vfy_differs(e, "envelope", "", _("rows are missing: the log registered more envelopes"));
	if (step != SQLITE_ROW)
		return 0;
	const char *state = (const char *)sqlite3_column_text(row, 0);
	const char *cell = (const char *)sqlite3_column_text(row, 1);
	uint64_t ch = cell && *cell ? fnv(cell, strlen(cell), "", 0) : 0;
	if ((state ? state_from_name(state) : -1) != v->state) {
		snprintf(detail, sizeof detail, _("is %s there, the log says %s"), state ? state : "",
			 state_name((enum envelope_state)v->state));
		return vfy_differs(e, "envelope", w, detail);
	}
	if (ch != v->cell)
		return vfy_differs(e, "envelope", w, _("has another cell than the log placed it in"));
	return 0;
}

/* Whether the point hub's feed changed the envelope (fed prepared once). */
static bool fed_waybill(sqlite3_stmt *fed, const char *w)
{
	sqlite3_bind_text(fed, 1, w, -1, SQLITE_TRANSIENT);
	bool yes = sqlite3_step(fed) == SQLITE_ROW;
	sqlite3_reset(fed);
	return yes;
}

/* Each waybill the new events touched against its envelope row.  One
 * registered since the anchor was replayed whole by the walk itself; one
 * with older events has its whole history read (EVENTS_OF) and replayed.
 * It has older events where its list goes on below the first linked event
 * the walk met (link > 0) or, the walk having met none linked, where its
 * envelope's list ends (last_seq > 0); or where an unlinked event of it is
 * at or before the anchor (event_waybill): two index reads, not its list
 * walked back by a recursive query (half the check's time, schema 25). */
static int replay_touched(struct store *s, struct replay *r, const struct touched *t, int64_t anchor,
			  struct am_error *e)
{
	sqlite3_stmt *row = NULL, *hist = NULL, *older = NULL, *fed = NULL;
	struct replay old;
	memset(&old, 0, sizeof old);
	old.no_work = true;
	int rc = db_prepare(s, &row, "SELECT state, cell, last_seq FROM envelope WHERE waybill = ?", e);
	if (!rc)
		rc = db_prepare(s, &hist, "SELECT type, waybill, register_id, payload FROM event"
				" WHERE seq IN " EVENTS_OF("?1") " AND waybill = ?1 ORDER BY seq", e);
	if (!rc)
		rc = db_prepare(s, &older, "SELECT 1 FROM event WHERE waybill = ?1 AND waybill <> ''"
				" AND prev_seq IS NULL AND seq <= ?2 LIMIT 1", e);
	if (!rc)
		rc = db_prepare(s, &fed, "SELECT 1 FROM feed_item WHERE waybill = ? AND waybill <> ''"
				" AND applied = 1 LIMIT 1", e);
	/* a terminal without the point hub's feed asks nothing of it per waybill */
	bool any_fed = false;
	if (!rc) {
		sqlite3_stmt *q;
		if (!(rc = db_prepare(s, &q, "SELECT EXISTS (SELECT 1 FROM feed_item WHERE applied = 1"
				      " AND waybill <> '')", e))) {
			any_fed = sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int(q, 0);
			sqlite3_finalize(q);
		}
	}
	if (!rc)
		sqlite3_bind_int64(older, 2, anchor);
	for (size_t i = 0; !rc && i < t->n && !r->nomem && !old.nomem; i++) {
		const char *w = t->w[i];
		size_t len = strlen(w);
		if (any_fed && fed_waybill(fed, w))
			continue;
		sqlite3_bind_text(row, 1, w, (int)len, SQLITE_STATIC);
		int here = sqlite3_step(row);
		bool before = t->link[i] > 0 || (t->link[i] < 0 && here == SQLITE_ROW && sqlite3_column_int64(row, 2) > 0);
		int step = SQLITE_ROW;
		if (!before) {
			sqlite3_bind_text(older, 1, w, (int)len, SQLITE_STATIC);
			step = sqlite3_step(older);
			sqlite3_reset(older);
			before = step == SQLITE_ROW;
		}
		if ((here != SQLITE_ROW && here != SQLITE_DONE) || (step != SQLITE_ROW && step != SQLITE_DONE)) {
			rc = db_fail(s, e, _("reading events"));
			break;
		}
		struct replay *from = r;
		if (before) {	/* events before the anchor: its whole history */
			from = &old;
			sqlite3_bind_text(hist, 1, w, (int)len, SQLITE_STATIC);
			while (sqlite3_step(hist) == SQLITE_ROW) {
				const char *type = (const char *)sqlite3_column_text(hist, 0);
				replay_event(&old, type ? event_from_name(type) : -1,
					     (const char *)sqlite3_column_text(hist, 1),
					     (size_t)sqlite3_column_bytes(hist, 1),
					     (const char *)sqlite3_column_text(hist, 2),
					     (size_t)sqlite3_column_bytes(hist, 2),
					     (const char *)sqlite3_column_text(hist, 3));
			}
			sqlite3_reset(hist);
		}
		if (!old.nomem)
			rc = compare_one(row, here, w, map_get(&from->env, fnv(w, len, "", 0), false), e);
		sqlite3_reset(row);
	}
	sqlite3_finalize(fed);
	sqlite3_finalize(older);
	sqlite3_finalize(hist);
	sqlite3_finalize(row);
	bool nomem = r->nomem || old.nomem;
	vfy_replay_free(&old);
	return nomem ? am_fail(e, AM_ENV, _("out of memory")) : rc;
}

int store_verify_quick(struct store *s, size_t *n_checked, int64_t *from_seq, struct am_error *e)
{
	char num[24], head[65];
	*n_checked = 0;
	*from_seq = 0;
	if (store_meta_get(s, "verified_seq", num, sizeof num) || store_meta_get(s, "verified_head", head, sizeof head))
		return store_verify(s, n_checked, e);	/* no anchor yet */
	int64_t anchor = strtoll(num, NULL, 10);
	struct replay r;
	struct touched t;
	memset(&r, 0, sizeof r);
	memset(&t, 0, sizeof t);
	r.no_work = true;
	struct walk w = { anchor, "", 0, EVP_MD_CTX_new(), NULL, NULL };
	if (!w.md)
		return am_fail(e, AM_ENV, _("out of memory"));
	/* One read transaction for it all: a statement on its own takes and
	 * drops the read lock (two fcntl calls and an fstat), and the check
	 * asks a few per envelope touched: half its time. */
	bool txn = sqlite3_get_autocommit(s->db) && db_exec(s, "BEGIN", e) == 0;
	/* The anchor itself: its record must still hash to what was verified. */
	sqlite3_stmt *st;
	int rc = db_prepare(s, &st, WALK_SQL " LIMIT 1", e);
	if (!rc) {
		sqlite3_bind_int64(st, 1, anchor);
		if (sqlite3_step(st) != SQLITE_ROW || sqlite3_column_int64(st, 0) != anchor)
			rc = am_fail(e, AM_REFUSED, _("event chain broken: event %lld is missing (found %lld next)"),
				     (long long)anchor, (long long)sqlite3_column_int64(st, 0));
		else {
			struct row ar;
			row_read(st, &ar);
			if (row_hash(&ar, &w, w.expect))
				rc = am_fail(e, AM_ENV, _("SHA-256 failed"));
			else if (strcmp(w.expect, head) != 0)
				rc = am_fail(e, AM_REFUSED, _("event chain broken at event %lld: it or the event before it was changed"),
					     (long long)anchor);
		}
		sqlite3_finalize(st);
	}
	w.next_seq = anchor + 1;
	w.replay = &r;		/* envelopes registered since: replayed as the walk goes */
	w.touched = &t;
	if (!rc)
		rc = walk_chain(s, &w, e);
	*n_checked = w.n;
	*from_seq = anchor;
	if (!rc && (t.nomem || r.nomem))
		rc = am_fail(e, AM_ENV, _("out of memory"));
	if (!rc && w.n > 0)
		rc = replay_touched(s, &r, &t, anchor, e);
	if (!rc)
		rc = vfy_records_check(s, &r, e);	/* the breaches and acts since the anchor */
	if (txn)
		sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);	/* nothing written: the read lock goes */
	EVP_MD_CTX_free(w.md);
	vfy_replay_free(&r);
	touched_free(&t);
	if (!rc && w.n > 0)
		vfy_anchor_save(s, w.next_seq - 1, w.expect);
	return rc;
}
