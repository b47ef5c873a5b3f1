/*
 * error.h - the one way amanat reports a failure.
 *
 * A function that can fail returns AM_OK or a negative status and fills a
 * struct am_error with a sentence for a person: what happened and what to do.
 * The status maps one-to-one onto the CLI's exit codes (see am_exit_code).
 */
#ifndef AMANAT_ERROR_H
#define AMANAT_ERROR_H

#include <stddef.h>

enum am_status {
	AM_OK = 0,
	AM_REFUSED = -1,	/* bad input, illegal transition: exit 1 */
	AM_USAGE = -2,		/* wrong command line: exit 2 */
	AM_ENV = -3,		/* database, file, device, network: exit 3 */
	/* Kinds of AM_ENV that an unattended `amanat sync` must tell apart
	 * (am_setup_exit_code); every other command exits 3 for each of them. */
	AM_ENV_OFFLINE = -10,	/* upstream not reachable now: offline, timeout, 5xx, Retry-After */
	AM_ENV_TOKEN = -11,	/* the hub refuses the device token, or no token can be read */
	AM_ENV_UPSTREAM = -12,	/* sync.url missing or wrong (404), CA file or certificate pin wrong */
	AM_ENV_READONLY = -13,	/* the database cannot be written */
	AM_ENV_SCHEMA = -14,	/* the database was written by a newer amanat */
	AM_ENV_CALENDAR = -15,	/* the working-day calendar is missing or unreadable */
	AM_ENV_REFUSES_ALL = -16, /* the hub refuses every event with the same answer */
};

struct am_error {
	char msg[512];
};

/* Fill e (may be NULL) with a printf-style message and return status. */
int am_fail(struct am_error *e, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
#ifdef __clang_analyzer__
/* For clang's static analyser (make lint) only: it follows no variadic call
 * and cannot see into error.c, so it took am_fail's value for 0 and read a
 * caller's outputs after a failure.  Here it sees the status returned. */
#define am_fail(e, status, ...) ((void)(e), (void)(__VA_ARGS__), (status))
#endif

/* After n = snprintf(buf, size, ...): a text cut short ends at a whole letter
 * with "…" (never half a UTF-8 character). */
void am_fit(char *buf, size_t size, int n);
/* Exit code for a status: 0, 1, 2 or 3. */
int am_exit_code(int status);
/* True for AM_ENV and each of its kinds. */
int am_is_env(int status);
/* Exit code for a command run unattended (`amanat sync`), where only "not
 * reachable now" may count as success: 0 done, 1 refused, 2 usage, 3 upstream
 * not reachable now, 4 token refused, 5 upstream address/CA/pin wrong,
 * 6 database read-only, 7 schema newer, 8 calendar missing, 9 the hub refuses
 * every event, 10 any other environment failure. */
int am_setup_exit_code(int status);

#endif
