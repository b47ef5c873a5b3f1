/*
 * cmd_force_majeure.c - §37-39 from the command line.
 *
 *   force-majeure --from T [--to T] --reason TEXT      record one (no --to: going on)
 *   force-majeure start --from T [--to T] --reason TEXT   the same
 *   force-majeure end ID [--at T]                      it ended (default: now)
 *   force-majeure document ID --body B --number N --date YYYY-MM-DD   §38 confirmation
 *   force-majeure notify ID --to WHOM                  §38 notice given: closes its clock
 *   force-majeure list                                 every one, newest first
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "amanat/cli.h"
#include "amanat/i18n.h"
#include "amanat/timeutil.h"

extern const struct cli_command cmd_force_majeure;

struct fm_opts {
	const char *from, *to, *at, *reason, *body, *number, *date, *whom;
};

static int parse(int argc, char **argv, struct fm_opts *o, struct am_error *e)
{
	static const struct option opts[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "at", required_argument, NULL, 'a' },
		{ "reason", required_argument, NULL, 'r' },
		{ "body", required_argument, NULL, 'b' },
		{ "number", required_argument, NULL, 'n' },
		{ "date", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;
	memset(o, 0, sizeof *o);
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 'f': o->from = optarg; break;
		case 't': o->to = optarg; break;
		case 'a': o->at = optarg; break;
		case 'r': o->reason = optarg; break;
		case 'b': o->body = optarg; break;
		case 'n': o->number = optarg; break;
		case 'd': o->date = optarg; break;
		default: return cli_usage(&cmd_force_majeure, e);
		}
	}
	return 0;
}

static int local_time(const struct cli *c, const char *s, int64_t *t, struct am_error *e)
{
	if (time_parse(s, c->app.rules.offset_min, t))
		return am_fail(e, AM_USAGE, _("times are local times like \"2026-03-20 08:00\""));
	return 0;
}

static json_t *fm_json(const struct cli *c, const struct force_majeure *f)
{
	json_t *o = json_pack("{s:s, s:o, s:o, s:b, s:s, s:s, s:o, s:o}", "id", f->id,
			      "from", cli_json_time(c, f->from_ms),
			      "to", f->to_ms ? cli_json_time(c, f->to_ms) : json_null(),
			      "ongoing", f->to_ms == 0, "reason", f->reason ? f->reason : "",
			      "recorded_by", f->recorded_by ? f->recorded_by : "",
			      "recorded_at", cli_json_time(c, f->created_ms),
			      "notice_due", cli_json_time(c, f->notice_due_ms));
	json_object_set_new(o, "notice_late", json_boolean(f->notice_late));
	if (f->notice_late)
		json_object_set_new(o, "flag", json_string(_("notice late — §39")));
	json_object_set_new(o, "notified", f->notified_ms ? cli_json_time(c, f->notified_ms) : json_null());
	json_object_set_new(o, "notified_to", json_string(f->notified_to ? f->notified_to : ""));
	json_t *doc = json_null();
	if (f->doc_number && *f->doc_number)
		doc = json_pack("{s:s, s:s, s:s}", "body", f->doc_body, "number", f->doc_number,
				"date", f->doc_date);
	json_object_set_new(o, "document", doc);
	return o;
}

struct fm_out {
	struct cli *c;
	json_t *arr;
	const char *only;
};

static int fm_one(const struct force_majeure *f, void *arg)
{
	struct fm_out *o = arg;
	if (o->only && strcmp(o->only, f->id))
		return 0;
	if (o->arr) {
		json_array_append_new(o->arr, fm_json(o->c, f));
		return 0;
	}
	char from[32], to[32], notice[32];
	cli_time(o->c, f->from_ms, from, sizeof from);
	if (f->to_ms)
		cli_time(o->c, f->to_ms, to, sizeof to);
	else
		snprintf(to, sizeof to, "%s", _("going on"));
	cli_time(o->c, f->notice_due_ms, notice, sizeof notice);
	printf("%s  %s – %s  %s\n", f->id, from, to, f->reason ? f->reason : "");
	printf(_("  notice (§38) due %s: %s%s\n"), notice,
	       f->notified_ms ? _("given to ") : _("not yet given"), f->notified_ms ? f->notified_to : "");
	if (f->notice_late)
		printf("  ⚠ %s\n", _("notice late — §39"));
	if (f->doc_number && *f->doc_number)
		printf(_("  document: %s No. %s of %s\n"), f->doc_body, f->doc_number, f->doc_date);
	else
		printf("  %s\n", _("no confirming document yet (§38)"));
	return 0;
}

/* Print one force majeure after a change (JSON: its object). */
static int show(struct cli *c, const char *id, struct am_error *e)
{
	struct fm_out o = { c, json_array(), id };
	int rc = store_force_majeure_each(c->app.store, fm_one, &o, e);
	if (rc) {
		json_decref(o.arr);
		return rc;
	}
	if (c->json) {
		cli_json_out(json_incref(json_array_get(o.arr, 0)));
		json_decref(o.arr);
		return 0;
	}
	json_decref(o.arr);
	o.arr = NULL;
	return store_force_majeure_each(c->app.store, fm_one, &o, e);
}

static int fm_start(struct cli *c, const struct fm_opts *o, struct am_error *e)
{
	int64_t f, t = 0;
	char id[64];
	int rc;
	if (!o->from || !o->reason)
		return cli_usage(&cmd_force_majeure, e);
	if ((rc = local_time(c, o->from, &f, e)) || (o->to && (rc = local_time(c, o->to, &t, e))))
		return rc;
	struct event_ctx ctx = app_ctx(&c->app);
	if ((rc = store_force_majeure(c->app.store, f, t, o->reason, &ctx, id, sizeof id, e)))
		return rc;
	if (!c->json)
		printf(_("force majeure %s recorded; the open deadlines it suspends moved\n"), id);
	return show(c, id, e);
}

static int force_majeure_exec(struct cli *c, int argc, char **argv, struct am_error *e)
{
	struct fm_opts o;
	struct event_ctx ctx = app_ctx(&c->app);
	const char *verb = argc > 1 && argv[1][0] != '-' ? argv[1] : "start";
	int shift = argc > 1 && argv[1][0] != '-' ? 1 : 0;
	int rc;
	if ((rc = parse(argc - shift, argv + shift, &o, e)))
		return rc;
	int rest = argc - shift - optind;
	const char *id = rest > 0 ? argv[shift + optind] : NULL;
	if (strcmp(verb, "start") == 0) {
		if (rest)
			return cli_usage(&cmd_force_majeure, e);
		return fm_start(c, &o, e);
	}
	if (strcmp(verb, "list") == 0) {
		if (rest)
			return cli_usage(&cmd_force_majeure, e);
		struct fm_out out = { c, c->json ? json_array() : NULL, NULL };
		rc = store_force_majeure_each(c->app.store, fm_one, &out, e);
		if (out.arr) {
			if (rc)
				json_decref(out.arr);
			else
				cli_json_out(out.arr);
		}
		return rc;
	}
	if (rest != 1)
		return cli_usage(&cmd_force_majeure, e);
	if (strcmp(verb, "end") == 0) {
		int64_t at = now_ms();
		if (o.at && (rc = local_time(c, o.at, &at, e)))
			return rc;
		rc = store_force_majeure_end(c->app.store, id, at, &ctx, e);
	} else if (strcmp(verb, "document") == 0) {
		rc = store_force_majeure_document(c->app.store, id, o.body, o.number, o.date, &ctx, e);
	} else if (strcmp(verb, "notify") == 0) {
		rc = store_force_majeure_notify(c->app.store, id, o.to, &ctx, e);
	} else {
		return cli_usage(&cmd_force_majeure, e);
	}
	return rc ? rc : show(c, id, e);
}

const struct cli_command cmd_force_majeure = {
	.name = "force-majeure",
	.usage = "[start] --from \"YYYY-MM-DD HH:MM\" [--to \"YYYY-MM-DD HH:MM\"] --reason TEXT"
		 " | end ID [--at T] | document ID --body B --number N --date YYYY-MM-DD"
		 " | notify ID --to WHOM | list",
	.help = "force majeure (§37-39): deadlines it suspends move by the part that overlaps them;"
		" its §38 notice clock runs 3 working days from the start",
	.flags = CLI_NEEDS_STORE, .exec = force_majeure_exec,
};
