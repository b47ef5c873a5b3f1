/*
 * error.h - the one way amanat reports a failure.
 *
 * A function that can fail returns AM_OK or a negative status and fills a
 * struct am_error with a sentence for a person: what happened and what to do.
 * The status maps one-to-one onto the CLI's exit codes (see am_exit_code).
 */
#ifndef AMANAT_ERROR_H
#define AMANAT_ERROR_H

enum am_status {
	AM_OK = 0,
	AM_REFUSED = -1,	/* bad input, illegal transition: exit 1 */
	AM_USAGE = -2,		/* wrong command line: exit 2 */
	AM_ENV = -3,		/* database, file, device, network: exit 3 */
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

/* Exit code for a status: 0, 1, 2 or 3. */
int am_exit_code(int status);

#endif
