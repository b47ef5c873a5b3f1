/*
 * staff.c - people, roles, PINs (yescrypt hashes from crypt(3)) and shifts.
 */
#include <crypt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "amanat/i18n.h"
#include "amanat/staff.h"
#include "amanat/text.h"
#include "amanat/timeutil.h"
#include "store_internal.h"

static const char *const role_names[] = { N_("clerk"), N_("courier"), N_("supervisor"), N_("sorting") };

const char *staff_role_name(enum staff_role r)
{
	return (unsigned)r < 4 ? role_names[r] : "?";
}

int staff_role_from_name(const char *name)
{
	for (int i = 0; i < 4; i++)
		if (strcmp(role_names[i], name) == 0)
			return i;
	return -1;
}

int store_staff_add(struct store *s, const struct staff *st, const char *pin, struct am_error *e)
{
	struct crypt_data cd;
	char setting[CRYPT_GENSALT_OUTPUT_SIZE];
	sqlite3_stmt *q;
	if (!st->badge[0] || !st->name[0])
		return am_fail(e, AM_REFUSED, _("a staff member needs a badge and a name"));
	if (text_check_name("name", st->name, STAFF_NAME_CHARS, e))
		return AM_REFUSED;
	if (!pin || strlen(pin) < 4)
		return am_fail(e, AM_REFUSED, _("a PIN has at least 4 characters"));
	if (!crypt_gensalt_rn("$y$", 0, NULL, 0, setting, sizeof setting))
		return am_fail(e, AM_ENV, _("crypt_gensalt failed: no yescrypt on this system"));
	memset(&cd, 0, sizeof cd);
	const char *hash = crypt_r(pin, setting, &cd);
	if (!hash || hash[0] == '*')
		return am_fail(e, AM_ENV, _("crypt failed"));
	int rc = db_prepare(s, &q, "INSERT INTO staff(badge, name, role, pin_hash, active) VALUES (?,?,?,?,?)"
			    " ON CONFLICT(badge) DO UPDATE SET name = excluded.name, role = excluded.role,"
			    " pin_hash = excluded.pin_hash, active = excluded.active", e);
	if (rc)
		return rc;
	sqlite3_bind_text(q, 1, st->badge, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, st->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, staff_role_name(st->role), -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, hash, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 5, st->active);
	rc = sqlite3_step(q) == SQLITE_DONE ? 0 : db_fail(s, e, _("saving the staff member"));
	sqlite3_finalize(q);
	return rc;
}

static void staff_from(sqlite3_stmt *q, struct staff *out)
{
	char role[16];
	memset(out, 0, sizeof *out);
	db_text(q, 0, out->badge, sizeof out->badge);
	db_text(q, 1, out->name, sizeof out->name);
	db_text(q, 2, role, sizeof role);
	int r = staff_role_from_name(role);
	out->role = r < 0 ? ROLE_CLERK : (enum staff_role)r;
	out->active = sqlite3_column_int(q, 3) != 0;
}

int store_staff_get(struct store *s, const char *badge, struct staff *out, struct am_error *e)
{
	sqlite3_stmt *q;
	int rc = db_prepare(s, &q, "SELECT badge, name, role, active FROM staff WHERE badge = ?", e);
	if (rc)
		return rc;
	sqlite3_bind_text(q, 1, badge, -1, SQLITE_STATIC);
	int step = sqlite3_step(q);
	if (step == SQLITE_ROW)
		staff_from(q, out);
	else
		rc = step == SQLITE_DONE ? am_fail(e, AM_REFUSED, _("unknown badge %s"), badge)
					 : db_fail(s, e, _("reading staff"));
	sqlite3_finalize(q);
	return rc;
}

int store_staff_each(struct store *s, int (*cb)(const struct staff *, void *), void *arg,
		     struct am_error *e)
{
	sqlite3_stmt *q;
	int rc = db_prepare(s, &q, "SELECT badge, name, role, active FROM staff ORDER BY role, name", e);
	if (rc)
		return rc;
	while (sqlite3_step(q) == SQLITE_ROW) {
		struct staff st;
		staff_from(q, &st);
		if (cb(&st, arg))
			break;
	}
	sqlite3_finalize(q);
	return 0;
}

int store_staff_check_pin(struct store *s, const char *badge, const char *pin, struct am_error *e)
{
	sqlite3_stmt *q;
	char stored[256] = "";
	int active = 0;
	int rc = db_prepare(s, &q, "SELECT pin_hash, active FROM staff WHERE badge = ?", e);
	if (rc)
		return rc;
	sqlite3_bind_text(q, 1, badge, -1, SQLITE_STATIC);
	if (sqlite3_step(q) == SQLITE_ROW) {
		db_text(q, 0, stored, sizeof stored);
		active = sqlite3_column_int(q, 1);
	}
	sqlite3_finalize(q);
	struct crypt_data cd;
	memset(&cd, 0, sizeof cd);
	const char *hash = stored[0] ? crypt_r(pin ? pin : "", stored, &cd) : NULL;
	/* One answer for an unknown badge and a wrong PIN: no hint to a guesser. */
	if (!hash || strcmp(hash, stored) != 0 || !active)
		return am_fail(e, AM_REFUSED, _("wrong badge or PIN"));
	return 0;
}

int store_shift_open(struct store *s, const char *badge, struct shift *out, struct am_error *e)
{
	struct event_ctx ctx = { badge, "", 0, NULL };
	int rc = store_shift_current(s, badge, out, e);
	if (rc == 0)
		return 0;	/* already open: carry on */
	if ((rc = db_begin(s, e)))
		return rc;
	sqlite3_stmt *q;
	int64_t now = db_now(NULL);
	if ((rc = db_prepare(s, &q, "INSERT INTO shift(badge, opened_ms) VALUES (?, ?)", e)))
		goto fail;
	sqlite3_bind_text(q, 1, badge, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, now);
	rc = sqlite3_step(q) == SQLITE_DONE ? 0 : db_fail(s, e, _("opening the shift"));
	sqlite3_finalize(q);
	out->id = sqlite3_last_insert_rowid(s->db);	/* before the event's insert */
	if (rc || (rc = event_append(s, EV_SHIFT_OPENED, "", "", "{}", &ctx, e)))
		goto fail;
	snprintf(out->badge, sizeof out->badge, "%s", badge);
	out->opened_ms = now;
	out->closed_ms = 0;
	return db_commit(s, e);
fail:
	db_rollback(s);
	return rc;
}

int store_shift_close(struct store *s, int64_t shift_id, struct am_error *e)
{
	sqlite3_stmt *q;
	char badge[64] = "";
	int rc = db_begin(s, e);
	if (rc)
		return rc;
	if ((rc = db_prepare(s, &q, "UPDATE shift SET closed_ms = ? WHERE id = ? AND closed_ms = 0 RETURNING badge", e)))
		goto fail;
	sqlite3_bind_int64(q, 1, db_now(NULL));
	sqlite3_bind_int64(q, 2, shift_id);
	if (sqlite3_step(q) == SQLITE_ROW)
		db_text(q, 0, badge, sizeof badge);
	sqlite3_finalize(q);
	if (!badge[0]) {
		rc = am_fail(e, AM_REFUSED, _("this shift is not open"));
		goto fail;
	}
	struct event_ctx ctx = { badge, "", 0, NULL };
	if ((rc = event_append(s, EV_SHIFT_CLOSED, "", "", "{}", &ctx, e)))
		goto fail;
	return db_commit(s, e);
fail:
	db_rollback(s);
	return rc;
}

int store_shift_current(struct store *s, const char *badge, struct shift *out, struct am_error *e)
{
	sqlite3_stmt *q;
	int rc = db_prepare(s, &q, "SELECT id, badge, opened_ms FROM shift WHERE badge = ? AND closed_ms = 0"
			    " ORDER BY id DESC LIMIT 1", e);
	if (rc)
		return rc;
	sqlite3_bind_text(q, 1, badge, -1, SQLITE_STATIC);
	if (sqlite3_step(q) == SQLITE_ROW) {
		out->id = sqlite3_column_int64(q, 0);
		db_text(q, 1, out->badge, sizeof out->badge);
		out->opened_ms = sqlite3_column_int64(q, 2);
		out->closed_ms = 0;
	} else {
		rc = am_fail(e, AM_REFUSED, _("no open shift"));
	}
	sqlite3_finalize(q);
	return rc;
}

/* After a wrong PIN for a known badge: count it, and at the fifth lock the
 * badge and say so in the log. */
static int pin_failed(struct store *s, const char *badge, int failures, int64_t now,
		      int64_t *locked_until, struct am_error *e)
{
	struct event_ctx ctx = { badge, "", now, NULL };
	int64_t until = failures + 1 >= PIN_TRIES ? now + PIN_LOCK_MS : 0;
	sqlite3_stmt *q;
	int rc = db_begin(s, e);
	if (rc)
		return rc;
	if ((rc = db_prepare(s, &q, "INSERT INTO staff_lock(badge, pin_failures, locked_until) VALUES (?3, ?1, ?2)"
			     " ON CONFLICT(badge) DO UPDATE SET pin_failures = ?1, locked_until = ?2", e)))
		goto fail;
	sqlite3_bind_int(q, 1, until ? 0 : failures + 1);
	sqlite3_bind_int64(q, 2, until);
	sqlite3_bind_text(q, 3, badge, -1, SQLITE_STATIC);
	rc = sqlite3_step(q) == SQLITE_DONE ? 0 : db_fail(s, e, _("saving the staff member"));
	sqlite3_finalize(q);
	if (rc)
		goto fail;
	if (until) {
		char *payload = payload_pack("{s:s, s:I, s:i}", "badge", badge, "until_ms", (json_int_t)until,
					     "tries", PIN_TRIES);
		rc = payload ? event_append(s, EV_BADGE_LOCKED, "", "", payload, &ctx, e)
			     : am_fail(e, AM_ENV, _("out of memory"));
		free(payload);
		if (rc)
			goto fail;
	}
	if ((rc = db_commit(s, e)))
		return rc;
	if (locked_until)
		*locked_until = until;
	if (until) {
		char t[32];
		time_format_local(until, s->rules.offset_min, t, sizeof t);
		return am_fail(e, AM_REFUSED, _("%d wrong PINs: badge %s is locked until %s"), PIN_TRIES, badge, t + 11);
	}
	return am_fail(e, AM_REFUSED, _("wrong badge or PIN"));
fail:
	db_rollback(s);
	return rc;
}

int store_staff_login(struct store *s, const char *badge, const char *pin, struct staff *out,
		      int64_t *locked_until, struct am_error *e)
{
	sqlite3_stmt *q;
	char stored[256] = "";
	int active = 0, failures = 0;
	int64_t until = 0, now = db_now(NULL);
	if (locked_until)
		*locked_until = 0;
	int rc = db_prepare(s, &q, "SELECT pin_hash, active, coalesce(l.pin_failures, 0), coalesce(l.locked_until, 0)"
			    " FROM staff LEFT JOIN staff_lock l USING (badge) WHERE badge = ?", e);
	if (rc)
		return rc;
	sqlite3_bind_text(q, 1, badge, -1, SQLITE_STATIC);
	bool known = sqlite3_step(q) == SQLITE_ROW;
	if (known) {
		db_text(q, 0, stored, sizeof stored);
		active = sqlite3_column_int(q, 1);
		failures = sqlite3_column_int(q, 2);
		until = sqlite3_column_int64(q, 3);
	}
	sqlite3_finalize(q);
	if (!known)
		return am_fail(e, AM_REFUSED, _("wrong badge or PIN"));
	if (until > now) {
		char t[32];
		if (locked_until)
			*locked_until = until;
		time_format_local(until, s->rules.offset_min, t, sizeof t);
		return am_fail(e, AM_REFUSED, _("badge %s is locked until %s after %d wrong PINs"), badge, t + 11, PIN_TRIES);
	}
	struct crypt_data cd;
	memset(&cd, 0, sizeof cd);
	const char *hash = stored[0] ? crypt_r(pin ? pin : "", stored, &cd) : NULL;
	if (!hash || strcmp(hash, stored) != 0 || !active)
		return pin_failed(s, badge, until ? 0 : failures, now, locked_until, e);
	if (failures || until) {
		if ((rc = db_prepare(s, &q, "DELETE FROM staff_lock WHERE badge = ?", e)))
			return rc;
		sqlite3_bind_text(q, 1, badge, -1, SQLITE_STATIC);
		rc = sqlite3_step(q) == SQLITE_DONE ? 0 : db_fail(s, e, _("saving the staff member"));
		sqlite3_finalize(q);
		if (rc)
			return rc;
	}
	return store_staff_get(s, badge, out, e);
}

int store_staff_locked_each(struct store *s, int64_t now_ms,
			    int (*cb)(const char *badge, int64_t until_ms, void *), void *arg,
			    struct am_error *e)
{
	sqlite3_stmt *q;
	int rc = db_prepare(s, &q, "SELECT badge, locked_until FROM staff_lock WHERE locked_until > ? ORDER BY badge", e);
	if (rc)
		return rc;
	sqlite3_bind_int64(q, 1, now_ms);
	int step;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		char badge[64];
		db_text(q, 0, badge, sizeof badge);
		if (cb(badge, sqlite3_column_int64(q, 1), arg))
			break;
	}
	rc = step == SQLITE_ROW || step == SQLITE_DONE ? 0 : db_fail(s, e, _("reading the staff"));
	sqlite3_finalize(q);
	return rc;
}
