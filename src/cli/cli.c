/*
 * cli.c - global options and dispatch over the command table.
 *
 * amanat [--db FILE] [--config FILE] [--calendar FILE] [--json] COMMAND ...
 * Exit codes: 0 done, 1 refused, 2 usage, 3 environment.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "amanat/cli.h"
#include "amanat/i18n.h"
#include "amanat/log.h"
#include "amanat/text.h"

#ifndef AMANAT_VERSION
#define AMANAT_VERSION "0"
#endif

void cli_json_out(json_t *doc)
{
	if (!doc) {
		fputs("null\n", stdout);
		return;
	}
	char *text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
	if (text) {
		fputs(text, stdout);
		fputc('\n', stdout);
		free(text);
	}
	json_decref(doc);
}

int cli_usage(const struct cli_command *cmd, struct am_error *e)
{
	return am_fail(e, AM_USAGE, "usage: amanat [--json] %s %s", cmd->name, cmd->usage);
}

static void print_help(FILE *f)
{
	fprintf(f, "amanat %s - birth certificates from State Corp to Kaspi postomats\n\n"
		"usage: amanat [--db FILE] [--config FILE] [--calendar FILE] [--json] COMMAND ...\n\n"
		"commands:\n", AMANAT_VERSION);
	for (const struct cli_command *const *c = cli_commands; *c; c++)
		fprintf(f, "  %-14s %s\n      %s\n", (*c)->name, (*c)->usage, (*c)->help);
	fprintf(f, "\nwith no command, amanat opens the terminal UI (if built in).\n"
		"amanat help COMMAND (or amanat COMMAND --help): one command's usage; the global\n"
		"options may also follow the command.\n"
		"exit codes: 0 done, 1 refused, 2 usage, 3 environment (database, file, device)\n"
		"sync: 3 upstream not reachable now, 4 token refused, 5 upstream address, CA or pin wrong,\n"
		"      6 database read-only, 7 database from a newer amanat, 8 calendar missing,\n"
		"      9 the hub refuses every event, 10 another environment failure\n");
}

/* A breach is written on the first run that sees it, whatever the command.
 * Failing to write it (another writer holds the lock, a read-only copy) does
 * not stop the command: the next run writes it. */
static void cli_sweep(struct cli *c)
{
	struct event_ctx ctx = app_ctx(&c->app);
	struct am_error se = { "" };
	size_t n;
	if (store_deadlines_sweep(c->app.store, &ctx, &n, &se))
		log_msg(LOG_NOTICE, "deadlines: %s", se.msg);
}

static const struct cli_command *find(const char *name)
{
	for (const struct cli_command *const *c = cli_commands; *c; c++)
		if (strcmp((*c)->name, name) == 0)
			return *c;
	return NULL;
}

/* An error message may quote what came from a file or a scanner: make it
 * valid UTF-8 so that the JSON error can always be written. */
static void utf8_clean(const char *in, char *out, size_t len)
{
	size_t o = 0;
	const unsigned char *p = (const unsigned char *)in;
	while (*p && o + 4 < len) {
		int extra = *p < 0x80 ? 0 : (*p & 0xe0) == 0xc0 ? 1 : (*p & 0xf0) == 0xe0 ? 2 : (*p & 0xf8) == 0xf0 ? 3 : -1;
		bool ok = extra >= 0 && *p != 0xc0 && *p != 0xc1 && *p <= 0xf4;
		for (int k = 1; ok && k <= extra; k++)
			ok = (p[k] & 0xc0) == 0x80;
		if (!ok) {
			out[o++] = '?';
			p++;
			continue;
		}
		for (int k = 0; k <= extra; k++)
			out[o++] = (char)*p++;
	}
	out[o] = '\0';
}

/* Every argument of a command is text from outside: valid UTF-8 without
 * control characters, or the command is refused naming the option (or the
 * argument's place) before anything runs. */
static int check_args(int argc, char **argv, struct am_error *e)
{
	for (int i = 1; i < argc; i++) {
		const char *v = argv[i], *eq = NULL;
		char field[64];
		if (v[0] == '-' && v[1] == '-' && (eq = strchr(v, '=')) != NULL) {
			snprintf(field, sizeof field, "%.*s", (int)(eq - v < 40 ? eq - v : 40), v);
			if (text_check_str(NULL, field, v, e) == AM_OK)
				v = eq + 1;
		} else if (i > 1 && argv[i - 1][0] == '-' && argv[i - 1][1] == '-' && !strchr(argv[i - 1], '=')) {
			snprintf(field, sizeof field, "%.40s", argv[i - 1]);
		} else {
			snprintf(field, sizeof field, "argument %d", i);
		}
		if (text_check_str(NULL, text_check_str(NULL, "-", field, NULL) ? "?" : field, v, e))
			return AM_REFUSED;
	}
	return AM_OK;
}

static int report(struct cli *c, int status, const struct am_error *e, const char *cmd, bool setup_codes)
{
	int code = setup_codes ? am_setup_exit_code(status) : am_exit_code(status);
	if (am_is_env(status) || status == AM_REFUSED)	/* for the technician: journalctl -t amanat */
		log_msg(status == AM_REFUSED ? LOG_NOTICE : LOG_ERR, "%s: %s", cmd, e->msg);
	if (status != AM_OK) {
		if (c->json && status != AM_USAGE) {
			char msg[sizeof e->msg];
			utf8_clean(e->msg, msg, sizeof msg);
			json_t *doc = json_pack("{s:s, s:s, s:i}", "error", msg,
						"status", status == AM_REFUSED ? "refused" : "environment",
						"exit", code);
			char *text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
			if (text)
				fprintf(stderr, "%s\n", text);
			free(text);
			json_decref(doc);
		} else {
			fprintf(stderr, "amanat: %s\n", e->msg[0] ? e->msg : "failed");
		}
	}
	return code;
}

int cli_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "config", required_argument, NULL, 'c' },
		{ "calendar", required_argument, NULL, 'k' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli c;
	struct am_error e = { "" };
	const char *db = NULL, *config = NULL, *calendar = NULL;
	int opt, status;

	memset(&c, 0, sizeof c);
	c.prog = argv[0];
	/* "+": stop at the first non-option, the command. */
	while ((opt = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (opt) {
		case 'd': db = optarg; break;
		case 'c': config = optarg; break;
		case 'k': calendar = optarg; break;
		case 'j': c.json = true; break;
		case 'h': print_help(stdout); return 0;
		case 'V': printf("amanat %s\n", AMANAT_VERSION); return 0;
		default: print_help(stderr); return 2;
		}
	}
	argc -= optind;
	argv += optind;
	const char *name = argc > 0 ? argv[0] : "ui";
	if (!strcmp(name, "help")) {	/* `amanat help [COMMAND]`, as --help */
		const struct cli_command *one = argc > 1 ? find(argv[1]) : NULL;
		if (argc > 1 && !one) {
			fprintf(stderr, "amanat: unknown command '%s'; see 'amanat --help'\n", argv[1]);
			return 2;
		}
		if (one)
			printf("usage: amanat [--json] %s %s\n  %s\n", one->name, one->usage, one->help);
		else
			print_help(stdout);
		return 0;
	}
	const struct cli_command *cmd = find(name);
	if (!cmd) {
		if (argc == 0) {
			fprintf(stderr, "amanat: this build has no terminal UI; see 'amanat --help'\n");
			return 2;
		}
		fprintf(stderr, "amanat: unknown command '%s'; see 'amanat --help'\n", name);
		return 2;
	}
	/* The global options are accepted after the command too (`amanat
	 * status CODE --json --db FILE`); --help there prints the command's
	 * usage.  Nothing after "--" is taken. */
	int n = 0;
	bool ended = false;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		const char **slot = NULL;
		size_t l = 0;
		if (!ended && !strcmp(a, "--json")) {
			c.json = true;
			continue;
		}
		if (!ended && i > 0 && !strcmp(a, "--help")) {
			printf("usage: amanat [--json] %s %s\n  %s\n", cmd->name, cmd->usage, cmd->help);
			return 0;
		}
		if (!ended && !strncmp(a, "--db", 4) && (a[l = 4] == '\0' || a[4] == '='))
			slot = &db;
		else if (!ended && !strncmp(a, "--config", 8) && (a[l = 8] == '\0' || a[8] == '='))
			slot = &config;
		else if (!ended && !strncmp(a, "--calendar", 10) && (a[l = 10] == '\0' || a[10] == '='))
			slot = &calendar;
		if (slot && a[l] == '=') {
			*slot = a + l + 1;
			continue;
		}
		if (slot && i + 1 < argc) {
			*slot = argv[++i];
			continue;
		}
		if (!strcmp(a, "--"))
			ended = true;
		argv[n++] = argv[i];
	}
	argc = n;
	if (argc == 0) {	/* the default command ("ui") gets its own name */
		static char *ui_argv[] = { (char *)"ui", NULL };
		argv = ui_argv;
		argc = 1;
	}
	status = check_args(argc, argv, &e);
	if (status == AM_OK) {
		status = app_load(&c.app, config, db, calendar, &e);
		if (status != AM_OK && (cmd->flags & CLI_RUNS_BROKEN)) {	/* doctor shows it as a ✗ */
			c.load_status = status;
			c.load_error = e;
			status = AM_OK;
		}
	}
	log_open(c.app.cfg, 0);
	if (status == AM_OK)
		status = text_check_str(NULL, "actor", c.app.actor, &e);
	c.app.may_create = cmd->flags & CLI_CREATES_STORE;
	if (status == AM_OK && (cmd->flags & CLI_NEEDS_STORE))
		status = app_open_store(&c.app, &e);
	if (status == AM_OK && (cmd->flags & CLI_NEEDS_STORE))
		cli_sweep(&c);
	if (status == AM_OK) {
		optind = 0;	/* reset getopt for the command's own options */
		status = cmd->exec(&c, argc, argv, &e);
	}
	fflush(stdout);
	int rc = report(&c, status, &e, name, (cmd->flags & CLI_SETUP_CODES) != 0);
	app_close(&c.app);
	return rc;
}
