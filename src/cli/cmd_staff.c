/*
 * cmd_staff.c - `amanat staff add|list|unlock` and `amanat postomat import|list`:
 * the people who log in, and the postomats with their cells.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "amanat/cli.h"
#include "amanat/i18n.h"
#include "amanat/postomat.h"
#include "amanat/postomat_json.h"
#include "amanat/staff.h"
#include "amanat/text.h"

extern const struct cli_command cmd_staff, cmd_postomat;

static int staff_add(struct cli *c, int argc, char **argv, struct am_error *e)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "role", required_argument, NULL, 'r' },
		{ "pin", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	struct staff st = { .active = true };
	const char *name = NULL, *role = NULL, *pin = NULL;
	int opt;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (opt == 'n') name = optarg;
		else if (opt == 'r') role = optarg;
		else if (opt == 'p') pin = optarg;
		else return cli_usage(&cmd_staff, e);
	}
	if (optind + 1 != argc || !name || !role || !pin)
		return cli_usage(&cmd_staff, e);
	int r = staff_role_from_name(role);
	if (r < 0)
		return am_fail(e, AM_USAGE, _("a role is clerk, courier, supervisor or sorting"));
	/* Checked here, where the text comes in: a PIN of 128 KiB is a mistake,
	 * not something for crypt to fail on; a name is never cut silently. */
	if (strlen(pin) > 64)
		return am_fail(e, AM_REFUSED, _("field '--pin' is longer than 64 characters"));
	if (strlen(argv[optind]) >= sizeof st.badge)
		return am_fail(e, AM_REFUSED, _("field 'badge' is longer than %zu bytes"), sizeof st.badge - 1);
	if (text_check_name("--name", name, STAFF_NAME_CHARS, e))
		return AM_REFUSED;
	snprintf(st.badge, sizeof st.badge, "%s", argv[optind]);
	snprintf(st.name, sizeof st.name, "%s", name);
	st.role = (enum staff_role)r;
	int rc = store_staff_add(c->app.store, &st, pin, e);
	if (rc)
		return rc;
	if (c->json)
		cli_json_out(json_pack("{s:s, s:s, s:s}", "badge", st.badge, "name", st.name, "role", role));
	else
		printf(_("%s (%s) can log in with badge %s\n"), st.name, role, st.badge);
	return 0;
}

static int staff_one(const struct staff *st, void *arg)
{
	json_t *arr = arg;
	if (arr)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:b}", "badge", st->badge,
						     "name", st->name, "role", staff_role_name(st->role),
						     "active", st->active));
	else
		printf("%-16s %-11s %s\n", st->badge, staff_role_name(st->role), st->name);
	return 0;
}

/* A supervisor's way past the five-minute lock of five wrong PINs. */
static int staff_unlock(struct cli *c, const char *badge, struct am_error *e)
{
	struct event_ctx ctx = app_ctx(&c->app);
	int rc = store_staff_unlock(c->app.store, badge, &ctx, e);
	if (rc)
		return rc;
	if (c->json)
		cli_json_out(json_pack("{s:s, s:b}", "badge", badge, "unlocked", 1));
	else
		printf(_("badge %s is unlocked: it can log in again\n"), badge);
	return 0;
}

static int staff_exec(struct cli *c, int argc, char **argv, struct am_error *e)
{
	if (argc == 3 && strcmp(argv[1], "unlock") == 0)
		return staff_unlock(c, argv[2], e);
	if (argc >= 2 && strcmp(argv[1], "add") == 0)
		return staff_add(c, argc - 1, argv + 1, e);
	if (argc == 2 && strcmp(argv[1], "list") == 0) {
		json_t *arr = c->json ? json_array() : NULL;
		int rc = store_staff_each(c->app.store, staff_one, arr, e);
		if (arr)
			cli_json_out(arr);
		return rc;
	}
	return cli_usage(&cmd_staff, e);
}

/* The postomat file is the body of GET /v1/postomats (docs/protocol.md). */
static int postomat_import(struct cli *c, const char *path, struct am_error *e)
{
	json_error_t je;
	size_t n_pm, n_cells;
	if (app_check_regular(path, e))
		return AM_REFUSED;
	json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	if (!root)
		return am_fail(e, AM_REFUSED, _("%s: not valid JSON at line %d: %s"), path, je.line, je.text);
	int rc = postomat_import_json(c->app.store, root, path, &n_pm, &n_cells, e);
	json_decref(root);
	if (rc)
		return rc;
	if (c->json)
		cli_json_out(json_pack("{s:I, s:I}", "postomats", (json_int_t)n_pm, "cells", (json_int_t)n_cells));
	else
		printf(_("%zu postomats, %zu cells imported\n"), n_pm, n_cells);
	return 0;
}

static int postomat_one(const struct postomat *p, void *arg)
{
	json_t *arr = arg;
	if (arr)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s}", "id", p->id, "city", p->city, "address", p->address));
	else
		printf("%-14s %-12s %s\n", p->id, p->city, p->address);
	return 0;
}

static int postomat_exec(struct cli *c, int argc, char **argv, struct am_error *e)
{
	if (argc == 3 && strcmp(argv[1], "import") == 0)
		return postomat_import(c, argv[2], e);
	if (argc == 2 && strcmp(argv[1], "list") == 0) {
		json_t *arr = c->json ? json_array() : NULL;
		int rc = store_postomat_each(c->app.store, postomat_one, arr, e);
		if (arr)
			cli_json_out(arr);
		return rc;
	}
	return cli_usage(&cmd_postomat, e);
}

const struct cli_command cmd_staff = {
	.name = "staff", .usage = "add BADGE --name NAME --role clerk|courier|supervisor|sorting --pin PIN | list | unlock BADGE",
	.help = "people who log in to the terminal UI (PINs kept as yescrypt hashes)",
	.flags = CLI_NEEDS_STORE, .exec = staff_exec,
};
const struct cli_command cmd_postomat = {
	.name = "postomat", .usage = "import FILE | list",
	.help = "postomats, cells and cell reservations (the GET /v1/postomats body)",
	.flags = CLI_NEEDS_STORE, .exec = postomat_exec,
};
