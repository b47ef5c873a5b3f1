/*
 * cmd_ui.c - `amanat ui` (and `amanat` with no command): the terminal UI.
 */
#include "amanat/cli.h"
#include "amanat/ui.h"

extern const struct cli_command cmd_ui;

static int ui_exec(struct cli *c, int argc, char **argv, struct am_error *e)
{
	(void)argv;
	if (argc != 1)
		return cli_usage(&cmd_ui, e);
	return ui_run(&c->app, e);
}

const struct cli_command cmd_ui = {
	.name = "ui", .usage = "",
	.help = "the terminal UI for clerks, couriers and supervisors (the default command)",
	.flags = CLI_NEEDS_STORE, .exec = ui_exec,
};
