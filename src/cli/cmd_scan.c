/*
 * cmd_scan.c - `amanat accept` and `amanat handback`: scans against a
 * register (inbound for acceptance, return for hand-back), and finishing it.
 *
 * Each code is its own durable transaction: when `matched` is printed the
 * scan is on disk.  A code "-" reads codes from standard input, one a line,
 * which is how a script or a scanner pipe feeds a long register.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "amanat/cli.h"
#include "amanat/i18n.h"
#include "amanat/text.h"

extern const struct cli_command cmd_accept, cmd_handback;

struct scan_out {
	struct cli *c;
	const char *reg;
	json_t *arr;
	int worst;	/* AM_OK, or AM_REFUSED when a code was invalid or refused */
};

/* A code that is not text (bad UTF-8, control characters) is invalid: it is
 * shown escaped, never raw, and never reaches the store. */
static int scan_garbage(struct scan_out *o, const char *code, size_t len, const struct am_error *why)
{
	char *shown = text_escape(code, len);
	o->worst = AM_REFUSED;
	if (!shown)
		return AM_ENV;
	if (o->arr)
		json_array_append_new(o->arr, json_pack("{s:s, s:s, s:s}", "code", shown, "result", "invalid",
							"reason", why->msg));
	else
		printf("%s invalid: %s\n", shown, why->msg);
	free(shown);
	return 0;
}

static int scan_one(struct scan_out *o, const char *code, struct am_error *e)
{
	enum scan_result res;
	char why[256] = "";
	struct am_error err = { "" };
	struct event_ctx ctx = app_ctx(&o->c->app);
	int rc = store_tally_scan(o->c->app.store, o->reg, code, &ctx, &res, why, sizeof why, &err);
	if (am_is_env(rc)) {
		*e = err;
		return rc;	/* the database failed: stop, nothing after is safe */
	}
	const char *result = rc ? "refused" : scan_result_name(res);
	const char *reason = rc ? err.msg : why;
	if (rc || res == SCAN_INVALID)
		o->worst = AM_REFUSED;
	if (o->arr) {
		json_t *it = json_pack("{s:s, s:s}", "code", code, "result", result);
		if (reason[0])
			json_object_set_new(it, "reason", json_string(reason));
		json_array_append_new(o->arr, it);
	} else {
		printf("%s %s%s%s\n", code, result, reason[0] ? ": " : "", reason);
		fflush(stdout);	/* one line per scan as it is committed */
	}
	return 0;
}

/* One code a line, of any length (a long line is one invalid code, never
 * several scans). */
static int scan_stdin(struct scan_out *o, struct am_error *e)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int rc = 0;
	while (!rc && (len = getline(&line, &cap, stdin)) >= 0) {
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (!len)
			continue;
		struct am_error why;
		if (text_check(NULL, "code", line, (size_t)len, &why))
			rc = scan_garbage(o, line, (size_t)len, &why);
		else
			rc = scan_one(o, line, e);
		if (am_is_env(rc) && !e->msg[0])
			am_fail(e, AM_ENV, _("out of memory"));
	}
	free(line);
	return rc;
}

static int finish(struct cli *c, const char *reg, char **damaged, size_t n, struct am_error *e)
{
	struct tally_summary sum;
	char act[64];
	struct event_ctx ctx = app_ctx(&c->app);
	int rc = store_tally_finish(c->app.store, reg, (const char *const *)damaged, n, &ctx, &sum,
				    act, sizeof act, e);
	if (rc)
		return rc;
	if (c->json) {
		cli_json_out(json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:o}", "register", reg,
				       "expected", (json_int_t)sum.expected, "matched", (json_int_t)sum.matched,
				       "missing", (json_int_t)sum.missing, "unexpected", (json_int_t)sum.unexpected,
				       "damaged", (json_int_t)sum.damaged,
				       "act", act[0] ? json_string(act) : json_null()));
	} else {
		printf(_("register %s finished: matched %zu / %zu, missing %zu, unexpected %zu, damaged %zu\n"),
		       reg, sum.matched, sum.expected, sum.missing, sum.unexpected, sum.damaged);
		if (act[0])
			printf(_("discrepancy act %s drawn up (2 copies): 'amanat sheet %s -o FILE' makes its sheet\n"), act, act);
	}
	return 0;
}

static int scan_exec(const struct cli_command *cmd, enum register_kind kind, struct cli *c,
		     int argc, char **argv, struct am_error *e)
{
	static const struct option opts[] = {
		{ "finish", no_argument, NULL, 'f' },
		{ "damaged", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	bool fin = false, damaged_seen = false;
	char **damaged = calloc((size_t)argc + 1, sizeof *damaged);
	size_t n_damaged = 0;
	int opt, rc;
	struct register_info info;
	if (!damaged)
		return am_fail(e, AM_ENV, _("out of memory"));
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (opt == 'f') {
			fin = true;
		} else if (opt == 'd') {
			damaged_seen = true;
			damaged[n_damaged++] = optarg;
		} else {
			free(damaged);
			return cli_usage(cmd, e);
		}
	}
	if (optind >= argc || (!fin && optind + 1 >= argc) || (damaged_seen && !fin)) {
		free(damaged);
		return cli_usage(cmd, e);
	}
	const char *reg = argv[optind++];
	if ((rc = store_register_get(c->app.store, reg, &info, NULL, e)))
		goto out;
	if (info.kind != kind) {
		rc = am_fail(e, AM_REFUSED, kind == REG_INBOUND
			     ? _("%s is a %s register: accept scans against an inbound register (use 'handback' for returns)")
			     : _("%s is a %s register: hand back against a return register (use 'accept' for inbound)"),
			     reg, register_kind_name(info.kind));
		goto out;
	}
	if (info.finished_at) {
		rc = am_fail(e, AM_REFUSED, _("register %s is already finished: nothing more can be scanned against it"), reg);
		goto out;
	}
	if (fin) {
		/* --damaged A B: codes after the first damaged one are damaged too */
		for (; optind < argc; optind++) {
			if (!damaged_seen) {
				rc = cli_usage(cmd, e);
				goto out;
			}
			damaged[n_damaged++] = argv[optind];
		}
		rc = finish(c, reg, damaged, n_damaged, e);
		goto out;
	}
	struct scan_out o = { c, reg, c->json ? json_array() : NULL, AM_OK };
	for (rc = 0; optind < argc && !rc; optind++)
		rc = strcmp(argv[optind], "-") == 0 ? scan_stdin(&o, e) : scan_one(&o, argv[optind], e);
	if (o.arr)
		cli_json_out(o.arr);
	if (!rc && o.worst)
		rc = am_fail(e, o.worst, _("some codes were not accepted (see above)"));
out:
	free(damaged);
	return rc;
}

static int accept_exec(struct cli *c, int argc, char **argv, struct am_error *e)
{
	return scan_exec(&cmd_accept, REG_INBOUND, c, argc, argv, e);
}

static int handback_exec(struct cli *c, int argc, char **argv, struct am_error *e)
{
	return scan_exec(&cmd_handback, REG_RETURN, c, argc, argv, e);
}

const struct cli_command cmd_accept = {
	.name = "accept",
	.usage = "REGISTER CODE... | REGISTER --finish [--damaged CODE...]",
	.help = "accept envelopes against an inbound register (matched|duplicate|unexpected|invalid); finish it",
	.flags = CLI_NEEDS_STORE,
	.exec = accept_exec,
};

const struct cli_command cmd_handback = {
	.name = "handback",
	.usage = "REGISTER CODE... | REGISTER --finish [--damaged CODE...]",
	.help = "hand envelopes back to State Corp against a return register; finish it",
	.flags = CLI_NEEDS_STORE,
	.exec = handback_exec,
};
