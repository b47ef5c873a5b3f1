/*
 * cmd_init.c - `amanat init`: create the database of a terminal and name it.
 */
#include <getopt.h>
#include <stdio.h>
#include "amanat/cli.h"
#include "amanat/i18n.h"

extern const struct cli_command cmd_init;

static int init_exec(struct cli *c, int argc, char **argv, struct am_error *e)
{
	static const struct option opts[] = {
		{ "device-id", required_argument, NULL, 'd' },
		{ "point", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	const char *device = NULL, *point = NULL;
	char dev[64] = "", pt[64] = "";
	int opt, rc;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (opt == 'd')
			device = optarg;
		else if (opt == 'p')
			point = optarg;
		else
			return cli_usage(&cmd_init, e);
	}
	if (optind != argc)
		return cli_usage(&cmd_init, e);
	if (!device)
		device = config_get(c->app.cfg, "device_id", NULL);
	if (!point)
		point = config_get(c->app.cfg, "point_id", NULL);
	if ((rc = store_init(c->app.store, device, point, e)))
		return rc;
	store_meta_get(c->app.store, "device_id", dev, sizeof dev);
	store_meta_get(c->app.store, "point_id", pt, sizeof pt);
	if (c->json)
		cli_json_out(json_pack("{s:s, s:s, s:s}", "db", c->app.db_path, "device_id", dev,
				       "point_id", pt));
	else
		printf(_("database %s ready: device %s, point %s\n"), c->app.db_path, dev,
		       pt[0] ? pt : _("(not set)"));
	return 0;
}

const struct cli_command cmd_init = {
	.name = "init",
	.usage = "[--device-id ID] [--point ID]",
	.help = "create or open the database and set this terminal's device and point ids",
	.flags = CLI_NEEDS_STORE | CLI_CREATES_STORE,
	.exec = init_exec,
};
