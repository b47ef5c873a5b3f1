/*
 * sync.h - the upload of the outbox and the download of registers and
 * postomats (docs/protocol.md), over libcurl's multi interface inside the
 * caller's poll() loop: nothing here ever blocks the UI.
 *
 *     struct sync *s = sync_new(&app, &err);
 *     for (;;) {
 *         struct pollfd fds[8];
 *         int n = sync_fds(s, fds, 8);            // the sockets curl wants
 *         poll(fds, n, sync_timeout_ms(s, now_ms()));
 *         sync_handle(s, fds, n, now_ms());       // progress, answers, retries
 *     }
 *
 * A round sends the outbox in batches (sequence order), then fetches the
 * registers and postomats; failures retry with exponential backoff and full
 * jitter, never sooner than Retry-After.  Acknowledged means: the answer
 * naming the event was read whole.
 */
#ifndef AMANAT_SYNC_H
#define AMANAT_SYNC_H

#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include "amanat/app.h"

struct sync;

/* Why a round failed: what an unattended run does about it differs. */
enum sync_fault {
	SYNC_FAULT_NONE,
	SYNC_FAULT_OFFLINE,		/* offline, timeout, 5xx, a cut or odd answer: try later */
	SYNC_FAULT_TOKEN,		/* 401/403: the device token is refused */
	SYNC_FAULT_UPSTREAM,		/* 404 and the like, TLS verification, CA, pin: sync.* is wrong */
	SYNC_FAULT_STORE,		/* the database failed (fault_status says how) */
	SYNC_FAULT_REFUSES_ALL,		/* every event of a batch refused alone with the same answer */
};

struct sync_status {
	size_t depth, dead;
	int64_t oldest_ms;		/* 0: outbox empty */
	char last_error[256];		/* the newest recorded, by any process (meta) */
	int64_t last_error_ms, last_ok_ms, next_try_ms;
	int64_t not_before_ms;		/* Retry-After: no request before this (meta) */
	int64_t isolate_to;		/* > 0: events up to this seq are sent one at a time */
	bool busy;			/* a request is in flight */
	int attempt;			/* failures in a row */
	/* This process's last failed round (sync_status only): */
	enum sync_fault fault;
	int fault_status;		/* its am_status: AM_ENV_OFFLINE, AM_ENV_TOKEN ... */
	char error[256];		/* its reason ("" after a good round) */
};

/* NULL with a reason when sync.url is not configured, the token cannot be
 * read, the CA file is missing or curl fails. */
struct sync *sync_new(struct app *a, struct am_error *e);
/* The same, with the am_status of the refusal in *status. */
struct sync *sync_open(struct app *a, int *status, struct am_error *e);
void sync_free(struct sync *s);
int sync_fds(struct sync *s, struct pollfd *fds, int max);
int sync_timeout_ms(struct sync *s, int64_t now_ms);
void sync_handle(struct sync *s, const struct pollfd *fds, int n, int64_t now_ms);
/* Start a round now, whatever the backoff says. */
void sync_kick(struct sync *s);
/* Rounds finished since creation, and whether the last one succeeded. */
int sync_rounds(const struct sync *s, bool *last_ok);
void sync_status(struct sync *s, struct sync_status *out);
/* What the database knows (backlog, dead letters, last error and success,
 * Retry-After): needs no sync.url, works offline. */
void sync_status_read(struct app *a, struct sync_status *out);

/* Read an answer as if the hub had sent it (with HTTP status, for events) to
 * the request of that step; for events, the request was the outbox's next
 * batch.  For tests and the fuzz targets (tests/fuzz): the same code as a
 * real round, without a network. */
enum sync_answer { SYNC_ANSWER_EVENTS, SYNC_ANSWER_REGISTERS, SYNC_ANSWER_POSTOMATS };
void sync_take_answer(struct sync *s, enum sync_answer what, long status, const char *body, size_t len);

#endif
