/*
 * postomat.h - postomats, their cells and the cells reserved for waybills.
 *
 * The data arrives from upstream (sync: GET /v1/postomats) or a file; the
 * courier's screens read it to show the address and to offer another free
 * cell when the reserved one is full, broken or too small.
 */
#ifndef AMANAT_POSTOMAT_H
#define AMANAT_POSTOMAT_H

#include <stddef.h>
#include <stdint.h>
#include "amanat/error.h"
#include "amanat/store.h"

enum cell_status { CELL_FREE, CELL_RESERVED, CELL_OCCUPIED, CELL_BROKEN };

struct postomat {
	char id[64];
	char city[128];
	char address[256];
};

struct cell {
	char postomat[64];
	char id[32];			/* as on the cell's label: "A07" */
	char size[8];			/* "S", "M", "L" */
	enum cell_status status;
	char waybill[32];		/* reserved for / occupied by, or "" */
};

const char *cell_status_name(enum cell_status s);

int store_postomat_put(struct store *s, const struct postomat *p, struct am_error *e);
int store_postomat_get(struct store *s, const char *id, struct postomat *out,
		       struct am_error *e);
int store_postomat_each(struct store *s, int (*cb)(const struct postomat *, void *),
			void *arg, struct am_error *e);
int store_cell_put(struct store *s, const struct cell *c, struct am_error *e);
int store_cell_get(struct store *s, const char *postomat, const char *cell,
		   struct cell *out, struct am_error *e);
int store_cell_each(struct store *s, const char *postomat,
		    int (*cb)(const struct cell *, void *), void *arg, struct am_error *e);
int store_cell_set_status(struct store *s, const char *postomat, const char *cell,
			  enum cell_status st, struct am_error *e);

#endif
