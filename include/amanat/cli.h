/*
 * cli.h - the command line: one table of commands (src/cli/commands.c).
 *
 * Each command lives in its own file under src/cli/ and ends in one
 * `const struct cli_command cmd_NAME = {...}` entry, listed once in the
 * table.  A command returns an am_status; main turns it into the exit code
 * (0 done, 1 refused, 2 usage, 3 environment).
 */
#ifndef AMANAT_CLI_H
#define AMANAT_CLI_H

#include <stdbool.h>
#include <stdio.h>
#include <jansson.h>
#include "amanat/app.h"
#include "amanat/error.h"

enum cli_flags {
	CLI_NEEDS_STORE = 1 << 0,	/* open the database before exec */
	CLI_SETUP_CODES = 1 << 1,	/* exit with am_setup_exit_code: run unattended */
	CLI_CREATES_STORE = 1 << 2,	/* ... and make it when it does not exist (init) */
	CLI_RUNS_BROKEN = 1 << 3,	/* run even when the config or calendar fail (doctor) */
};

struct cli {
	struct app app;
	bool json;			/* --json: print one JSON document */
	const char *prog;
	int load_status;		/* CLI_RUNS_BROKEN: what app_load said */
	struct am_error load_error;
};

struct cli_command {
	const char *name;
	const char *usage;		/* "REGISTER CODE..." */
	const char *help;		/* one line */
	unsigned flags;
	/* argv[0] is the command name; getopt-style parsing from argv[1]. */
	int (*exec)(struct cli *c, int argc, char **argv, struct am_error *e);
};

extern const struct cli_command *const cli_commands[];

/* Entry point used by main(): parses global options, dispatches. */
int cli_main(int argc, char **argv);
/* Print usage of one command to stderr and return AM_USAGE. */
int cli_usage(const struct cli_command *cmd, struct am_error *e);
/* Print a JSON document (steals the reference) on stdout. */
void cli_json_out(json_t *doc);

/* Formatting shared by commands: ISO-8601 local time with offset, or null. */
json_t *cli_json_time(const struct cli *c, int64_t utc_ms);
void cli_time(const struct cli *c, int64_t utc_ms, char *buf, size_t len);
/* The JSON object of one envelope, as `status` prints it. */
json_t *cli_envelope_json(const struct cli *c, const struct envelope *v);

/* `register import-scan CODE...` lives with the labels (src/cli/cmd_label.c). */
int cmd_register_import_scan(struct cli *c, int argc, char **argv, struct am_error *e);

#endif
