/*
 * spawn.c - running another program (lp, lpstat, a beeper) with an argument
 * vector through posix_spawnp: no shell ever sees a configured string.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include "amanat/i18n.h"
#include "amanat/spawn.h"

extern char **environ;

int spawn_run(const char *const argv[], unsigned flags, int *exit_code, struct am_error *e)
{
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int rc;
	if (exit_code)
		*exit_code = -1;
	if (!argv || !argv[0] || !argv[0][0])
		return am_fail(e, AM_ENV, _("no program to run"));
	if ((rc = posix_spawn_file_actions_init(&fa)))
		return am_fail(e, AM_ENV, _("cannot start %s: %s"), argv[0], strerror(rc));
	if (flags & SPAWN_QUIET) {
		rc = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
		if (!rc)
			rc = posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
		if (!rc)
			rc = posix_spawn_file_actions_adddup2(&fa, 1, 2);
		if (rc) {
			posix_spawn_file_actions_destroy(&fa);
			return am_fail(e, AM_ENV, _("cannot start %s: %s"), argv[0], strerror(rc));
		}
	}
	/* posix_spawnp takes char *const[]: the strings are not written to. */
	/* The UI ignores SIGCHLD (its beeper children reap themselves); a child
	 * whose exit code matters needs it back while we wait. */
	struct sigaction dfl = { .sa_handler = SIG_DFL }, old;
	bool wait_for_it = !(flags & SPAWN_NOWAIT);
	if (wait_for_it)
		sigaction(SIGCHLD, &dfl, &old);
	rc = posix_spawnp(&pid, argv[0], &fa, NULL, (char *const *)argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	int status = 0;
	pid_t w = 0;
	if (!rc && wait_for_it)
		while ((w = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
			;
	int wait_errno = errno;
	if (wait_for_it)
		sigaction(SIGCHLD, &old, NULL);
	if (rc)
		return am_fail(e, AM_ENV, _("cannot start %s: %s"), argv[0], strerror(rc));
	if (!wait_for_it)
		return AM_OK;
	errno = wait_errno;
	if (w < 0)
		return am_fail(e, AM_ENV, "%s: %s", argv[0], strerror(errno));
	if (exit_code)
		*exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	return AM_OK;
}
