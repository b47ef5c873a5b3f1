/*
 * feed.h - the terminal's side of the point hub's feed (GET /v1/feed): one
 * round of sync asks for what other devices of the point and the upstream
 * system recorded since the last cursor, and applies it (src/sync/feed.c).
 */
#ifndef AMANAT_FEED_H
#define AMANAT_FEED_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>
#include "amanat/app.h"

/* The request path, resuming after the kept cursor. */
void feed_path(struct app *a, char *path, size_t len);
/* Apply one answer page; *more when the hub has more after it.  A bad
 * answer changes nothing and returns AM_ENV with the reason. */
int feed_answer(struct app *a, const char *body, size_t len, bool *more, struct am_error *e);

/* The whole point from the hub (GET /v1/point/summary), blocking at most
 * timeout_ms: *out gets the answer (the caller decrefs it).  AM_ENV with the
 * reason when the hub does not answer: show this terminal's own data then,
 * and say so (src/sync/point.c). */
int point_summary_fetch(struct app *a, long timeout_ms, json_t **out, struct am_error *e);

#endif
