/*
 * postomat_json.c - reading the postomat document into the store.  The
 * whole document is checked first and stored in one transaction, so a bad
 * one or a kill half-way changes nothing; a reserved cell with a waybill
 * sets that envelope's reserved cell.
 */
#include <stdio.h>
#include <string.h>
#include "amanat/i18n.h"
#include "amanat/postomat.h"
#include "amanat/postomat_json.h"
#include "amanat/text.h"

static const char *jstr(json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));
	return v ? v : "";
}

static int check(json_t *root, const char *source, struct am_error *e)
{
	size_t i, j;
	json_t *pm, *cell;
	json_t *list = json_object_get(root, "postomats");
	if (!json_is_array(list))
		return am_fail(e, AM_REFUSED, _("%s: field 'postomats' must be a list"), source);
	json_array_foreach(list, i, pm) {
		const char *id = jstr(pm, "id");
		if (!*id || strlen(id) >= 64)
			return am_fail(e, AM_REFUSED, _("%s: postomat %zu: field 'id' is missing"), source, i + 1);
		char where[128];
		snprintf(where, sizeof where, _("%s: postomat %zu"), source, i + 1);
		static const char *const texts[] = { "id", "city", "address" };
		for (int k = 0; k < 3; k++)
			if (text_check_str(where, texts[k], jstr(pm, texts[k]), e))
				return AM_REFUSED;
		json_t *cells = json_object_get(pm, "cells");
		if (cells && !json_is_array(cells))
			return am_fail(e, AM_REFUSED, _("%s: postomat %s: field 'cells' must be a list"), source, id);
		json_array_foreach(cells, j, cell) {
			const char *cid = jstr(cell, "id"), *status = jstr(cell, "status");
			static const char *const ctexts[] = { "id", "size", "waybill" };
			snprintf(where, sizeof where, _("%s: postomat %zu, cell %zu"), source, i + 1, j + 1);
			for (int k = 0; k < 3; k++)
				if (text_check_str(where, ctexts[k], jstr(cell, ctexts[k]), e))
					return AM_REFUSED;
			if (!*cid || strlen(cid) >= 32)
				return am_fail(e, AM_REFUSED, _("%s: postomat %s, cell %zu: field 'id' is missing"), source, id, j + 1);
			if (*status && strcmp(status, "free") && strcmp(status, "reserved") && strcmp(status, "occupied")
			    && strcmp(status, "broken"))
				return am_fail(e, AM_REFUSED, _("%s: postomat %s, cell %s: status is free, reserved, occupied or broken"),
					       source, id, cid);
		}
	}
	return 0;
}

static int put_all(struct store *s, json_t *root, size_t *n_postomats, size_t *n_cells,
		   struct am_error *e)
{
	size_t i, j;
	json_t *pm, *cell;
	int rc;
	json_array_foreach(json_object_get(root, "postomats"), i, pm) {
		struct postomat p;
		memset(&p, 0, sizeof p);
		snprintf(p.id, sizeof p.id, "%s", jstr(pm, "id"));
		snprintf(p.city, sizeof p.city, "%s", jstr(pm, "city"));
		snprintf(p.address, sizeof p.address, "%s", jstr(pm, "address"));
		if ((rc = store_postomat_put(s, &p, e)))
			return rc;
		(*n_postomats)++;
		json_array_foreach(json_object_get(pm, "cells"), j, cell) {
			struct cell c;
			const char *status = jstr(cell, "status");
			memset(&c, 0, sizeof c);
			snprintf(c.postomat, sizeof c.postomat, "%s", p.id);
			snprintf(c.id, sizeof c.id, "%s", jstr(cell, "id"));
			snprintf(c.size, sizeof c.size, "%s", jstr(cell, "size"));
			snprintf(c.waybill, sizeof c.waybill, "%s", jstr(cell, "waybill"));
			c.status = !*status || !strcmp(status, "free") ? CELL_FREE : !strcmp(status, "reserved") ? CELL_RESERVED
				 : !strcmp(status, "occupied") ? CELL_OCCUPIED : CELL_BROKEN;
			if ((rc = store_cell_put(s, &c, e)))
				return rc;
			struct am_error ignore;
			if (c.status == CELL_RESERVED && c.waybill[0])
				store_reserve_cell(s, c.waybill, p.id, c.id, &ignore);	/* unknown waybills: later */
			(*n_cells)++;
		}
	}
	return 0;
}

/* One transaction for the whole document (sync runs this too): a kill or a
 * refused row leaves the set as it was, and a thousand cells cost one
 * fsync, not a thousand. */
int postomat_import_json(struct store *s, json_t *root, const char *source, size_t *n_postomats,
			 size_t *n_cells, struct am_error *e)
{
	int rc = check(root, source, e);
	*n_postomats = *n_cells = 0;
	if (rc || (rc = store_batch_begin(s, e)))
		return rc;
	rc = put_all(s, root, n_postomats, n_cells, e);
	struct am_error ignore;
	if (rc) {
		store_batch_end(s, false, &ignore);
		*n_postomats = *n_cells = 0;
		return rc;
	}
	if ((rc = store_batch_end(s, true, e)))
		*n_postomats = *n_cells = 0;
	return rc;
}
