/*
 * spawn.h - running another program without a shell.
 *
 * amanat never hands a string to a shell (no system or popen calls, no
 * "sh -c"): a printer name or a path from a config file is one element of an
 * argument vector and cannot become a command.  Programs are found on PATH
 * (posix_spawnp) unless the name holds a slash.
 */
#ifndef AMANAT_SPAWN_H
#define AMANAT_SPAWN_H

#include <stdbool.h>
#include "amanat/error.h"

enum spawn_flags {
	SPAWN_QUIET = 1 << 0,	/* stdin, stdout and stderr on /dev/null */
	SPAWN_NOWAIT = 1 << 1,	/* do not wait (the child is reaped by SIGCHLD handling or left) */
};

/*
 * Run argv[0] with argv (NULL-terminated).  Unless SPAWN_NOWAIT, wait for it
 * and store its exit code in *exit_code (-1 when it was killed by a signal).
 * Returns AM_OK, or AM_ENV when it could not be started (not found, not
 * executable) with the reason.
 */
int spawn_run(const char *const argv[], unsigned flags, int *exit_code, struct am_error *e);

#endif
