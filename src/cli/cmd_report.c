/*
 * cmd_report.c - `amanat report shift`: the supervisor's shift report as
 * files (text and CSV), the same one the shift screen writes on close.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "amanat/cli.h"
#include "amanat/config.h"
#include "amanat/i18n.h"
#include "amanat/report.h"
#include "amanat/timeutil.h"

extern const struct cli_command cmd_report;

static int report_exec(struct cli *c, int argc, char **argv, struct am_error *e)
{
	static const struct option opts[] = {
		{ "since", required_argument, NULL, 's' },
		{ "dir", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	/* the configured report_dir, where the UI writes the same report; else here */
	const char *dir = config_get(c->app.cfg, "report_dir", ".");
	int64_t since = 0;	/* the point's shift: since its last close */
	int opt;
	char txt[4096], csv[4096];
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (opt == 'd')
			dir = optarg;
		else if (opt == 's') {
			if (time_parse(optarg, c->app.rules.offset_min, &since))
				return am_fail(e, AM_USAGE, _("--since takes a local time like \"2026-03-20 08:00\""));
		} else
			return cli_usage(&cmd_report, e);
	}
	if (optind + 1 != argc || strcmp(argv[optind], "shift"))
		return cli_usage(&cmd_report, e);
	int rc = report_shift(&c->app, since, dir, txt, sizeof txt, csv, sizeof csv, e);
	if (rc)
		return rc;
	if (c->json)
		cli_json_out(json_pack("{s:s, s:s}", "text", txt, "csv", csv));
	else
		printf("%s\n%s\n", txt, csv);
	return 0;
}

const struct cli_command cmd_report = {
	.name = "report", .usage = "shift [--since \"YYYY-MM-DD HH:MM\"] [--dir DIR]",
	.help = "write the shift report (text and CSV): states, people, deadlines, acts, outbox",
	.flags = CLI_NEEDS_STORE, .exec = report_exec,
};
