/* fuzz_orders.c - the sorting sector's applications list (CSV): taken
 * whole, every line keeping the promises of orders.h, or refused whole. */
#include <string.h>
#include "amanat/orders.h"
#include "amanat/text.h"
#include "fuzz/register_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_bytes b = { data, size };
	struct waybill_rule rule;
	fuzz_rule(fuzz_byte(&b), &rule);
	char *text = malloc(b.n ? b.n : 1);	/* the exact bytes, not NUL-terminated */
	fuzz_check(text != NULL);
	memcpy(text, b.p, b.n);
	struct order_list l;
	struct am_error e;
	e.msg[0] = '\0';
	int rc = orders_parse_csv(text, b.n, &rule, &l, &e);
	free(text);
	if (rc) {
		fuzz_check(rc < 0 && e.msg[0] && l.items == NULL && l.n == 0);
		return 0;
	}
	fuzz_check(l.n > 0);
	char why[200];
	for (size_t i = 0; i < l.n; i++) {
		const struct order *o = &l.items[i];
		fuzz_check(waybill_validate(&rule, o->line.waybill, why, sizeof why) == 0);
		fuzz_check(o->line.application[0] && o->line.postomat[0] && o->line.city[0] && o->point[0]);
		fuzz_check(!o->line.iin[0] || iin_validate(o->line.iin, why, sizeof why) == 0);
		struct am_error te;
		fuzz_check(text_check_str(NULL, "application", o->line.application, &te) == 0);
		fuzz_check(text_check_str(NULL, "point", o->point, &te) == 0);
		for (size_t j = 0; j < i; j++)
			fuzz_check(strcmp(l.items[j].line.waybill, o->line.waybill)
				   && strcmp(l.items[j].line.application, o->line.application));
	}
	orders_free(&l);
	return 0;
}
