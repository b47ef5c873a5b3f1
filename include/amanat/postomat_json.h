/*
 * postomat_json.h - the postomat document (GET /v1/postomats, or a file):
 * {"postomats":[{"id","city","address","cells":[{"id","size","status","waybill"}]}]}
 * validated whole before anything is stored.
 */
#ifndef AMANAT_POSTOMAT_JSON_H
#define AMANAT_POSTOMAT_JSON_H

#include <stddef.h>
#include <jansson.h>
#include "amanat/store.h"

int postomat_import_json(struct store *s, json_t *root, const char *source, size_t *n_postomats,
			 size_t *n_cells, struct am_error *e);

#endif
