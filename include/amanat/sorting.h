/*
 * sorting.h - the State Corp sorting sector in the store (§13-16): the
 * applications list from ХҚКО ИАЖ (orders.h), the envelopes the sorting
 * clerk scans for the register being formed, and the register formed from
 * them - an inbound register like any imported one, so its labels and
 * sheet print as every register's do, and the point loads it from the
 * sheet's codes or its file.
 */
#ifndef AMANAT_SORTING_H
#define AMANAT_SORTING_H

#include <stddef.h>
#include <stdint.h>
#include "amanat/orders.h"
#include "amanat/store.h"

/* Keep an applications list (source: the file's name).  An application
 * listed before is updated unless it is on a register already; a waybill
 * that belongs to another application here refuses the whole list.
 * n_new gets the applications not known before. */
int store_orders_load(struct store *s, const struct order_list *l, const char *source,
		      size_t *n_new, struct am_error *e);

/* One line of the register being formed. */
struct sort_line {
	struct order order;
	char actor[64];
	int64_t at_ms;
};

enum sort_result { SORT_ADDED, SORT_AGAIN };

/* A scanned envelope (its application number or its waybill) onto the
 * register being formed.  SORT_AGAIN: scanned already, counted once.
 * AM_REFUSED with what to do: not on the list, on a register already,
 * for another reception point than the lines before. */
int store_sort_scan(struct store *s, const char *code, const struct event_ctx *ctx,
		    struct sort_line *out, enum sort_result *res, struct am_error *e);
/* Take a scanned envelope off the register being formed. */
int store_sort_remove(struct store *s, const char *code, struct sort_line *out, struct am_error *e);
/* The lines scanned so far, newest first; cb returns non-zero to stop. */
int store_sort_each(struct store *s, int (*cb)(const struct sort_line *, void *), void *arg,
		    struct am_error *e);
/* Applications of the list not on any register yet, and lines scanned. */
int store_sort_counts(struct store *s, size_t *n_waiting, size_t *n_scanned, struct am_error *e);
/* Form the register id from the scanned lines, in scan order: an inbound
 * register from ctx->place to their reception point, imported here as any
 * register is (the envelopes become registered, the §10 and §17 clocks
 * start), and the scanned lines cleared - all in one transaction.  out gets
 * the register (register_free it). */
int store_sort_form(struct store *s, const char *id, const struct event_ctx *ctx, struct reg *out,
		    struct am_error *e);

#endif
