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

struct sync_status {
	size_t depth, dead;
	int64_t oldest_ms;		/* 0: outbox empty */
	char last_error[256];
	int64_t last_error_ms, last_ok_ms, next_try_ms;
	bool busy;			/* a request is in flight */
	int attempt;			/* failures in a row */
};

/* NULL with a reason when sync.url is not configured or curl fails. */
struct sync *sync_new(struct app *a, struct am_error *e);
void sync_free(struct sync *s);
int sync_fds(struct sync *s, struct pollfd *fds, int max);
int sync_timeout_ms(struct sync *s, int64_t now_ms);
void sync_handle(struct sync *s, const struct pollfd *fds, int n, int64_t now_ms);
/* Start a round now, whatever the backoff says. */
void sync_kick(struct sync *s);
/* Rounds finished since creation, and whether the last one succeeded. */
int sync_rounds(const struct sync *s, bool *last_ok);
void sync_status(struct sync *s, struct sync_status *out);

/* Read an answer as if the hub had sent it (with HTTP status, for events) to
 * the request of that step; for events, the request was the outbox's next
 * batch.  For tests and the fuzz targets (tests/fuzz): the same code as a
 * real round, without a network. */
enum sync_answer { SYNC_ANSWER_EVENTS, SYNC_ANSWER_REGISTERS, SYNC_ANSWER_POSTOMATS };
void sync_take_answer(struct sync *s, enum sync_answer what, long status, const char *body, size_t len);

#endif
