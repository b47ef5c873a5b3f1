/*
 * cmd_query.c - reading the store: status, events, deadlines, deadline,
 * verify, acts.  Force majeure has its own file (cmd_force_majeure.c).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "amanat/cli.h"
#include "amanat/i18n.h"
#include "amanat/timeutil.h"

extern const struct cli_command cmd_status, cmd_events, cmd_deadlines, cmd_deadline, cmd_verify, cmd_acts;

json_t *cli_envelope_json(const struct cli *c, const struct envelope *v)
{
	char masked[16];
	iin_mask(v->iin, masked, sizeof masked);
	(void)c;
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b}",
			 "waybill", v->waybill, "state", state_name(v->state), "register", v->register_id,
			 "postomat", v->postomat, "cell", v->cell, "reserved_cell", v->reserved_cell,
			 "city", v->city, "application", v->application, "iin", masked,
			 "courier", v->courier, "delayed_until", v->delayed_until, "damaged", v->damaged);
}

static json_t *event_json(const struct cli *c, const struct event_row *r)
{
	json_error_t je;
	json_t *payload = r->payload ? json_loads(r->payload, 0, &je) : NULL;
	static const char *const sync[] = { "pending", "acked", "dead" };
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:o, s:s}",
			      "seq", (json_int_t)r->seq, "uuid", r->uuid, "device", r->device,
			      "type", event_name(r->type), "waybill", r->waybill, "register", r->register_id,
			      "actor", r->actor, "at", cli_json_time(c, r->at_ms), "place", r->place,
			      "payload", payload ? payload : json_object(), "sync", sync[r->sync % 3]);
	if (r->sync_reason[0])
		json_object_set_new(o, "sync_reason", json_string(r->sync_reason));
	return o;
}

struct ev_out {
	struct cli *c;
	json_t *arr;
};

static int event_one(const struct event_row *r, void *arg)
{
	struct ev_out *o = arg;
	char at[32];
	if (o->arr) {
		json_array_append_new(o->arr, event_json(o->c, r));
		return 0;
	}
	cli_time(o->c, r->at_ms, at, sizeof at);
	printf("%6lld %s %-18s %-14s %-16s %-12s %s\n", (long long)r->seq, at, event_name(r->type),
	       r->waybill[0] ? r->waybill : "-", r->register_id[0] ? r->register_id : "-", r->actor,
	       r->payload ? r->payload : "");
	return 0;
}

/* ---- status ------------------------------------------------------------- */

struct clock_out {
	struct cli *c;
	const char *waybill, *register_id;	/* filter, or NULL */
	int64_t at;
	json_t *arr;
	size_t n, breached;
	bool closed_only;		/* skip open clocks (listed already) */
};

/* Whole minutes, toward zero: 30 minutes and a few ms past due is -30. */
static int64_t minutes_up(int64_t ms)
{
	return ms / MS_PER_MINUTE;
}

static json_t *clock_json(const struct cli *c, const struct clock_row *r, int64_t at)
{
	int64_t end = r->closed_ms ? r->closed_ms : at, left = r->due_ms - at;
	bool breached = r->missed_ms != 0 || end > r->due_ms;
	json_t *o = json_pack("{s:s, s:i, s:s, s:s, s:o, s:o, s:I, s:b, s:s}", "clock", clock_name(r->clock),
			      "paragraph", clock_paragraph(r->clock), "waybill", r->waybill,
			      "register", r->register_id, "started", cli_json_time(c, r->started_ms),
			      "due", cli_json_time(c, r->due_ms), "left_minutes",
			      (json_int_t)(r->closed_ms ? -((r->closed_ms - r->due_ms) / MS_PER_MINUTE) : minutes_up(left)),
			      "breached", breached, "limit", clock_limit_label(r->clock));
	json_object_set_new(o, "open", json_boolean(!r->closed_ms));
	json_object_set_new(o, "closed", r->closed_ms ? cli_json_time(c, r->closed_ms) : json_null());
	json_object_set_new(o, "late_minutes", json_integer(end > r->due_ms ? (end - r->due_ms) / MS_PER_MINUTE : 0));
	json_object_set_new(o, "recorded", json_boolean(r->missed_ms != 0));
	if (r->beyond_calendar) {
		char msg[200];
		deadline_calendar_warning(c->app.cal, msg, sizeof msg);
		json_object_set_new(o, "calendar_warning", json_string(msg));
	}
	return o;
}

static int clock_one(const struct clock_row *r, void *arg)
{
	struct clock_out *o = arg;
	if (o->waybill && strcmp(r->waybill, o->waybill) && strcmp(r->register_id, o->register_id))
		return 0;
	if (o->closed_only && !r->closed_ms)
		return 0;
	int64_t end = r->closed_ms ? r->closed_ms : o->at;
	bool breached = r->missed_ms != 0 || end > r->due_ms;
	o->n++;
	if (breached)
		o->breached++;
	if (o->arr) {
		json_array_append_new(o->arr, clock_json(o->c, r, o->at));
		return 0;
	}
	char due[32], left[32];
	cli_time(o->c, r->due_ms, due, sizeof due);
	duration_format(r->closed_ms ? (r->closed_ms - r->due_ms) / MS_PER_MINUTE * MS_PER_MINUTE
			: r->due_ms - end, left, sizeof left);
	printf("%s %-20s %-14s %-18s due %s  %s %8s  §%d\n", breached ? "✗" :
	       r->due_ms - o->at < 24 * MS_PER_HOUR ? "!" : " ", clock_name(r->clock),
	       r->waybill[0] ? r->waybill : "-", r->register_id[0] ? r->register_id : "-", due,
	       r->closed_ms ? _("late") : _("left"), left, clock_paragraph(r->clock));
	if (r->beyond_calendar) {
		char msg[200];
		deadline_calendar_warning(o->c->app.cal, msg, sizeof msg);
		printf("  ⚠ %s\n", msg);
	}
	return 0;
}

static int status_exec(struct cli *c, int argc, char **argv, struct am_error *e)
{
	struct envelope v;
	int rc;
	if (argc != 2)
		return cli_usage(&cmd_status, e);
	char why[200];
	if (waybill_validate(&c->app.rules.waybill, argv[1], why, sizeof why))
		return am_fail(e, AM_REFUSED, _("%s is not a valid waybill: %s"), argv[1], why);
	if ((rc = store_envelope_get(c->app.store, argv[1], &v, e)))
		return rc;
	struct clock_out co = { c, v.waybill, "\x01", now_ms(), c->json ? json_array() : NULL, 0, 0, false };
	struct ev_out eo = { c, c->json ? json_array() : NULL };
	if (c->json) {
		json_t *doc = cli_envelope_json(c, &v);
		if ((rc = store_waybill_clocks(c->app.store, v.waybill, false, co.at, clock_one, &co, e)) ||
		    (rc = store_event_each(c->app.store, v.waybill, false, event_one, &eo, e))) {
			json_decref(doc);
			json_decref(co.arr);
			json_decref(eo.arr);
			return rc;
		}
		json_object_set_new(doc, "state_label", json_string(state_label(v.state)));
		json_object_set_new(doc, "updated_at", cli_json_time(c, v.updated_at));
		json_object_set_new(doc, "deadlines", co.arr);
		struct clock_out bo = { c, v.waybill, "\x01", co.at, json_array(), 0, 0, false };
		if ((rc = store_waybill_clocks(c->app.store, v.waybill, true, co.at, clock_one, &bo, e))) {
			json_decref(doc);
			json_decref(bo.arr);
			json_decref(eo.arr);
			return rc;
		}
		json_object_set_new(doc, "breaches", bo.arr);
		json_object_set_new(doc, "history", eo.arr);
		struct feed_row f;
		if (store_feed_last(c->app.store, v.waybill, &f, e) == 0)	/* the point hub's feed */
			json_object_set_new(doc, "hub", json_pack("{s:s, s:s, s:s, s:o, s:b, s:s}", "type", f.type,
				"device", f.device, "actor", f.actor, "at", cli_json_time(c, f.at_ms),
				"applied", f.applied, "note", f.note));
		cli_json_out(doc);
		return 0;
	}
	char masked[16];
	iin_mask(v.iin, masked, sizeof masked);
	printf(_("%s: %s (%s)\n"), v.waybill, state_name(v.state), state_label(v.state));
	printf(_("register %s, application %s, postomat %s (%s), cell %s%s%s\n"), v.register_id,
	       v.application, v.postomat, v.city, v.cell[0] ? v.cell : "-",
	       v.reserved_cell[0] ? _(", reserved ") : "", v.reserved_cell);
	if (v.iin[0])
		printf(_("recipient IIN %s\n"), masked);
	if (v.courier[0])
		printf(_("courier %s\n"), v.courier);
	if (v.delayed_until[0])
		printf(_("delivery delayed until %s\n"), v.delayed_until);
	struct feed_row f;
	if (store_feed_last(c->app.store, v.waybill, &f, e) == 0) {	/* the point hub's feed */
		char at[32];
		cli_time(c, f.at_ms, at, sizeof at);
		printf(_("from the hub: %s by %s on %s at %s%s%s\n"), f.type, f.actor[0] ? f.actor : "-",
		       f.device, at, f.note[0] ? " - " : "", f.note);
	}
	printf(_("open deadlines:\n"));
	if ((rc = store_waybill_clocks(c->app.store, v.waybill, false, co.at, clock_one, &co, e)))
		return rc;
	struct clock_out bo = { c, v.waybill, "\x01", co.at, NULL, 0, 0, false };
	printf(_("breached deadlines:\n"));
	if ((rc = store_waybill_clocks(c->app.store, v.waybill, true, co.at, clock_one, &bo, e)))
		return rc;
	printf(_("history:\n"));
	return store_event_each(c->app.store, v.waybill, false, event_one, &eo, e);
}

/* ---- events ------------------------------------------------------------- */

static int events_exec(struct cli *c, int argc, char **argv, struct am_error *e)
{
	static const struct option opts[] = {
		{ "unsent", no_argument, NULL, 'u' },
		{ "waybill", required_argument, NULL, 'w' },
		{ NULL, 0, NULL, 0 },
	};
	bool unsent = false;
	const char *waybill = NULL;
	int opt;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (opt == 'u')
			unsent = true;
		else if (opt == 'w')
			waybill = optarg;
		else
			return cli_usage(&cmd_events, e);
	}
	if (optind != argc)
		return cli_usage(&cmd_events, e);
	struct ev_out o = { c, c->json ? json_array() : NULL };
	int rc = store_event_each(c->app.store, waybill, unsent, event_one, &o, e);
	if (o.arr) {
		if (rc)
			json_decref(o.arr);
		else
			cli_json_out(o.arr);
	}
	return rc;
}

/* ---- deadlines ---------------------------------------------------------- */

static int deadlines_exec(struct cli *c, int argc, char **argv, struct am_error *e)
{
	static const struct option opts[] = {
		{ "at", required_argument, NULL, 'a' },
		{ "all", no_argument, NULL, 'A' },
		{ "since", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	int64_t at = now_ms(), since = 0;
	bool all = false;
	int opt;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (opt == 'A') {
			all = true;
		} else if (opt == 'a') {
			if (time_parse(optarg, c->app.rules.offset_min, &at))
				return am_fail(e, AM_USAGE, _("--at takes a local time like \"2026-03-20 12:00\""));
		} else if (opt == 's') {
			all = true;
			if (time_parse(optarg, c->app.rules.offset_min, &since))
				return am_fail(e, AM_USAGE, _("--since takes a local time like \"2026-03-20 12:00\""));
		} else {
			return cli_usage(&cmd_deadlines, e);
		}
	}
	if (optind != argc)
		return cli_usage(&cmd_deadlines, e);
	struct clock_out o = { c, NULL, NULL, at, c->json ? json_array() : NULL, 0, 0, false };
	int rc;
	if (!all) {
		rc = store_clock_each(c->app.store, clock_one, &o, e);
	} else {
		/* the open ones, then every breach of the period however it ended */
		rc = store_clock_each(c->app.store, clock_one, &o, e);
		struct clock_out b = o;
		b.n = b.breached = 0;
		b.closed_only = true;
		if (!rc)
			rc = store_breach_each(c->app.store, since, at, clock_one, &b, e);
		o.n += b.n;
		o.breached += b.breached;
	}
	if (o.arr) {
		if (rc)
			json_decref(o.arr);
		else
			cli_json_out(o.arr);
	} else if (!rc) {
		printf(_("%zu open deadlines, %zu breached (✗ breached, ! less than 24 hours left)\n"), o.n, o.breached);
	}
	return rc;
}

static int deadline_exec(struct cli *c, int argc, char **argv, struct am_error *e)
{
	int64_t from;
	if (argc != 3)
		return cli_usage(&cmd_deadline, e);
	int clock = clock_from_name(argv[1]);
	if (clock < 0) {
		char names[512] = "";
		for (int i = 0; i < CLOCK__COUNT; i++) {
			strncat(names, clock_name((enum pilot_clock)i), sizeof names - strlen(names) - 1);
			if (i + 1 < CLOCK__COUNT)
				strncat(names, ", ", sizeof names - strlen(names) - 1);
		}
		return am_fail(e, AM_USAGE, _("unknown clock '%s'; the clocks are: %s"), argv[1], names);
	}
	if (time_parse(argv[2], c->app.rules.offset_min, &from))
		return am_fail(e, AM_USAGE, _("the event time is a local time like \"2026-03-19 16:40\""));
	int64_t due = deadline_due(c->app.cal, (enum pilot_clock)clock, from, c->app.rules.offset_min);
	char edge[200] = "";
	if (!calendar_covers(c->app.cal, (due - 1 + (int64_t)c->app.rules.offset_min * MS_PER_MINUTE) / MS_PER_DAY))
		deadline_calendar_warning(c->app.cal, edge, sizeof edge);
	if (c->json) {
		json_t *o = json_pack("{s:s, s:o, s:o, s:i, s:s}", "clock", argv[1], "from",
				      cli_json_time(c, from), "due", cli_json_time(c, due), "paragraph",
				      clock_paragraph((enum pilot_clock)clock), "limit",
				      clock_limit_label((enum pilot_clock)clock));
		if (edge[0])
			json_object_set_new(o, "calendar_warning", json_string(edge));
		cli_json_out(o);
	} else {
		char buf[32];
		cli_time(c, due, buf, sizeof buf);
		printf("%s\n", buf);
		if (edge[0])
			fprintf(stderr, "amanat: %s\n", edge);
	}
	return 0;
}

/* ---- verify, force majeure, acts ---------------------------------------- */

static int verify_exec(struct cli *c, int argc, char **argv, struct am_error *e)
{
	size_t n;
	int64_t from = 0;
	bool quick = argc == 2 && strcmp(argv[1], "--quick") == 0;
	if (argc != 1 && !quick)
		return cli_usage(&cmd_verify, e);
	int rc = quick ? store_verify_quick(c->app.store, &n, &from, e) : store_verify(c->app.store, &n, e);
	if (c->json)
		cli_json_out(json_pack("{s:b, s:I, s:s, s:b, s:I}", "ok", rc == 0, "events", (json_int_t)n,
				       "error", rc ? e->msg : "", "quick", quick && from > 0,
				       "from_seq", (json_int_t)from));
	else if (!rc && quick && from > 0)
		printf(_("event chain intact: %zu new events after event %lld; derived state matches\n"), n,
		       (long long)from);
	else if (!rc)
		printf(_("event chain intact: %zu events\n"), n);
	return rc;
}

static int act_one(const struct act_row *a, void *arg)
{
	struct ev_out *o = arg;
	if (o->arr) {
		json_error_t je;
		json_t *body = a->body ? json_loads(a->body, 0, &je) : NULL;
		json_array_append_new(o->arr, json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:o, s:o}",
			"act", a->id, "kind", a->kind, "register", a->register_id, "waybill", a->waybill,
			"reason", a->reason, "copies", a->copies, "created_at", cli_json_time(o->c, a->created_ms),
			"body", body ? body : json_object()));
		return 0;
	}
	char at[32];
	cli_time(o->c, a->created_ms, at, sizeof at);
	printf("%-22s %-12s %s %s%s %s x%d\n  %s\n", a->id, a->kind, at, a->register_id,
	       a->waybill[0] ? " " : "", a->waybill, a->copies, a->body ? a->body : "");
	return 0;
}

static int acts_exec(struct cli *c, int argc, char **argv, struct am_error *e)
{
	struct ev_out o = { c, c->json ? json_array() : NULL };
	int rc;
	if (argc > 2)
		return cli_usage(&cmd_acts, e);
	rc = argc == 2 ? store_act_get(c->app.store, argv[1], act_one, &o, e)
		       : store_act_each(c->app.store, act_one, &o, e);
	if (o.arr) {
		if (rc)
			json_decref(o.arr);
		else if (argc == 2)	/* one act: the object itself */
			cli_json_out(json_incref(json_array_get(o.arr, 0))), json_decref(o.arr);
		else
			cli_json_out(o.arr);
	}
	return rc;
}

const struct cli_command cmd_status = {
	.name = "status", .usage = "CODE",
	.help = "an envelope's state, place, open deadlines and whole history",
	.flags = CLI_NEEDS_STORE, .exec = status_exec,
};
const struct cli_command cmd_events = {
	.name = "events", .usage = "[--unsent] [--waybill CODE]",
	.help = "the event log (--unsent: the outbox, not yet acknowledged upstream)",
	.flags = CLI_NEEDS_STORE, .exec = events_exec,
};
const struct cli_command cmd_deadlines = {
	.name = "deadlines", .usage = "[--at \"YYYY-MM-DD HH:MM\"] [--all] [--since \"YYYY-MM-DD HH:MM\"]",
	.help = "every open deadline, soonest first; breached ones marked ✗ (--all: and every breach, closed late too, since --since)",
	.flags = CLI_NEEDS_STORE, .exec = deadlines_exec,
};
const struct cli_command cmd_deadline = {
	.name = "deadline", .usage = "CLOCK \"YYYY-MM-DD HH:MM\"",
	.help = "the due local time of a pilot clock for an event at that local time",
	.flags = 0, .exec = deadline_exec,
};
const struct cli_command cmd_verify = {
	.name = "verify", .usage = "[--quick]",
	.help = "check the event log's hash chain and that the derived tables match it (--quick: only what is new since the last check)",
	.flags = CLI_NEEDS_STORE, .exec = verify_exec,
};
const struct cli_command cmd_acts = {
	.name = "acts", .usage = "[ACT]",
	.help = "discrepancy and loss acts (one act with its id)",
	.flags = CLI_NEEDS_STORE, .exec = acts_exec,
};
