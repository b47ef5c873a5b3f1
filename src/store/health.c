/*
 * health.c - checks for `amanat doctor` and for restoring a backup.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "amanat/health.h"
#include "amanat/i18n.h"
#include "store_internal.h"

int store_quick_check(struct store *s, struct am_error *e)
{
	sqlite3_stmt *st;
	char first[256] = "";
	int rc = db_prepare(s, &st, "PRAGMA quick_check", e);
	if (rc)
		return rc;
	if (sqlite3_step(st) == SQLITE_ROW)
		db_text(st, 0, first, sizeof first);
	sqlite3_finalize(st);
	if (strcmp(first, "ok") != 0)
		return am_fail(e, AM_ENV, _("the database is damaged (%s): restore a backup (amanat restore FILE)"), first);
	/* An envelope's clocks are found by its rowid (schema 24, CLOCKS_OF),
	 * the column envelope.id since schema 26: a table rebuilt by another
	 * tool from a database before it may have renumbered its rows, and the
	 * deadlines, legal records, would no longer be found. */
	if ((rc = db_prepare(s, &st, "SELECT count(*) FROM clock c WHERE c.id > 0 AND NOT EXISTS (SELECT 1"
			     " FROM envelope v WHERE v.rowid = c.id / " CLOCK_SLOTS_SQL " AND v.waybill = c.waybill)", e)))
		return rc;
	long long lost = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	sqlite3_finalize(st);
	if (lost < 0)
		return db_fail(s, e, _("reading deadlines"));
	if (lost)
		return am_fail(e, AM_ENV, _("%lld deadlines no longer find their envelope: the database was rebuilt outside amanat (VACUUM, a dump read back); restore a backup (amanat restore FILE)"), lost);
	/* A fresh clock (schema 28) is found by its id in log_head's list:
	 * one marked fresh and not listed is in no list of open deadlines. */
	if ((rc = db_prepare(s, &st, "SELECT count(*) FROM clock WHERE fresh = 1 AND closed_ms = 0"
			     " AND id NOT IN " CLOCK_FRESH_IDS, e)))
		return rc;
	lost = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	sqlite3_finalize(st);
	if (lost < 0)
		return db_fail(s, e, _("reading deadlines"));
	if (lost)
		return am_fail(e, AM_ENV, _("%lld open deadlines are missing from the lists of deadlines: the database was changed outside amanat; restore a backup (amanat restore FILE)"), lost);
	return 0;
}

int store_schema_version(struct store *s, int *file, int *binary, struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(s, &st, "PRAGMA user_version", e);
	if (rc)
		return rc;
	*file = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
	sqlite3_finalize(st);
	*binary = schema_version_latest();
	return 0;
}

int store_newest_event(struct store *s, int64_t *at_ms, struct am_error *e)
{
	sqlite3_stmt *st;
	/* the latest time reached its hour in event_hour's last row, at or
	 * after its seq: only that hour's events are read */
	int rc = db_prepare(s, &st, "SELECT coalesce(max(at_ms), 0) FROM event WHERE seq >= coalesce("
			    "(SELECT seq FROM event_hour ORDER BY hour DESC LIMIT 1), 0)", e);
	if (rc)
		return rc;
	*at_ms = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return 0;
}

int store_registers_unfinished(struct store *s, int (*cb)(const char *id, size_t lines, void *), void *arg,
			       struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(s, &st, "SELECT r.id, (SELECT count(*) FROM register_line l WHERE l.register_id = r.id)"
			    " FROM register r WHERE r.imported_at = 0 ORDER BY r.id", e), step;
	if (rc)
		return rc;
	while ((step = sqlite3_step(st)) == SQLITE_ROW)
		if (cb((const char *)sqlite3_column_text(st, 0), (size_t)sqlite3_column_int64(st, 1), arg))
			break;
	rc = step == SQLITE_ROW || step == SQLITE_DONE ? 0 : db_fail(s, e, _("reading registers"));
	sqlite3_finalize(st);
	return rc;
}

/* Restore: check the copy first (an amanat database this binary can read,
 * intact), keep the current database aside, then copy with the backup API. */
int store_restore(const char *src, const char *db_path, struct am_error *e)
{
	sqlite3 *from = NULL, *to = NULL;
	sqlite3_stmt *st;
	char check[256] = "";
	int version = -1, rc = 0;
	if (sqlite3_open_v2(src, &from, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		rc = am_fail(e, AM_ENV, _("cannot open the backup %s"), src);
		goto out;
	}
	if (sqlite3_prepare_v2(from, "PRAGMA integrity_check", -1, &st, NULL) != SQLITE_OK) {
		rc = am_fail(e, AM_REFUSED, _("%s is not a database"), src);
		goto out;
	}
	if (sqlite3_step(st) == SQLITE_ROW)
		snprintf(check, sizeof check, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	if (strcmp(check, "ok")) {
		rc = am_fail(e, AM_REFUSED, _("the backup %s is damaged (%s): nothing was restored"), src, check);
		goto out;
	}
	if (sqlite3_prepare_v2(from, "SELECT (SELECT user_version FROM pragma_user_version),"
			       " (SELECT count(*) FROM sqlite_master WHERE name = 'event')", -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 1) == 1)
			version = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	if (version < 1) {
		rc = am_fail(e, AM_REFUSED, _("%s is not an amanat database: nothing was restored"), src);
		goto out;
	}
	if (version > schema_version_latest()) {
		rc = am_fail(e, AM_REFUSED, _("%s comes from a newer amanat (schema %d): install it first"), src, version);
		goto out;
	}
	if (access(db_path, F_OK) == 0) {	/* keep what is replaced */
		char keep[4200];
		snprintf(keep, sizeof keep, "%s.before-restore", db_path);
		struct store *cur;
		if (store_open(db_path, &cur, e) == 0) {
			rc = store_backup(cur, keep, e);
			store_close(cur);
			if (rc)
				goto out;
		}
	}
	if ((rc = store_create_file(db_path, e)))	/* group-writable, like init makes it */
		goto out;
	if (sqlite3_open_v2(db_path, &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		rc = am_fail(e, AM_ENV, _("cannot open %s"), db_path);
		goto out;
	}
	sqlite3_backup *b = sqlite3_backup_init(to, "main", from, "main");
	if (!b || sqlite3_backup_step(b, -1) != SQLITE_DONE)
		rc = am_fail(e, AM_ENV, _("restoring %s failed: %s"), db_path, sqlite3_errmsg(to));
	if (b)
		sqlite3_backup_finish(b);
out:
	sqlite3_close(from);
	sqlite3_close(to);
	return rc;
}
