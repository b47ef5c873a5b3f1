/*
 * feed.c - what the point hub's feed brings, in the store: events other
 * terminals of the point (or the upstream system) recorded.
 *
 * Each item is kept in feed_item, apart from this terminal's own
 * hash-chained event log (it is not this device's testimony and is never
 * uploaded again), and changes the envelope through the one transition
 * table of src/core, exactly as a local event would; an item the life cycle
 * refuses is kept with the reason and shown, not applied.  An envelope this
 * terminal has never seen (a courier's handheld never imports the register)
 * is created from the hub's view of it, in the state the item starts from.
 * Items of type "staff" carry a person of the point (badge, name, role, PIN
 * hash) so that anyone can log in on any handheld of the point.  A force
 * majeure another terminal of the point recorded (its start, end, document
 * and notice) is the point's own: it goes into this terminal's force_majeure
 * table, so its deadlines move here too, and the §38 notice clock runs here
 * until the notice is recorded anywhere.  A "calendar" item is a whole
 * working-day calendar from the operator (next year's days off): checked by
 * the calendar parser and kept, the app uses it when it reaches further
 * than its file (app_use_hub_calendar).  A "postomat" item is a postomat's
 * cells and reservations, imported by sync/feed.c with the same checks as
 * GET /v1/postomats; its outcome arrives here to be kept.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "amanat/calendar.h"
#include "amanat/i18n.h"
#include "amanat/staff.h"
#include "amanat/timeutil.h"
#include "store_internal.h"

static int have_item(struct store *s, const char *uuid, bool *have, struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(s, &st, "SELECT 1 FROM feed_item WHERE uuid = ?", e);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
	int step = sqlite3_step(st);
	*have = step == SQLITE_ROW;
	sqlite3_finalize(st);
	return step == SQLITE_ROW || step == SQLITE_DONE ? 0 : db_fail(s, e, _("reading the hub's feed"));
}

/* The envelope's state here; ST_NONE with *found false when unknown. */
static int local_state(struct store *s, const char *waybill, int *state, bool *found, struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(s, &st, "SELECT state FROM envelope WHERE waybill = ?", e);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, waybill, -1, SQLITE_STATIC);
	int step = sqlite3_step(st);
	*found = step == SQLITE_ROW;
	*state = *found ? state_from_name((const char *)sqlite3_column_text(st, 0)) : ST_NONE;
	sqlite3_finalize(st);
	return step == SQLITE_ROW || step == SQLITE_DONE ? 0 : db_fail(s, e, _("reading an envelope"));
}

static int create_envelope(struct store *s, const struct feed_item *it, int state, int64_t now,
			   struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(s, &st, "INSERT INTO envelope (waybill, state, register_id, application,"
			    " postomat, city, reserved_cell, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", e);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, it->waybill, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, state_name((enum envelope_state)state), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, it->register_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, it->application, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, it->env_postomat, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, it->city, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, it->reserved_cell, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 8, now);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(s, e, _("saving an envelope"));
	sqlite3_finalize(st);
	return rc;
}

static int move_envelope(struct store *s, const struct feed_item *it, int type, int prev, int next,
			 int64_t now, struct am_error *e)
{
	sqlite3_stmt *st;
	/* envelope_count: kept by its writers since schema 23 (envelope.c) */
	int rc = prev != next && prev >= 0 ? envelope_count_move(s, state_name((enum envelope_state)prev),
								   state_name((enum envelope_state)next), e) : 0;
	if (rc || (rc = db_prepare(s, &st, "UPDATE envelope SET state = ?2,"
			    " courier = CASE WHEN ?3 <> '' THEN ?3 ELSE courier END,"
			    " cell = CASE WHEN ?4 = 1 THEN ?5 WHEN ?4 = 2 THEN '' ELSE cell END,"
			    " reserved_cell = CASE WHEN reserved_cell = '' THEN ?6 ELSE reserved_cell END,"
			    " updated_at = ?7 WHERE waybill = ?1", e)))
		return rc;
	int cell_op = type == EV_PLACED ? 1 : (type == EV_COLLECTED || type == EV_EXPIRED_REMOVED) ? 2 : 0;
	sqlite3_bind_text(st, 1, it->waybill, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, state_name((enum envelope_state)next), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, type == EV_OUT_FOR_DELIVERY ? it->courier : "", -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, cell_op);
	sqlite3_bind_text(st, 5, it->cell, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, it->reserved_cell, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, now);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(s, e, _("saving an envelope"));
	sqlite3_finalize(st);
	if (rc)
		return rc;
	struct envelope v;
	memset(&v, 0, sizeof v);
	snprintf(v.waybill, sizeof v.waybill, "%s", it->waybill);
	v.state = (enum envelope_state)next;
	/* NULL ctx: another terminal's step; its breaches are its own events */
	return envelope_step_clocks(s, &v, (enum event_type)type, it->at_ms, NULL, e);
}

static bool printable(const char *s, size_t max)
{
	if (!s || !*s || strlen(s) >= max)
		return false;
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

/* A person of the point from the hub: added, changed or switched off. */
static int apply_staff(struct store *s, const struct feed_item *it, bool *applied, char *note, size_t nlen,
		       struct am_error *e)
{
	json_error_t je;
	json_t *root = json_loads(it->body, 0, &je), *p = json_object_get(root, "payload");
	const char *badge = json_string_value(json_object_get(p, "badge"));
	const char *name = json_string_value(json_object_get(p, "name"));
	const char *role = json_string_value(json_object_get(p, "role"));
	const char *hash = json_string_value(json_object_get(p, "pin_hash"));
	int rc = 0;
	if (!printable(badge, 64) || !printable(name, 128) || !role || staff_role_from_name(role) < 0
	    || !printable(hash, 256) || hash[0] != '$') {
		snprintf(note, nlen, "%s", _("a staff entry without badge, name, role or PIN hash"));
	} else {
		sqlite3_stmt *st;
		if (!(rc = db_prepare(s, &st, "INSERT INTO staff (badge, name, role, pin_hash, active)"
				      " VALUES (?, ?, ?, ?, ?) ON CONFLICT (badge) DO UPDATE SET name = excluded.name,"
				      " role = excluded.role, pin_hash = excluded.pin_hash, active = excluded.active", e))) {
			sqlite3_bind_text(st, 1, badge, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 3, role, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 4, hash, -1, SQLITE_STATIC);
			sqlite3_bind_int(st, 5, !json_is_false(json_object_get(p, "active")));
			rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(s, e, _("saving a staff member"));
			sqlite3_finalize(st);
			*applied = rc == 0;
		}
	}
	json_decref(root);
	return rc;
}

static int64_t int_of(json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

/* One statement of a force majeure item: ?1 the id, ?2 ?3 ?4 numbers,
 * ?5 ?6 ?7 texts (a statement uses those it names); *changed: a row moved. */
static int fm_write(struct store *s, const char *sql, const char *id, const int64_t n[3], const char *const t[3],
		    bool *changed, struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(s, &st, sql, e);
	if (rc)
		return rc;
	int params = sqlite3_bind_parameter_count(st);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	for (int i = 0; i < 3; i++) {
		if (2 + i <= params)
			sqlite3_bind_int64(st, 2 + i, n[i]);
		if (5 + i <= params)
			sqlite3_bind_text(st, 5 + i, t[i] ? t[i] : "", -1, SQLITE_STATIC);
	}
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(s, e, _("recording force majeure"));
	sqlite3_finalize(st);
	*changed = !rc && sqlite3_changes(s->db) > 0;
	return rc;
}

/* A force majeure of the point from another terminal: its start, end,
 * confirming document or notice, as that terminal recorded it. */
static int apply_fm_item(struct store *s, const struct feed_item *it, int type, int64_t now,
			       bool *applied, char *note, size_t nlen, struct am_error *e)
{
	json_error_t je;
	json_t *root = json_loads(it->body, 0, &je), *p = json_object_get(root, "payload");
	const char *id = json_string_value(json_object_get(p, "id"));
	const int64_t n[3] = { int_of(p, "from_ms"), int_of(p, "to_ms"), int_of(p, "notice_due_ms") };
	const char *t[3] = { NULL, NULL, NULL };
	const char *sql = NULL;
	bool changed = false, ok = printable(id, 64);
	int64_t day;
	int rc = 0;
	if (type == EV_FORCE_MAJEURE) {
		t[0] = json_string_value(json_object_get(p, "reason"));
		t[1] = json_string_value(json_object_get(p, "recorded_by"));
		ok = ok && n[0] > 0 && n[1] >= 0 && (!n[1] || n[1] > n[0]) && printable(t[0], 4000);
		sql = "INSERT OR IGNORE INTO force_majeure (id, from_ms, to_ms, reason, created_ms, notice_due_ms,"
		      " recorded_by) VALUES (?1, ?2, ?3, ?5, ?2, ?4, ?6)";
	} else if (type == EV_FORCE_MAJEURE_ENDED) {
		ok = ok && n[1] > 0;
		sql = "UPDATE force_majeure SET to_ms = ?3 WHERE id = ?1 AND to_ms = 0 AND ?3 > from_ms";
	} else if (type == EV_FORCE_MAJEURE_DOCUMENT) {
		t[0] = json_string_value(json_object_get(p, "body"));
		t[1] = json_string_value(json_object_get(p, "number"));
		t[2] = json_string_value(json_object_get(p, "date"));
		ok = ok && printable(t[0], 400) && printable(t[1], 200) && t[2] && date_parse(t[2], &day) == 0;
		sql = "UPDATE force_majeure SET doc_body = ?5, doc_number = ?6, doc_date = ?7 WHERE id = ?1";
	} else {	/* notified: the §38 notice clock stops at that time */
		t[0] = json_string_value(json_object_get(p, "to"));
		ok = ok && printable(t[0], 400);
		const int64_t at[3] = { it->at_ms, 0, 0 };
		if (ok && !(rc = fm_write(s, "UPDATE force_majeure SET notified_ms = ?2, notified_to = ?5"
					  " WHERE id = ?1 AND notified_ms = 0", id, at, t, &changed, e)) && changed)
			rc = clock_close(s, CLOCK_FORCE_MAJEURE_NOTICE, "", id, it->at_ms, NULL, e);
	}
	if (ok && sql && !(rc = fm_write(s, sql, id, n, t, &changed, e)) && changed && type == EV_FORCE_MAJEURE)
		rc = clock_open(s, CLOCK_FORCE_MAJEURE_NOTICE, "", id, n[0], NULL, e);
	if (!rc && changed && (type == EV_FORCE_MAJEURE || type == EV_FORCE_MAJEURE_ENDED))
		rc = force_majeure_refresh(s, now, e);	/* the open deadlines move */
	if (!ok)
		snprintf(note, nlen, "%s", _("a force majeure item without its id, times or text"));
	else if (!changed)
		snprintf(note, nlen, _("force majeure %s: known here already, or not known here"), id);
	*applied = !rc && changed;
	json_decref(root);
	return rc;
}

/* A whole working-day calendar from the operator, checked, then kept. */
static int apply_calendar(struct store *s, const struct feed_item *it, bool *applied, char *note, size_t nlen,
			  struct am_error *e)
{
	json_error_t je;
	json_t *root = json_loads(it->body, 0, &je), *p = json_object_get(root, "payload");
	const char *name = json_string_value(json_object_get(p, "name"));
	const char *text = json_string_value(json_object_get(p, "text"));
	char err[256] = "";
	struct calendar *cal = text && printable(name, 128) ? calendar_parse(text, err, sizeof err) : NULL;
	int rc = 0;
	if (!cal) {
		snprintf(note, nlen, _("the hub's calendar was refused: %s"), err[0] ? err : _("no name or text"));
	} else if (!(rc = store_meta_set(s, "calendar.hub", text, e)) && !(rc = store_meta_set(s, "calendar.hub.name", name, e))) {
		*applied = true;
	}
	calendar_free(cal);
	json_decref(root);
	return rc;
}

char *store_hub_calendar(struct store *s, char *name, size_t len)
{
	sqlite3_stmt *st;
	struct am_error e;
	char *text = NULL;
	if (store_meta_get(s, "calendar.hub.name", name, len) != 0 || db_prepare(s, &st, "SELECT value FROM meta"
									       " WHERE key = 'calendar.hub'", &e))
		return NULL;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		text = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return text;
}

/* Apply one item; *applied and note say what became of it. */
static int apply_one(struct store *s, const struct feed_item *it, int64_t now, bool *applied,
		     char *note, size_t nlen, struct am_error *e)
{
	int type = event_from_name(it->type), state, rc;
	bool found;
	*applied = false;
	if (!strcmp(it->type, "staff"))
		return apply_staff(s, it, applied, note, nlen, e);
	if (!strcmp(it->type, "calendar"))
		return apply_calendar(s, it, applied, note, nlen, e);
	if (!strcmp(it->type, "postomat")) {	/* imported by the caller (sync/feed.c) */
		*applied = it->outcome && !strcmp(it->outcome, "applied");
		snprintf(note, nlen, "%s", *applied || !it->outcome ? "" : it->outcome);
		return 0;
	}
	if (type == EV_FORCE_MAJEURE || type == EV_FORCE_MAJEURE_ENDED || type == EV_FORCE_MAJEURE_DOCUMENT
	    || type == EV_FORCE_MAJEURE_NOTIFIED)
		return apply_fm_item(s, it, type, now, applied, note, nlen, e);
	if (type < 0) {
		snprintf(note, nlen, "%s", _("an event type this terminal does not know"));
		return 0;
	}
	/* the register's delivery clocks stop at the point's first scan, on
	 * whichever desk (core's clock_register_step_of, as the hub) */
	enum clock_register_step rstep = clock_register_step_of((enum event_type)type);
	if (rstep != CLOCK_REGISTER_NONE && *it->register_id) {
		if (rstep == CLOCK_REGISTER_FINISHED)
			rc = clock_close(s, -1, "", it->register_id, it->at_ms, NULL, e);
		else if (!(rc = clock_close(s, CLOCK_TO_POINT, "", it->register_id, it->at_ms, NULL, e)))
			rc = clock_close(s, CLOCK_COURIER_DELIVERY, "", it->register_id, it->at_ms, NULL, e);
		if (rc)
			return rc;
	}
	if (!*it->waybill || !event_is_envelope_event((enum event_type)type))
		return 0;	/* kept and shown; nothing to change here */
	if ((rc = local_state(s, it->waybill, &state, &found, e)))
		return rc;
	if (!found) {
		if (!it->has_envelope) {
			snprintf(note, nlen, "%s", _("this terminal does not know the envelope"));
			return 0;
		}
		state = state_from_name(it->from) >= 0 ? state_from_name(it->from) : ST_NONE;
		if ((rc = create_envelope(s, it, state, now, e)))
			return rc;
	}
	char msg[300];
	int next = lifecycle_check((enum envelope_state)state, (enum event_type)type, msg, sizeof msg);
	if (next < 0) {
		snprintf(note, nlen, "%s", msg);
		return 0;
	}
	if ((rc = move_envelope(s, it, type, state, next, now, e)))
		return rc;
	*applied = true;
	return 0;
}

static int keep_item(struct store *s, const struct feed_item *it, bool applied, const char *note,
		     int64_t now, struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(s, &st, "INSERT OR IGNORE INTO feed_item (uuid, cursor, device, type, waybill,"
			    " actor, at_ms, applied, note, body, received_ms) VALUES (?,?,?,?,?,?,?,?,?,?,?)", e);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, it->uuid, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, it->cursor);
	sqlite3_bind_text(st, 3, it->device, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, it->type, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, it->waybill, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, it->actor, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, it->at_ms);
	sqlite3_bind_int(st, 8, applied);
	sqlite3_bind_text(st, 9, note, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 10, it->body, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 11, now);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(s, e, _("keeping the hub's feed"));
	sqlite3_finalize(st);
	return rc;
}

int store_feed_apply(struct store *s, const struct feed_item *items, size_t n, const char *cursor,
		     size_t *n_applied, struct am_error *e)
{
	struct event_ctx now_ctx = { 0 };
	int64_t now = db_now(&now_ctx);
	int rc = db_begin(s, e);
	*n_applied = 0;
	for (size_t i = 0; !rc && i < n; i++) {
		bool have, applied = false;
		char note[300] = "";
		if ((rc = have_item(s, items[i].uuid, &have, e)) || have)
			continue;
		if (!(rc = apply_one(s, &items[i], now, &applied, note, sizeof note, e))) {
			if (items[i].conflict && *items[i].conflict && !note[0])
				snprintf(note, sizeof note, _("the hub marked a conflict: %s"), items[i].conflict);
			rc = keep_item(s, &items[i], applied, note, now, e);
		}
		*n_applied += applied;
	}
	if (!rc && cursor) {
		sqlite3_stmt *st;
		if (!(rc = db_prepare(s, &st, "INSERT INTO meta (key, value) VALUES ('feed.cursor', ?)"
				      " ON CONFLICT (key) DO UPDATE SET value = excluded.value", e))) {
			sqlite3_bind_text(st, 1, cursor, -1, SQLITE_STATIC);
			rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(s, e, _("keeping the hub's feed"));
			sqlite3_finalize(st);
		}
	}
	if (rc) {
		db_rollback(s);
		return rc;
	}
	return db_commit(s, e);
}

int store_feed_last(struct store *s, const char *waybill, struct feed_row *out, struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(s, &st, "SELECT uuid, cursor, device, type, waybill, actor, at_ms, applied,"
			    " note, received_ms FROM feed_item WHERE waybill = ? ORDER BY cursor DESC LIMIT 1", e);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, waybill, -1, SQLITE_STATIC);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		memset(out, 0, sizeof *out);
		db_text(st, 0, out->uuid, sizeof out->uuid);
		out->cursor = sqlite3_column_int64(st, 1);
		db_text(st, 2, out->device, sizeof out->device);
		db_text(st, 3, out->type, sizeof out->type);
		db_text(st, 4, out->waybill, sizeof out->waybill);
		db_text(st, 5, out->actor, sizeof out->actor);
		out->at_ms = sqlite3_column_int64(st, 6);
		out->applied = sqlite3_column_int(st, 7) != 0;
		db_text(st, 8, out->note, sizeof out->note);
		out->received_ms = sqlite3_column_int64(st, 9);
	}
	sqlite3_finalize(st);
	if (step == SQLITE_ROW)
		return 0;
	return step == SQLITE_DONE ? AM_REFUSED : db_fail(s, e, _("reading the hub's feed"));
}

/* What a §30 clock opened before clocks kept their basis (basis_ms 0)
 * counted from, as envelope_step_clocks chose it: removed late, it started
 * at the end of storage (the storage clock's due time, kept on that clock
 * when the removal closed it) and counts from the last moment of storage;
 * removed early, it started at the removal and counts from it. */
static int return_basis(struct store *s, const char *waybill, int64_t started, int64_t *basis,
			struct am_error *e)
{
	sqlite3_stmt *st = NULL;
	int rc = db_prepare(s, &st, "SELECT 1 FROM clock WHERE " CLOCKS_OF("?1") " AND clock = ?2"
			    " AND closed_ms <> 0 AND due_ms = ?3", e);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, waybill, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, clock_name(CLOCK_STORAGE), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, started);
	int step = sqlite3_step(st);
	sqlite3_finalize(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return db_fail(s, e, _("moving a deadline"));
	*basis = step == SQLITE_ROW ? started - 1 : started;
	return 0;
}

/* Every open deadline whose breach is not recorded yet, reckoned again by
 * the calendar now in the rules (a calendar from the hub has just been
 * taken into use): its due time without force majeure (base_due_ms) from
 * what it counts from (basis_ms; a clock opened before that was kept, from
 * its start, except §30, which counts from the end of storage when removed
 * late: return_basis finds which), then moved by each force majeure as
 * force_majeure_refresh moves it.  §27 is not reckoned again, old or new:
 * it ends with its new delivery date, in calendar days, which no working-day
 * calendar moves.  A clock whose breach is recorded keeps its due time:
 * deadline_missed is a fact in the log and stays one, whatever a later
 * calendar says. */
int store_clocks_recalendar(struct store *s, int64_t now, size_t *moved, struct am_error *e)
{
	struct rebase { int64_t id, base; } *v = NULL;
	size_t n = 0, cap = 0;
	sqlite3_stmt *st = NULL;
	*moved = 0;
	if (!s->rules.calendar)
		return 0;
	int rc = db_begin(s, e);
	/* every open clock in the index first (schema 28), then read from it */
	if (!rc && !(rc = clock_fresh_settle(s, e)))
		rc = db_prepare(s, &st, "SELECT id, clock, started_ms, basis_ms, base_due_ms, waybill FROM clock"
				" WHERE closed_ms = 0 AND fresh = 0 AND missed_ms = 0", e);
	while (!rc && sqlite3_step(st) == SQLITE_ROW) {
		char name[32], waybill[64];
		db_text(st, 1, name, sizeof name);
		int c = clock_from_name(name);
		int64_t started = sqlite3_column_int64(st, 2), basis = sqlite3_column_int64(st, 3);
		if (c < 0 || !clock_counts_working_days((enum pilot_clock)c))
			continue;
		if (!basis && c == CLOCK_RETURN) {
			db_text(st, 5, waybill, sizeof waybill);
			if ((rc = return_basis(s, waybill, started, &basis, e)))
				break;
		}
		int64_t base = deadline_due(s->rules.calendar, (enum pilot_clock)c, basis ? basis : started,
					    s->rules.offset_min);
		if (base == sqlite3_column_int64(st, 4))
			continue;
		if (n == cap) {
			struct rebase *m = realloc(v, (cap = cap ? cap * 2 : 64) * sizeof *m);
			if (!m) {
				rc = am_fail(e, AM_ENV, _("out of memory"));
				break;
			}
			v = m;
		}
		v[n].id = sqlite3_column_int64(st, 0);
		v[n++].base = base;
	}
	sqlite3_finalize(st);
	st = NULL;
	/* updated after the walk, then every open clock moved from its base */
	if (!rc && n && !(rc = db_prepare(s, &st, "UPDATE clock SET base_due_ms = ?, due_ms = ? WHERE id = ?", e))) {
		for (size_t i = 0; i < n && !rc; i++) {
			sqlite3_bind_int64(st, 1, v[i].base);
			sqlite3_bind_int64(st, 2, v[i].base);
			sqlite3_bind_int64(st, 3, v[i].id);
			if (sqlite3_step(st) != SQLITE_DONE)
				rc = db_fail(s, e, _("moving a deadline"));
			sqlite3_reset(st);
		}
		sqlite3_finalize(st);
	}
	free(v);
	if (!rc && n)
		rc = force_majeure_refresh(s, now, e);
	/* due times moved without an event naming their envelopes: the shift
	 * screen's kept soonest deadlines are read again (shift.c: catch_up) */
	if (!rc && n)
		rc = db_exec(s, CLOCKS_MOVED_SQL, e);
	if (rc) {
		db_rollback(s);
		return rc;
	}
	*moved = n;
	return db_commit(s, e);
}
