/*
 * health.h - what `amanat doctor` asks the store.
 */
#ifndef AMANAT_HEALTH_H
#define AMANAT_HEALTH_H

#include <stdint.h>
#include "amanat/store.h"

/* PRAGMA quick_check: AM_OK, or AM_ENV with SQLite's first complaint. */
int store_quick_check(struct store *s, struct am_error *e);
/* The schema version of the file, and the one this binary writes. */
int store_schema_version(struct store *s, int *file, int *binary, struct am_error *e);
/* The time of the newest event (0 when none): a clock before it is wrong. */
int store_newest_event(struct store *s, int64_t *at_ms, struct am_error *e);
/* Registers whose import is not finished (imported_at 0: under way, or cut
 * short and hidden until the same file is imported again), each with the
 * lines there so far; cb returns non-zero to stop. */
int store_registers_unfinished(struct store *s, int (*cb)(const char *id, size_t lines, void *), void *arg,
			       struct am_error *e);

#endif
