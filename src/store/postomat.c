/*
 * postomat.c - postomats and their cells: kept from upstream data (sync or
 * a file) so that the courier's screens can show the address and offer a
 * free cell when the reserved one cannot be used.
 */
#include <stdio.h>
#include <string.h>
#include "amanat/i18n.h"
#include "amanat/postomat.h"
#include "store_internal.h"

static const char *const cell_names[] = { "free", "reserved", "occupied", "broken" };

const char *cell_status_name(enum cell_status s)
{
	return (unsigned)s < 4 ? cell_names[s] : "?";
}

static enum cell_status cell_status_from(const char *name)
{
	for (int i = 0; i < 4; i++)
		if (strcmp(cell_names[i], name) == 0)
			return (enum cell_status)i;
	return CELL_BROKEN;	/* unknown: do not offer it */
}

int store_postomat_put(struct store *s, const struct postomat *p, struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_cached(s, &st, "INSERT INTO postomat(id, city, address) VALUES (?,?,?)"
			    " ON CONFLICT(id) DO UPDATE SET city = excluded.city, address = excluded.address", e);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, p->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, p->city, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, p->address, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(s, e, _("saving the postomat"));
	db_done(s, st);
	return rc;
}

static void postomat_from(sqlite3_stmt *st, struct postomat *p)
{
	db_text(st, 0, p->id, sizeof p->id);
	db_text(st, 1, p->city, sizeof p->city);
	db_text(st, 2, p->address, sizeof p->address);
}

int store_postomat_get(struct store *s, const char *id, struct postomat *out, struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(s, &st, "SELECT id, city, address FROM postomat WHERE id = ?", e);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		postomat_from(st, out);
	else
		rc = step == SQLITE_DONE ? am_fail(e, AM_REFUSED, _("unknown postomat %s"), id)
					 : db_fail(s, e, _("reading the postomat"));
	sqlite3_finalize(st);
	return rc;
}

int store_postomat_each(struct store *s, int (*cb)(const struct postomat *, void *), void *arg,
			struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(s, &st, "SELECT id, city, address FROM postomat ORDER BY id", e);
	if (rc)
		return rc;
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct postomat p;
		postomat_from(st, &p);
		if (cb(&p, arg))
			break;
	}
	sqlite3_finalize(st);
	return 0;
}

int store_cell_put(struct store *s, const struct cell *c, struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_cached(s, &st, "INSERT INTO cell(postomat, id, size, status, waybill) VALUES (?,?,?,?,?)"
			    " ON CONFLICT(postomat, id) DO UPDATE SET size = excluded.size,"
			    " status = excluded.status, waybill = excluded.waybill", e);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, c->postomat, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, c->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, c->size, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, cell_status_name(c->status), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, c->waybill, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(s, e, _("saving the cell"));
	db_done(s, st);
	return rc;
}

static void cell_from(sqlite3_stmt *st, struct cell *c)
{
	char status[16];
	db_text(st, 0, c->postomat, sizeof c->postomat);
	db_text(st, 1, c->id, sizeof c->id);
	db_text(st, 2, c->size, sizeof c->size);
	db_text(st, 3, status, sizeof status);
	c->status = cell_status_from(status);
	db_text(st, 4, c->waybill, sizeof c->waybill);
}

int store_cell_get(struct store *s, const char *postomat, const char *cell, struct cell *out,
		   struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(s, &st, "SELECT postomat, id, size, status, waybill FROM cell"
			    " WHERE postomat = ? AND id = ?", e);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, postomat, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, cell, -1, SQLITE_STATIC);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		cell_from(st, out);
	else
		rc = step == SQLITE_DONE ? am_fail(e, AM_REFUSED, _("postomat %s has no cell %s"), postomat, cell)
					 : db_fail(s, e, _("reading the cell"));
	sqlite3_finalize(st);
	return rc;
}

int store_cell_each(struct store *s, const char *postomat, int (*cb)(const struct cell *, void *),
		    void *arg, struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(s, &st, "SELECT postomat, id, size, status, waybill FROM cell"
			    " WHERE postomat = ? ORDER BY id", e);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, postomat, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct cell c;
		cell_from(st, &c);
		if (cb(&c, arg))
			break;
	}
	sqlite3_finalize(st);
	return 0;
}

int store_cell_set_status(struct store *s, const char *postomat, const char *cell,
			  enum cell_status status, struct am_error *e)
{
	sqlite3_stmt *st;
	int rc = db_prepare(s, &st, "UPDATE cell SET status = ? WHERE postomat = ? AND id = ?", e);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, cell_status_name(status), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, postomat, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, cell, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = db_fail(s, e, _("updating the cell"));
	else if (sqlite3_changes(s->db) == 0)
		rc = am_fail(e, AM_REFUSED, _("postomat %s has no cell %s"), postomat, cell);
	sqlite3_finalize(st);
	return rc;
}
