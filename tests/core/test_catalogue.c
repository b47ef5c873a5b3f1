/*
 * test_catalogue.c - docs/protocol.md lists every event type the code can
 * write, once, and nothing else: the upstream side is built from that table.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "amanat/lifecycle.h"

#define MAX_ROWS 128

static void catalogue_equals_code(void **state)
{
	char path[512], line[2048], names[MAX_ROWS][64];
	int n = 0, seen[EV__COUNT] = { 0 };
	bool in_section = false;
	const char *top = getenv("AMANAT_TOP");
	(void)state;
	snprintf(path, sizeof path, "%s/docs/protocol.md", top ? top : ".");
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof line, f)) {
		if (strncmp(line, "## ", 3) == 0) {
			in_section = strncmp(line, "## Event types", 14) == 0;
			continue;
		}
		if (!in_section || strncmp(line, "| `", 3) != 0)
			continue;
		char *end = strchr(line + 3, '`');
		assert_non_null(end);
		*end = '\0';
		assert_true(n < MAX_ROWS);
		snprintf(names[n++], sizeof names[0], "%s", line + 3);
	}
	fclose(f);
	for (int i = 0; i < n; i++) {
		int t = event_from_name(names[i]);
		if (t < 0)
			fail_msg("docs/protocol.md lists '%s', which the code never writes", names[i]);
		if (seen[t]++)
			fail_msg("docs/protocol.md lists '%s' twice", names[i]);
	}
	for (int t = 0; t < EV__COUNT; t++)
		if (!seen[t])
			fail_msg("event type '%s' is missing from docs/protocol.md (## Event types)",
				 event_name((enum event_type)t));
	assert_int_equal(n, EV__COUNT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(catalogue_equals_code),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
