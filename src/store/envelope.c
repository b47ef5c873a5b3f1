/*
 * envelope.c - one envelope's transitions and its derived row.
 *
 * store_apply is the one door for a change to an envelope: validate the
 * code, check the transition against lifecycle.c's table, apply the checks
 * of that step (the right postomat and cell, a reason for a loss), append the
 * event, update the row and the clocks, commit.  All or nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "amanat/i18n.h"
#include "amanat/postomat.h"
#include "amanat/timeutil.h"
#include "store_internal.h"

#define ENVELOPE_COLS "waybill, state, register_id, application, postomat, city, iin, cell," \
	" reserved_cell, courier, delayed_until, damaged, updated_at"

/* Not an envelope of a register whose import is under way or was cut
 * (imported_at 0, register_import.c): nothing of it is there yet. */
#define NOT_HIDDEN " AND (state <> 'registered' OR NOT EXISTS (SELECT 1 FROM register r" \
	" WHERE r.id = envelope.register_id AND r.imported_at = 0))"

static void envelope_from(sqlite3_stmt *st, struct envelope *v)
{
	char state[32];
	memset(v, 0, sizeof *v);
	db_text(st, 0, v->waybill, sizeof v->waybill);
	db_text(st, 1, state, sizeof state);
	int sv = state_from_name(state);
	v->state = sv < 0 ? ST_NONE : (enum envelope_state)sv;
	db_text(st, 2, v->register_id, sizeof v->register_id);
	db_text(st, 3, v->application, sizeof v->application);
	db_text(st, 4, v->postomat, sizeof v->postomat);
	db_text(st, 5, v->city, sizeof v->city);
	db_text(st, 6, v->iin, sizeof v->iin);
	db_text(st, 7, v->cell, sizeof v->cell);
	db_text(st, 8, v->reserved_cell, sizeof v->reserved_cell);
	db_text(st, 9, v->courier, sizeof v->courier);
	db_text(st, 10, v->delayed_until, sizeof v->delayed_until);
	v->damaged = sqlite3_column_int(st, 11) != 0;
	v->updated_at = sqlite3_column_int64(st, 12);
}

int store_envelope_get(struct store *s, const char *waybill, struct envelope *out,
		       struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_cached(s, &st, "SELECT " ENVELOPE_COLS " FROM envelope WHERE waybill = ?" NOT_HIDDEN, e);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, waybill, -1, SQLITE_STATIC);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		envelope_from(st, out);
	else if (step == SQLITE_DONE)
		rc = am_fail(e, AM_REFUSED, _("unknown waybill %s: it is not on any register imported here"), waybill);
	else
		rc = db_fail(s, e, _("reading the envelope"));
	db_done(s, st);
	return rc;
}

int store_envelope_each(struct store *s, int state, int (*cb)(const struct envelope *, void *),
			void *arg, struct am_error *e)
{
	sqlite3_stmt *st;
	/* One statement per case: "?1 IS NULL OR state = ?1" would read every
	 * envelope of the year to list one state's; a state envelope_listed
	 * leaves out is read without it (STATE_LISTED would answer none). */
	bool listed = state == ST_HANDED_TO_POINT || state == ST_OUT_FOR_DELIVERY || state == ST_EXPIRED_REMOVED
		      || state == ST_RETURNED_TO_POINT || state == ST_LOST || state == ST_CANCELLED
		      || state == ST_BROUGHT_BACK;
	int rc = listed ? db_prepare(s, &st, "SELECT " ENVELOPE_COLS " FROM envelope"
				     " WHERE state = ?1 AND " STATE_LISTED NOT_HIDDEN " ORDER BY postomat, waybill", e)
		 : state >= 0 ? db_prepare(s, &st, "SELECT " ENVELOPE_COLS " FROM envelope"
					   " WHERE state = ?1" NOT_HIDDEN " ORDER BY postomat, waybill", e)
		 : db_prepare(s, &st, "SELECT " ENVELOPE_COLS " FROM envelope WHERE 1" NOT_HIDDEN
			      " ORDER BY postomat, waybill", e);
	if (rc)
		return rc;
	if (state >= 0)
		sqlite3_bind_text(st, 1, state_name((enum envelope_state)state), -1, SQLITE_STATIC);
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct envelope v;
		envelope_from(st, &v);
		if (cb(&v, arg))
			break;
	}
	rc = (step == SQLITE_ROW || step == SQLITE_DONE) ? 0 : db_fail(s, e, _("reading envelopes"));
	sqlite3_finalize(st);
	return rc;
}

int store_state_counts(struct store *s, size_t counts[ST__COUNT], struct am_error *e)
{
	sqlite3_stmt *st;
	memset(counts, 0, sizeof(size_t) * ST__COUNT);
	/* envelope_count is kept by triggers on envelope (schema 4) */
	int rc = db_prepare(s, &st, "SELECT state, n FROM envelope_count", e);
	if (rc)
		return rc;
	while (sqlite3_step(st) == SQLITE_ROW) {
		char name[32];
		db_text(st, 0, name, sizeof name);
		int sv = state_from_name(name);
		if (sv >= 0 && sqlite3_column_int64(st, 1) > 0)
			counts[sv] = (size_t)sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	return 0;
}

int store_reserve_cell(struct store *s, const char *waybill, const char *postomat,
		       const char *cell, struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_cached(s, &st, "UPDATE envelope SET reserved_cell = ?1,"
			    " postomat = CASE WHEN ?2 = '' THEN postomat ELSE ?2 END WHERE waybill = ?3", e);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, cell ? cell : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, postomat ? postomat : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, waybill, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = db_fail(s, e, _("reserving the cell"));
	else if (sqlite3_changes(s->db) == 0)
		rc = am_fail(e, AM_REFUSED, _("unknown waybill %s: it is not on any register imported here"), waybill);
	db_done(s, st);
	return rc;
}

/* The count of envelopes in each state (envelope_count, log_head's rows of
 * kind 1) when one moves from state from to state to: what the trigger
 * envelope_count_update did until schema 23, made here by the two writers
 * that move an envelope (envelope_save, feed.c's move_envelope).  The
 * trigger's frame on every step was a tenth of a scan's CPU.  One row at a
 * time by its key (an UPDATE of both rows at once takes SQLite's two-pass
 * path, dearer than the trigger); the first envelope of a state makes its
 * row with 1, as the trigger's upsert did; verify counts them again. */
static int count_add(struct store *s, const char *state, int by, struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = by < 0 ? db_cached(s, &st, "UPDATE log_head SET n = n - 1 WHERE kind = 1 AND shift = 0 AND name = ?1", e)
			: db_cached(s, &st, "UPDATE log_head SET n = n + 1 WHERE kind = 1 AND shift = 0 AND name = ?1", e);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, state, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(s, e, _("saving the envelope"));
	db_done(s, st);
	if (rc || by < 0 || sqlite3_changes(s->db) > 0)
		return rc;
	if ((rc = db_cached(s, &st, "INSERT INTO log_head(kind, name, n) VALUES (1, ?1, 1)", e)))
		return rc;
	sqlite3_bind_text(st, 1, state, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(s, e, _("saving the envelope"));
	db_done(s, st);
	return rc;
}

int envelope_count_move(struct store *s, const char *from, const char *to, struct am_error *e)
{
	int rc = 0;
	if (strcmp(from, to) != 0 && !(rc = count_add(s, from, -1, e)))
		rc = count_add(s, to, 1, e);
	return rc;
}

/* Write the derived row after a transition from state before, with the end
 * of its list of events (last_seq, schema 25): the event of the transition
 * just appended (envelope_apply has event_append leave it to this); and,
 * for a matched scan (s->tally_mark, register.c), its mark (schema 27):
 * that event. */
static int envelope_save(struct store *s, enum envelope_state before, const struct envelope *v,
			 struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = envelope_count_move(s, state_name(before), state_name(v->state), e);
	if (rc || (rc = db_cached(s, &st, "UPDATE envelope SET state=?, cell=?, courier=?, delayed_until=?,"
				   " damaged=?, updated_at=?, last_seq=?8,"
				   " tally_seq = CASE WHEN ?9 THEN ?8 ELSE tally_seq END WHERE waybill=?7", e)))
		return rc;
	sqlite3_bind_int(st, 9, s->tally_mark);
	sqlite3_bind_text(st, 1, state_name(v->state), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, v->cell, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, v->courier, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, v->delayed_until, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 5, v->damaged);
	sqlite3_bind_int64(st, 6, v->updated_at);
	sqlite3_bind_text(st, 7, v->waybill, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 8, s->chain_seq);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(s, e, _("saving the envelope"));
	db_done(s, st);
	return rc;
}

static int set_cell(struct store *s, const char *postomat, const char *cell, const char *status,
		    const char *waybill, struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_cached(s, &st, "UPDATE cell SET status = ?, waybill = ? WHERE postomat = ? AND id = ?", e);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, status, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, waybill, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, postomat, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, cell, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(s, e, _("updating the cell"));
	db_done(s, st);
	return rc;
}

/* The placement checks: location first, then the reserved cell. */
static int check_place(struct store *s, const struct envelope *v, const struct transition *t,
		       struct am_error *e)
{
	if (!t->postomat || !*t->postomat || !t->cell || !*t->cell)
		return am_fail(e, AM_REFUSED, _("placing needs the postomat and the cell"));
	if (v->postomat[0] && strcmp(v->postomat, t->postomat) != 0)
		return am_fail(e, AM_REFUSED, _("wrong postomat: %s is for %s, not %s - take it to %s"),
			       v->waybill, v->postomat, t->postomat, v->postomat);
	if (v->reserved_cell[0] && strcmp(v->reserved_cell, t->cell) != 0 && !t->force)
		return am_fail(e, AM_REFUSED, _("wrong cell: scanned %s, reserved %s - use another cell only when the reserved one is full, broken or too small"),
			       t->cell, v->reserved_cell);
	if (t->force && (!t->reason || !*t->reason))
		return am_fail(e, AM_REFUSED, _("another cell than the reserved one needs a reason (cell-full, cell-broken, does-not-fit)"));
	sqlite3_stmt *st;
	int rc = db_cached(s, &st, "SELECT status, waybill FROM cell WHERE postomat = ? AND id = ?", e);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, t->postomat, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, t->cell, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		char status[16], holder[32];
		db_text(st, 0, status, sizeof status);
		db_text(st, 1, holder, sizeof holder);
		if (strcmp(status, "broken") == 0)
			rc = am_fail(e, AM_REFUSED, _("cell %s is marked broken: choose another free cell"), t->cell);
		else if (strcmp(status, "occupied") == 0 || (strcmp(status, "reserved") == 0 && holder[0]
							      && strcmp(holder, v->waybill) != 0))
			rc = am_fail(e, AM_REFUSED, _("cell %s is taken by %s: choose another free cell"), t->cell,
				     holder[0] ? holder : "?");
	}
	db_done(s, st);
	return rc;
}

static int step_checks(struct store *s, struct envelope *v, const struct transition *t,
		       int64_t now, struct am_error *e)
{
	int64_t day;
	switch (t->type) {
	case EV_OUT_FOR_DELIVERY:
		if (!t->courier || !*t->courier)
			return am_fail(e, AM_REFUSED, _("a hand-over needs the courier's badge"));
		snprintf(v->courier, sizeof v->courier, "%s", t->courier);
		return 0;
	case EV_PLACED:
		return check_place(s, v, t, e);
	case EV_DELAYED: {
		char today[16];
		if (!t->until || date_parse(t->until, &day) != 0)
			return am_fail(e, AM_REFUSED, _("the new delivery date is a date like 2026-03-21"));
		time_format_local(now, s->rules.offset_min, today, sizeof today);
		today[10] = '\0';
		int64_t today_days;
		date_parse(today, &today_days);
		if (day < today_days)
			return am_fail(e, AM_REFUSED, _("the new delivery date %s is in the past"), t->until);
		if (!t->reason || !*t->reason)
			return am_fail(e, AM_REFUSED, _("a late delivery needs a reason (§27: the recipient is told)"));
		snprintf(v->delayed_until, sizeof v->delayed_until, "%s", t->until);
		return 0;
	}
	case EV_LOST: {
		if (!t->reason || !*t->reason)
			return am_fail(e, AM_REFUSED, _("a loss needs the reason and circumstances (§22: they go into the act)"));
		const char *side = t->side && *t->side ? t->side : "kaspi";
		if (strcmp(side, "kaspi") && strcmp(side, "state-corp"))
			return am_fail(e, AM_REFUSED, _("the side of a loss is kaspi (§22) or state-corp (§23)"));
		return 0;
	}
	case EV_DAMAGED:
		v->damaged = true;
		return 0;
	default:
		return 0;
	}
}

/* Open and close clocks for the step just taken (also for steps the hub's
 * feed brings: store/feed.c), by core's one table (clock_step_of, which the
 * hub follows too). */
int envelope_step_clocks(struct store *s, const struct envelope *v, enum event_type type,
			 int64_t now, const struct event_ctx *ctx, struct am_error *e)
{
	const char *w = v->waybill;
	struct clock_step step = clock_step_of(type);
	int64_t basis = now, day, end = 0;
	struct am_error ignore;
	if (step.basis == CLOCK_BASIS_NEW_DATE) {
		if (date_parse(v->delayed_until, &day) != 0)
			step.open = CLOCK_NONE;
		else
			basis = clock_new_date_due(day, s->rules.offset_min);
	} else if (step.basis == CLOCK_BASIS_STORAGE_END) {
		/* removed late, the day is counted from 24:00 of the last storage
		 * day; removed early (with its reason), from the removal */
		if (store_clock_due(s, w, CLOCK_STORAGE, &end, &ignore) != 0 || end > now)
			end = 0;
	}
	int rc = step.close == CLOCK_NONE ? 0 : clock_close(s, step.close, w, "", now, ctx, e);
	if (rc || step.open == CLOCK_NONE)
		return rc;
	if (step.basis == CLOCK_BASIS_NEW_DATE)
		return clock_open_from(s, (enum pilot_clock)step.open, w, "", now, basis, ctx, e);
	if (end)
		return clock_open_from(s, (enum pilot_clock)step.open, w, "", end, end - 1, ctx, e);
	return clock_open(s, (enum pilot_clock)step.open, w, "", now, ctx, e);
}

static char *step_payload_json(const struct envelope *before, const struct envelope *v,
			       const struct transition *t, const char *act, bool early)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	json_object_set_new(o, "from", json_string(state_name(before->state)));
	json_object_set_new(o, "to", json_string(state_name(v->state)));
	if (v->application[0])	/* §9: the ХҚКО ID travels with every status */
		json_object_set_new(o, "application", json_string(v->application));
	if (t->type == EV_PLACED) {
		json_object_set_new(o, "postomat", json_string(t->postomat));
		json_object_set_new(o, "cell", json_string(t->cell));
		if (before->reserved_cell[0])
			json_object_set_new(o, "reserved_cell", json_string(before->reserved_cell));
	}
	if (t->courier && *t->courier)
		json_object_set_new(o, "courier", json_string(t->courier));
	if (t->reason && *t->reason)
		json_object_set_new(o, "reason", json_string(t->reason));
	if (t->until && *t->until)
		json_object_set_new(o, "until", json_string(t->until));
	if (t->type == EV_EXPIRED_REMOVED)
		json_object_set_new(o, "early", json_boolean(early));
	if (t->type == EV_LOST) {
		json_object_set_new(o, "side", json_string(t->side && *t->side ? t->side : "kaspi"));
		if (t->liable && *t->liable)
			json_object_set_new(o, "liable", json_string(t->liable));
	}
	if (act && *act)
		json_object_set_new(o, "act", json_string(act));
	char *text = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	return text;
}

/* The same payload without a JSON tree, keys in jansson's sorted order
 * (payload.c); NULL when a value needs jansson. */
static char *step_payload_fast(const struct envelope *before, const struct envelope *v,
			       const struct transition *t, const char *act, bool early)
{
	struct pbuf b;
	pb_start(&b);
	if (act && *act)
		pb_str(&b, "act", act);
	if (v->application[0])
		pb_str(&b, "application", v->application);
	if (t->type == EV_PLACED)
		pb_str(&b, "cell", t->cell);
	if (t->courier && *t->courier)
		pb_str(&b, "courier", t->courier);
	if (t->type == EV_EXPIRED_REMOVED)
		pb_bool(&b, "early", early);
	pb_str(&b, "from", state_name(before->state));
	if (t->type == EV_LOST && t->liable && *t->liable)
		pb_str(&b, "liable", t->liable);
	if (t->type == EV_PLACED)
		pb_str(&b, "postomat", t->postomat);
	if (t->reason && *t->reason)
		pb_str(&b, "reason", t->reason);
	if (t->type == EV_PLACED && before->reserved_cell[0])
		pb_str(&b, "reserved_cell", before->reserved_cell);
	if (t->type == EV_LOST)
		pb_str(&b, "side", t->side && *t->side ? t->side : "kaspi");
	pb_str(&b, "to", state_name(v->state));
	if (t->until && *t->until)
		pb_str(&b, "until", t->until);
	const char *text = pb_end(&b);
	return text ? strdup(text) : NULL;
}

static char *step_payload(const struct envelope *before, const struct envelope *v,
			  const struct transition *t, const char *act, bool early)
{
	char *text = step_payload_fast(before, v, t, act, early);
#ifdef __SANITIZE_ADDRESS__
	char *slow = step_payload_json(before, v, t, act, early);
	pb_check(text, slow);
	free(slow);
#endif
	return text ? text : step_payload_json(before, v, t, act, early);
}

int envelope_apply(struct store *s, const struct transition *t, const struct event_ctx *ctx,
		   struct am_error *e)
{
	struct envelope before, v;
	char msg[400], act[64] = "";
	int rc, next;
	int64_t now = db_now(ctx);

	if ((rc = store_envelope_get(s, t->waybill, &before, e)))
		return rc;
	struct transition back;
	if (t->type == EV_RETURNED_TO_POINT && before.state == ST_OUT_FOR_DELIVERY) {
		/* never placed: brought back undelivered, it may go out again */
		back = *t;
		back.type = EV_BROUGHT_BACK;
		t = &back;
	}
	if ((next = lifecycle_check(before.state, t->type, msg, sizeof msg)) < 0)
		return am_fail(e, AM_REFUSED, "%s: %s", t->waybill, msg);
	v = before;
	v.state = (enum envelope_state)next;
	v.updated_at = now;
	/* §29: the recipient has 3 days; removing before they are over is an
	 * early removal, with its reason, and travels as such. */
	bool early = false;
	if (t->type == EV_EXPIRED_REMOVED) {
		int64_t due;
		struct am_error ignore;
		early = store_clock_due(s, t->waybill, CLOCK_STORAGE, &due, &ignore) == 0 && due > now;
		if (early && (!t->reason || !*t->reason))
			return am_fail(e, AM_REFUSED, _("%s: its 3 days in the cell are not over: an early removal needs its reason (--reason)"),
				       t->waybill);
	}
	/* The point cannot lose what it never received (§22 vs §23). */
	if (t->type == EV_LOST && before.state == ST_REGISTERED && (!t->side || strcmp(t->side, "state-corp")))
		return am_fail(e, AM_REFUSED, _("%s never reached the point: only a loss on State Corp's side can be recorded (--side state-corp, §23)"),
			       t->waybill);
	if ((rc = step_checks(s, &v, t, now, e)))
		return rc;

	if (t->type == EV_PLACED && t->force && before.reserved_cell[0]
	    && strcmp(before.reserved_cell, t->cell) != 0) {
		/* Another cell than the reserved one: logged as its own event. */
		char *p = payload_pack("{s:s, s:s, s:s, s:s}", "postomat", t->postomat, "from_cell",
				       before.reserved_cell, "to_cell", t->cell, "reason", t->reason);
		rc = p ? event_append(s, EV_CELL_CHANGED, v.waybill, v.register_id, p, ctx, e)
		       : am_fail(e, AM_ENV, _("out of memory"));
		free(p);
		if (rc)
			return rc;
		if (strcmp(t->reason, "cell-broken") == 0)
			set_cell(s, t->postomat, before.reserved_cell, "broken", "", e);
		else if (strcmp(t->reason, "cell-full") == 0)
			set_cell(s, t->postomat, before.reserved_cell, "occupied", "", e);
	}
	if (t->type == EV_LOST) {
		const char *side = t->side && *t->side ? t->side : "kaspi";
		char *body = payload_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i}", "waybill", v.waybill,
					  "register", v.register_id, "state_before", state_name(before.state),
					  "reason", t->reason, "circumstances", t->reason, "postomat", v.postomat,
					  "side", side, "liable", t->liable ? t->liable : "",
					  "paragraph", strcmp(side, "kaspi") ? 23 : 22);
		rc = body ? act_create(s, "loss", v.register_id, v.waybill, t->reason, 2, body, ctx,
				       act, sizeof act, e)
			  : am_fail(e, AM_ENV, _("out of memory"));
		free(body);
		if (rc)
			return rc;
	}
	if (t->type == EV_PLACED) {
		snprintf(v.cell, sizeof v.cell, "%s", t->cell);
		if ((rc = set_cell(s, t->postomat, t->cell, "occupied", v.waybill, e)))
			return rc;
	}
	if ((t->type == EV_EXPIRED_REMOVED || t->type == EV_COLLECTED) && v.cell[0]) {
		if ((rc = set_cell(s, v.postomat, v.cell, "free", "", e)))
			return rc;
		v.cell[0] = '\0';
	}
	char *payload = step_payload(&before, &v, t, act, early);
	if (!payload)
		return am_fail(e, AM_ENV, _("out of memory"));
	const char *reg = t->register_id && *t->register_id ? t->register_id : v.register_id;
	s->link_by_caller = true;	/* envelope_save writes last_seq */
	rc = event_append(s, t->type, v.waybill, reg, payload, ctx, e);
	s->link_by_caller = false;
	free(payload);
	if (rc || (rc = envelope_save(s, before.state, &v, e)) || (rc = envelope_step_clocks(s, &v, t->type, now, ctx, e)))
		return rc;
	return 0;
}

int store_apply(struct store *s, const struct transition *t, const struct event_ctx *ctx,
		struct am_error *e)
{
	char why[200];
	int rc;
	if (!t->waybill || waybill_validate(&s->rules.waybill, t->waybill, why, sizeof why) != 0)
		return am_fail(e, AM_REFUSED, _("%s is not a valid waybill: %s"),
			       t->waybill ? t->waybill : "", t->waybill ? why : _("empty code"));
	if ((rc = db_begin(s, e)))
		return rc;
	if ((rc = envelope_apply(s, t, ctx, e))) {
		db_rollback(s);
		return rc;
	}
	return db_commit(s, e);
}
