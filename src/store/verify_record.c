/*
 * verify_record.c - the records the log vouches for, row by row.
 *
 * A breach stays recorded: every deadline_missed event of the log must
 * still have its clock row marked missed (clock.missed_ms), and every
 * deadline_closed_late its row closed when the event says (clock.closed_ms:
 * how late is what the shift screen, `deadlines --all`, `status` and the
 * shift report read).  An act says what it said: every act_drawn event that
 * carries its body's SHA-256 (since this check; older ones do not) must
 * find its act row of that kind with that body.  The replay keeps these
 * events as it meets them (few: a handful a day), in the log's order; the
 * check looks each one's row up and names the first that is gone or says
 * something else.
 *
 * Only this way round: a clock closed late before schema 5 was marked
 * missed by the upgrade without a deadline_missed event, which is not a
 * breach lost.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "amanat/i18n.h"
#include "verify_internal.h"

/* The text of "key":"..." in one of our compact payloads ("" when absent). */
static void payload_text(const char *payload, const char *key, char *out, size_t n)
{
	size_t len = 0;
	const char *p = vfy_payload_span(payload, key, &len);
	out[0] = '\0';
	if (p && len < n) {
		memcpy(out, p, len);
		out[len] = '\0';
	}
}

/* The number of "key":N in one of our compact payloads (-1 when absent). */
static int64_t payload_number(const char *payload, const char *key)
{
	const char *p = payload ? strstr(payload, key) : NULL;
	if (!p)
		return -1;
	p += strlen(key);
	char *end;
	long long v = strtoll(p, &end, 10);
	return end == p ? -1 : (int64_t)v;
}

bool vfy_replay_record(struct replay *r, int type, const char *waybill, size_t wlen, const char *reg,
		       size_t rlen, const char *payload, int64_t seq)
{
	if (type != EV_DEADLINE_MISSED && type != EV_DEADLINE_CLOSED_LATE && type != EV_ACT_DRAWN)
		return true;
	if (type == EV_ACT_DRAWN && (!payload || !strstr(payload, "\"body_sha256\":\"")))
		return true;	/* drawn before acts were vouched for */
	if (r->n_record == r->cap_record) {
		size_t cap = r->cap_record ? r->cap_record * 2 : 16;
		struct vfy_record *b = realloc(r->record, cap * sizeof *b);
		if (!b)
			return false;
		r->record = b;
		r->cap_record = cap;
	}
	struct vfy_record *b = &r->record[r->n_record++];
	memset(b, 0, sizeof *b);
	b->seq = seq;
	if (type == EV_ACT_DRAWN) {
		b->is_act = true;
		payload_text(payload, "\"act\":\"", b->who, sizeof b->who);
		payload_text(payload, "\"kind\":\"", b->what, sizeof b->what);
		payload_text(payload, "\"body_sha256\":\"", b->sha, sizeof b->sha);
		return true;
	}
	b->of_register = wlen == 0;
	const char *who = wlen ? waybill : reg;
	size_t len = wlen ? wlen : rlen;
	if (len >= sizeof b->who)
		len = sizeof b->who - 1;
	memcpy(b->who, who, len);
	payload_text(payload, "\"clock\":\"", b->what, sizeof b->what);
	b->started_ms = payload_number(payload, "\"started_ms\":");
	b->closed_ms = type == EV_DEADLINE_CLOSED_LATE ? payload_number(payload, "\"closed_ms\":") : 0;
	return true;
}

bool vfy_records_fold(struct replay *all, const struct replay *part)
{
	if (!part->n_record)
		return true;
	size_t cap = all->n_record + part->n_record;
	struct vfy_record *b = realloc(all->record, cap * sizeof *b);
	if (!b)
		return false;
	memcpy(b + all->n_record, part->record, part->n_record * sizeof *b);
	all->record = b;
	all->n_record = all->cap_record = cap;
	return true;
}

void vfy_records_free(struct replay *r)
{
	free(r->record);
	r->record = NULL;
	r->n_record = r->cap_record = 0;
}

/* Whether the clock of b is there and marked missed (closed when b says,
 * for a closing late).  An envelope's clocks
 * are found by its row (CLOCKS_OF), a register's by clock_register; a
 * waybill's clock kept with a register's kind of id (schema 24: no envelope
 * row then) by its negative id. */
static int marked(struct store *s, const struct vfy_record *b, bool *ok, struct am_error *e)
{
	sqlite3_stmt *st;
	*ok = false;
	for (int pass = 0; pass < 2 && !*ok; pass++) {
		if (b->of_register && pass)
			break;
		int rc = b->of_register
			? db_cached(s, &st, "SELECT max(CASE WHEN ?4 = 0 THEN missed_ms <> 0 ELSE closed_ms = ?4 END)"
				    " FROM clock WHERE register_id = ?1 AND waybill = ''"
				    " AND clock = ?2 AND started_ms = ?3", e)
			: pass == 0 ? db_cached(s, &st, "SELECT max(CASE WHEN ?4 = 0 THEN missed_ms <> 0 ELSE closed_ms = ?4 END)"
						" FROM clock WHERE " CLOCKS_OF("?1")
						" AND clock = ?2 AND started_ms = ?3", e)
			: db_cached(s, &st, "SELECT max(CASE WHEN ?4 = 0 THEN missed_ms <> 0 ELSE closed_ms = ?4 END)"
				    " FROM clock WHERE id < 0 AND waybill = ?1"
				    " AND clock = ?2 AND started_ms = ?3", e);
		if (rc)
			return rc;
		sqlite3_bind_text(st, 1, b->who, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, b->what, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, b->started_ms);
		sqlite3_bind_int64(st, 4, b->closed_ms);
		int step = sqlite3_step(st);
		*ok = step == SQLITE_ROW && sqlite3_column_int(st, 0) == 1;
		db_done(s, st);
		if (step != SQLITE_ROW)
			return db_fail(s, e, _("reading deadlines"));
	}
	return 0;
}

/* Whether the act of b is there, of its kind, with the body it was drawn
 * with. */
static int act_same(struct store *s, const struct vfy_record *b, bool *ok, struct am_error *e)
{
	sqlite3_stmt *st;
	char sha[65] = "";
	*ok = false;
	int rc = db_cached(s, &st, "SELECT kind, body FROM act WHERE id = ?1", e);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, b->who, -1, SQLITE_STATIC);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		const char *kind = (const char *)sqlite3_column_text(st, 0);
		const char *body = (const char *)sqlite3_column_text(st, 1);
		*ok = kind && strcmp(kind, b->what) == 0 && body &&
		      text_sha256(body, (size_t)sqlite3_column_bytes(st, 1), sha) == 0 && strcmp(sha, b->sha) == 0;
	}
	db_done(s, st);
	return step == SQLITE_ROW || step == SQLITE_DONE ? 0 : db_fail(s, e, _("reading acts"));
}

int vfy_records_check(struct store *s, const struct replay *r, struct am_error *e)
{
	for (size_t i = 0; i < r->n_record; i++) {
		const struct vfy_record *b = &r->record[i];
		bool ok;
		int rc = b->is_act ? act_same(s, b, &ok, e) : marked(s, b, &ok, e);
		if (rc)
			return rc;
		if (!ok && b->is_act) {
			char detail[200];
			snprintf(detail, sizeof detail, _("is not the act that event %lld drew"), (long long)b->seq);
			return vfy_differs(e, "act", b->who, detail);
		}
		if (!ok) {
			char what[200], detail[200];
			snprintf(what, sizeof what, "%s %s", b->who, b->what);
			if (b->closed_ms)
				snprintf(detail, sizeof detail, _("lost the late closing that event %lld recorded"),
					 (long long)b->seq);
			else
				snprintf(detail, sizeof detail, _("lost the breach that event %lld recorded"),
					 (long long)b->seq);
			return vfy_differs(e, "clock", what, detail);
		}
	}
	return 0;
}
