/*
 * shift.h - the point's shift: from the last close to the next, for the
 * whole reception point (not one person's log-in), with what it holds:
 * every person's work by name, every state with its soonest deadline, and
 * the deadlines open now or breached during the shift (even when the clock
 * has since been closed late).
 */
#ifndef AMANAT_SHIFT_H
#define AMANAT_SHIFT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "amanat/staff.h"
#include "amanat/store.h"

struct point_shift {
	int64_t number;		/* 1, 2, ...: closed shifts + 1 */
	int64_t opened_ms;	/* the last close, or the first event */
	char handed_by[64];	/* badge of who closed the previous one, "" */
	char handed_name[STAFF_NAME_SIZE];	/* their name, or the badge */
};

/* The shift running now. */
int store_point_shift(struct store *s, struct point_shift *out, struct am_error *e);
/* Close shift number (refused when another terminal or person closed it
 * first): one event shift_closed {shift, from_ms, to_ms, report}. */
int store_point_shift_close(struct store *s, int64_t number, const char *report,
			    const struct event_ctx *ctx, int64_t *closed_ms, struct am_error *e);

/* One person's work in the shift, by kind of step. */
struct shift_person {
	char badge[64];
	char name[STAFF_NAME_SIZE];	/* the staff name, or the badge when unknown */
	int role;		/* enum staff_role, -1 when not on the staff list */
	size_t total, accepted, handed, placed, returned, other;
};
int store_shift_people(struct store *s, int64_t since_ms,
		       int (*cb)(const struct shift_person *, void *), void *arg,
		       struct am_error *e);

/* Every state's count and soonest open deadline (0: none); damaged: the
 * envelopes marked damaged that are still at the point. */
struct shift_states {
	size_t count[ST__COUNT];
	int64_t soonest[ST__COUNT];
	size_t damaged;
	int64_t damaged_soonest;
};
int store_shift_states(struct store *s, struct shift_states *out, struct am_error *e);
/* The same without soonest[] (all 0): for a caller that reads every open
 * deadline anyway (the shift report), which finds them there; a fresh
 * process otherwise joins every open deadline to its envelope for them. */
int store_shift_states_counts(struct store *s, struct shift_states *out, struct am_error *e);

/* A deadline of the shift: open, or closed after it was due within it. */
struct shift_deadline {
	struct clock_row c;
	int64_t closed_ms;		/* 0: still open */
	enum envelope_state state;	/* ST_NONE for a register's clock */
	bool damaged;
};
struct shift_deadline_totals {
	size_t total;			/* open + closed late in the shift */
	size_t open, breached_open, closed_late, soon;	/* soon: open, under 24 h */
};
/* Rows offset .. offset+limit-1 of the shift's deadlines, soonest due first;
 * totals (may be NULL) counted over all of them at now_ms. */
int store_shift_deadlines(struct store *s, int64_t since_ms, int64_t now_ms, size_t offset,
			  size_t limit, int (*cb)(const struct shift_deadline *, void *), void *arg,
			  struct shift_deadline_totals *totals, struct am_error *e);

#endif
