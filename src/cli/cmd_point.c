/*
 * cmd_point.c - `amanat point`: the whole point for a supervisor, from the
 * point hub when it answers (GET /v1/point/summary: states, conflicts,
 * devices), else from this terminal's own database - always saying which.
 */
#include <stdio.h>
#include <string.h>
#include <jansson.h>
#include "amanat/cli.h"
#include "amanat/deadline.h"
#include "amanat/timeutil.h"
#include "amanat/feed.h"
#include "amanat/i18n.h"
#include "amanat/store.h"

extern const struct cli_command cmd_point;

/* The point's open deadlines (the hub reckons them by the same rules):
 * counts, then the breached and those due within 24 hours, soonest first. */
static void deadlines(struct cli *c, json_t *dl)
{
	if (!json_is_object(dl) || !json_object_get(dl, "open")) {
		printf(_("deadlines: not known to the hub (%s)\n"),
		       json_string_value(json_object_get(dl, "unavailable")) ? json_string_value(json_object_get(dl, "unavailable")) : "-");
		return;
	}
	printf(_("deadlines: %lld open, %lld breached, %lld due within 24 hours\n"),
	       (long long)json_integer_value(json_object_get(dl, "open")),
	       (long long)json_integer_value(json_object_get(dl, "breached")),
	       (long long)json_integer_value(json_object_get(dl, "soon")));
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(dl, "items"), i, v) {
		int64_t due = json_integer_value(json_object_get(v, "due_ms"));
		bool late = json_is_true(json_object_get(v, "breached"));
		int k = clock_from_name(json_string_value(json_object_get(v, "clock")));
		if (k < 0 || (!late && due - now_ms() >= 24 * 3600000LL))
			continue;
		const char *w = json_string_value(json_object_get(v, "waybill"));
		char at[32];
		cli_time(c, due, at, sizeof at);
		printf(_("  %s %s: %s (§%d), due %s\n"), late ? "✗" : "!",
		       w && *w ? w : json_string_value(json_object_get(v, "register")),
		       clock_title((enum pilot_clock)k), clock_paragraph((enum pilot_clock)k), at);
	}
}

static int from_hub(struct cli *c, json_t *doc)
{
	if (c->json) {
		cli_json_out(json_pack("{s:s, s:O}", "source", "hub", "summary", doc));
		return 0;
	}
	const char *k;
	json_t *v;
	size_t i;
	printf(_("the point %s, from the hub\n"), json_string_value(json_object_get(doc, "point")));
	printf(_("envelopes by state:\n"));
	json_object_foreach(json_object_get(doc, "states"), k, v)
		printf("  %-18s %lld\n", k, (long long)json_integer_value(v));
	deadlines(c, json_object_get(doc, "deadlines"));
	json_t *conflicts = json_object_get(doc, "conflicts");
	printf(_("conflicts to resolve: %zu\n"), json_array_size(conflicts));
	json_array_foreach(conflicts, i, v)
		printf("  %s %s %s: %s\n", json_string_value(json_object_get(v, "waybill")),
		       json_string_value(json_object_get(v, "type")), json_string_value(json_object_get(v, "device")),
		       json_string_value(json_object_get(v, "why")));
	printf(_("devices:\n"));
	json_array_foreach(json_object_get(doc, "devices"), i, v) {
		char at[32] = "-";
		int64_t ms = json_integer_value(json_object_get(v, "last_contact_ms"));
		if (ms)
			cli_time(c, ms, at, sizeof at);
		printf(_("  %s: last contact %s, %lld items still to read\n"),
		       json_string_value(json_object_get(v, "device")), at,
		       (long long)json_integer_value(json_object_get(v, "feed_backlog")));
	}
	return 0;
}

static int from_here(struct cli *c, const char *why, struct am_error *e)
{
	size_t counts[ST__COUNT];
	int rc = store_state_counts(c->app.store, counts, e);
	if (rc)
		return rc;
	if (c->json) {
		json_t *states = json_object();
		for (int s = 1; s < ST__COUNT; s++)
			if (counts[s])
				json_object_set_new(states, state_name((enum envelope_state)s), json_integer((json_int_t)counts[s]));
		cli_json_out(json_pack("{s:s, s:s, s:o}", "source", "terminal", "reason", why, "states", states));
		return 0;
	}
	printf(_("this terminal only: the hub did not answer (%s)\n"), why);
	printf(_("envelopes by state:\n"));
	for (int s = 1; s < ST__COUNT; s++)
		if (counts[s])
			printf("  %-18s %zu\n", state_name((enum envelope_state)s), counts[s]);
	return 0;
}

static int point_exec(struct cli *c, int argc, char **argv, struct am_error *e)
{
	(void)argv;
	if (argc != 1)
		return cli_usage(&cmd_point, e);
	json_t *doc = NULL;
	struct am_error why = { "" };
	if (point_summary_fetch(&c->app, 3000, &doc, &why))
		return from_here(c, why.msg, e);
	int rc = from_hub(c, doc);
	json_decref(doc);
	return rc;
}

const struct cli_command cmd_point = {
	.name = "point", .usage = "",
	.help = "the whole point for the supervisor: from the point hub when it answers, else this terminal's own database (says which)",
	.flags = CLI_NEEDS_STORE, .exec = point_exec,
};
