/*
 * cmd_register.c - `amanat register import|list|show|create-return`.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "amanat/cli.h"
#include "amanat/i18n.h"
#include "amanat/timeutil.h"

extern const struct cli_command cmd_register;

json_t *cli_json_time(const struct cli *c, int64_t utc_ms)
{
	char buf[40];
	if (!utc_ms)
		return json_null();
	time_format_iso(utc_ms, c->app.rules.offset_min, buf, sizeof buf);
	return json_string(buf);
}

void cli_time(const struct cli *c, int64_t utc_ms, char *buf, size_t len)
{
	if (!utc_ms)
		snprintf(buf, len, "-");
	else
		time_format_local(utc_ms, c->app.rules.offset_min, buf, len);
}

static json_t *info_json(const struct cli *c, const struct register_info *i)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:I, s:I, s:I, s:b, s:o, s:o}",
			 "register", i->id, "kind", register_kind_name(i->kind), "from", i->from,
			 "to", i->to, "formed_at", cli_json_time(c, i->formed_at),
			 "imported_at", cli_json_time(c, i->imported_at),
			 "lines", (json_int_t)i->n_lines, "scanned", (json_int_t)i->n_scanned,
			 "unexpected", (json_int_t)i->n_unexpected, "finished", i->finished_at != 0,
			 "finished_at", cli_json_time(c, i->finished_at),
			 "act", i->act[0] ? json_string(i->act) : json_null());
}

/* A folder named in place of a register file, said with what to do (exit
 * 1); a missing or unreadable file app_read_file words (exit 3). */
static int import_path_check(const char *path, struct am_error *e)
{
	struct stat st;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return am_fail(e, AM_REFUSED, "%s is a folder, not a regular file - name a register file (.json or .csv) in it", path);
	return 0;
}

static int import_exec(struct cli *c, int argc, char **argv, struct am_error *e)
{
	struct reg r;
	size_t len;
	int rc;
	if (argc != 2)
		return am_fail(e, AM_USAGE, "usage: amanat register import FILE");
	if ((rc = import_path_check(argv[1], e)) || (rc = app_check_regular(argv[1], e)))
		return rc;
	char *text = app_read_file(argv[1], &len, e);
	if (!text)
		return AM_ENV;
	rc = register_parse(text, len, &c->app.rules.waybill, c->app.rules.offset_min, &r, e);
	free(text);
	if (rc) {
		char msg[sizeof e->msg];
		snprintf(msg, sizeof msg, "%s", e->msg);
		return am_fail(e, rc, _("%s refused, nothing imported: %s"), argv[1], msg);
	}
	struct event_ctx ctx = app_ctx(&c->app);
	rc = store_register_import(c->app.store, &r, &ctx, e);
	if (!rc) {
		if (c->json)
			cli_json_out(json_pack("{s:s, s:s, s:I}", "register", r.id, "kind",
					       register_kind_name(r.kind), "lines", (json_int_t)r.n_lines));
		else
			printf(_("register %s (%s) imported: %zu envelopes\n"), r.id,
			       register_kind_name(r.kind), r.n_lines);
	}
	register_free(&r);
	return rc;
}

struct list_ctx {
	struct cli *c;
	json_t *arr;
};

static int list_one(const struct register_info *i, void *arg)
{
	struct list_ctx *l = arg;
	char formed[32];
	if (l->arr) {
		json_array_append_new(l->arr, info_json(l->c, i));
		return 0;
	}
	cli_time(l->c, i->formed_at, formed, sizeof formed);
	printf("%-24s %-10s %s -> %s  %s  %zu/%zu%s%s%s\n", i->id, register_kind_name(i->kind), i->from,
	       i->to, formed, i->n_scanned, i->n_lines, i->finished_at ? _("  finished") : "",
	       i->act[0] ? "  " : "", i->act);
	return 0;
}

static int list_exec(struct cli *c, int argc, char **argv, struct am_error *e)
{
	(void)argv;
	if (argc != 1)
		return am_fail(e, AM_USAGE, "usage: amanat register list");
	struct list_ctx l = { c, c->json ? json_array() : NULL };
	int rc = store_register_each(c->app.store, list_one, &l, e);
	if (c->json) {
		if (!rc)
			cli_json_out(l.arr);
		else
			json_decref(l.arr);
	}
	return rc;
}

static int show_exec(struct cli *c, int argc, char **argv, struct am_error *e)
{
	struct register_info info;
	struct reg r;
	struct tally_summary sum;
	int rc;
	if (argc != 2)
		return am_fail(e, AM_USAGE, "usage: amanat register show ID");
	if ((rc = store_register_get(c->app.store, argv[1], &info, &r, e)))
		return rc;
	if ((rc = store_tally_get(c->app.store, argv[1], &sum, e))) {
		register_free(&r);
		return rc;
	}
	if (c->json) {
		json_t *doc = info_json(c, &info), *items = json_array();
		for (size_t i = 0; i < r.n_lines; i++) {
			const struct register_line *l = &r.lines[i];
			struct envelope v;
			struct am_error ignore;
			char masked[16];
			iin_mask(l->iin, masked, sizeof masked);
			json_t *it = json_pack("{s:s, s:s, s:s, s:s}", "waybill", l->waybill,
					       "application", l->application, "postomat", l->postomat,
					       "city", l->city);
			if (l->iin[0])
				json_object_set_new(it, "iin", json_string(masked));
			if (store_envelope_get(c->app.store, l->waybill, &v, &ignore) == 0)
				json_object_set_new(it, "state", json_string(state_name(v.state)));
			json_array_append_new(items, it);
		}
		json_object_set_new(doc, "items", items);
		json_object_set_new(doc, "tally", json_pack("{s:I, s:I, s:I, s:I, s:I}",
			"expected", (json_int_t)sum.expected, "matched", (json_int_t)sum.matched,
			"missing", (json_int_t)sum.missing, "unexpected", (json_int_t)sum.unexpected,
			"damaged", (json_int_t)sum.damaged));
		cli_json_out(doc);
	} else {
		char formed[32];
		cli_time(c, info.formed_at, formed, sizeof formed);
		printf(_("register %s (%s) %s -> %s, formed %s\n"), info.id, register_kind_name(info.kind),
		       info.from, info.to, formed);
		char act[sizeof info.act + 2];	/* ", ACT-…": not glued to "finished" */
		snprintf(act, sizeof act, "%s%s", info.act[0] ? ", " : "", info.act);
		printf(_("matched %zu / %zu, missing %zu, unexpected %zu, damaged %zu%s%s\n"), sum.matched,
		       sum.expected, sum.missing, sum.unexpected, sum.damaged,
		       info.finished_at ? _(", finished") : "", act);
		for (size_t i = 0; i < r.n_lines; i++) {
			struct envelope v;
			struct am_error ignore;
			const struct register_line *l = &r.lines[i];
			const char *state = store_envelope_get(c->app.store, l->waybill, &v, &ignore) == 0
				? state_name(v.state) : "";
			printf("  %-14s %-18s %-14s %-12s %s\n", l->waybill, l->application, l->postomat,
			       l->city, state);
		}
	}
	register_free(&r);
	return 0;
}

static int create_return_exec(struct cli *c, int argc, char **argv, struct am_error *e)
{
	static const struct option opts[] = { { "to", required_argument, NULL, 't' }, { NULL, 0, NULL, 0 } };
	const char *to = NULL;
	int opt, rc;
	struct reg r;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (opt != 't')
			return am_fail(e, AM_USAGE, "usage: amanat register create-return ID [--to RECEIVER]");
		to = optarg;
	}
	if (optind + 1 != argc)
		return am_fail(e, AM_USAGE, "usage: amanat register create-return ID [--to RECEIVER]");
	struct event_ctx ctx = app_ctx(&c->app);
	if ((rc = store_register_create_return(c->app.store, argv[optind], to, &ctx, &r, e)))
		return rc;
	if (c->json) {
		json_t *items = json_array();
		for (size_t i = 0; i < r.n_lines; i++)
			json_array_append_new(items, json_string(r.lines[i].waybill));
		cli_json_out(json_pack("{s:s, s:s, s:o}", "register", r.id, "kind", "return", "items", items));
	} else {
		printf(_("return register %s formed: %zu envelopes\n"), r.id, r.n_lines);
	}
	register_free(&r);
	return 0;
}

static int register_exec(struct cli *c, int argc, char **argv, struct am_error *e)
{
	if (argc < 2)
		return cli_usage(&cmd_register, e);
	const char *sub = argv[1];
	argc--;
	argv++;
	if (strcmp(sub, "import") == 0)
		return import_exec(c, argc, argv, e);
	if (strcmp(sub, "list") == 0)
		return list_exec(c, argc, argv, e);
	if (strcmp(sub, "show") == 0)
		return show_exec(c, argc, argv, e);
	if (strcmp(sub, "create-return") == 0)
		return create_return_exec(c, argc, argv, e);
	if (strcmp(sub, "import-scan") == 0)
		return cmd_register_import_scan(c, argc, argv, e);
	return cli_usage(&cmd_register, e);
}

const struct cli_command cmd_register = {
	.name = "register",
	.usage = "import FILE | list | show ID | create-return ID [--to R] | import-scan CODE...",
	.help = "registers: import a JSON or CSV file, list, show with the tally, form a return register",
	.flags = CLI_NEEDS_STORE,
	.exec = register_exec,
};
