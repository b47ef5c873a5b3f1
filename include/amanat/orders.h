/*
 * orders.h - the sorting sector's applications list (§12-16).
 *
 * The State Corp sorting sector splits executed documents by issue method
 * (§13) and forms the register for a Kaspi reception point from those to be
 * issued at a postomat.  What each envelope needs on that register - the
 * application number, the waybill Kaspi gave its delivery order (§8-9), the
 * postomat and city the parent chose (§3-4), the reception point - comes
 * from ХҚКО ИАЖ as a list of delivery orders, exported to a CSV file:
 *
 *   application,waybill,postomat,city,point,iin
 *   KZ-APP-2026-001000,RR402118737KZ,PM-ALM-0042,Алматы,KP-ALM-007,900101300007
 *
 * Columns in any order; iin may be absent or empty.  A file is refused
 * whole (naming the line and field) or accepted whole.
 */
#ifndef AMANAT_ORDERS_H
#define AMANAT_ORDERS_H

#include <stddef.h>
#include "amanat/codes.h"
#include "amanat/error.h"
#include "amanat/register.h"

struct order {
	struct register_line line;	/* waybill, application, postomat, city, iin */
	char point[REG_FIELD_MAX];	/* the Kaspi reception point it goes to */
};

struct order_list {
	struct order *items;
	size_t n;
};

/* Parse an applications list: every waybill checked with rule, every IIN
 * given with its checksum; no application or waybill twice. */
int orders_parse_csv(const char *text, size_t len, const struct waybill_rule *rule,
		     struct order_list *out, struct am_error *e);
void orders_free(struct order_list *l);

#endif
