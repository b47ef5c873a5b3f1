/*
 * deadline.h - the pilot's clocks, computed one way, from one calendar.
 *
 * Rules (as the Civil Code counts periods): a period in days or months starts
 * the day after the event and ends at 24:00 of its last day, which is returned
 * as 00:00 of the following day; working-day periods count only working days;
 * calendar-day periods ignore holidays; "by HH:00 of the next working day" is
 * HH:00 on the first working day after the event's local date.
 */
#ifndef AMANAT_DEADLINE_H
#define AMANAT_DEADLINE_H

#include <stdbool.h>
#include <stdint.h>
#include "amanat/calendar.h"
#include "amanat/lifecycle.h"

#define PILOT_CLOCKS(X) \
	X(TO_POINT, "to-point", 10) \
	X(COURIER_DELIVERY, "courier-delivery", 17) \
	X(WAIT_AT_POINT, "wait-at-point", 11) \
	X(STORAGE, "storage", 21) \
	X(RETURN, "return", 30) \
	X(PICKUP_RETURNS, "pickup-returns", 33) \
	X(ISSUANCE_STORAGE, "issuance-storage", 35) \
	X(DUPLICATE, "duplicate", 26) \
	X(FORCE_MAJEURE_NOTICE, "force-majeure-notice", 38) \
	X(LATE_DELIVERY, "late-delivery", 27)

enum pilot_clock {
#define X(id, name, par) CLOCK_##id,
	PILOT_CLOCKS(X)
#undef X
	CLOCK__COUNT
};

const char *clock_name(enum pilot_clock c);
int clock_from_name(const char *name);		/* -1 if unknown */
int clock_paragraph(enum pilot_clock c);	/* the pilot's §, e.g. 17 */
/* What the clock is, for people, translated: "storage in the cell". */
const char *clock_title(enum pilot_clock c);
/* Short human description of the limit, translated: "3 working days". */
const char *clock_limit_label(enum pilot_clock c);

/*
 * Due time (UTC ms) of clock c for an event at event_utc_ms, with local time
 * = UTC + offset_min minutes.
 */
int64_t deadline_due(const struct calendar *cal, enum pilot_clock c,
		     int64_t event_utc_ms, int offset_min);

/* For a due time past the calendar file's last day, translated: "the
 * calendar ends on 31.12.2027: add next year's days off". */
void deadline_calendar_warning(const struct calendar *cal, char *buf, size_t len);

/* True for a keeping period (§21 storage in the cell, §35 at State Corp):
 * its end is not a limit anybody can miss; removing before it is the fault. */
bool clock_is_keeping(enum pilot_clock c);

/* True for clocks counted in working days (and "by HH:00 of the next
 * working day"): days off do not run them. */
bool clock_counts_working_days(enum pilot_clock c);

/*
 * Force majeure (§37): a suspension [from, to) that began before the clock ran
 * out stops it from max(started, from) to `to`; the due time moves by that
 * much (for a working-day clock: by the working time of it, counted as working
 * time).  Time before the clock started never counts.
 */
int64_t deadline_extend_by(const struct calendar *cal, enum pilot_clock c, int64_t started_ms,
			   int64_t due_ms, int64_t fm_from_ms, int64_t fm_to_ms, int offset_min);
/* The same in plain elapsed time (calendar-day clocks). */
int64_t deadline_extend(int64_t started_ms, int64_t due_ms,
			int64_t fm_from_ms, int64_t fm_to_ms);

/*
 * What an envelope's step does to its clocks: the one table of both sides,
 * the terminal's store and the point hub.  A step first closes (one clock,
 * or every clock of the envelope), then opens; opening a clock closes an
 * open one of its kind first.  The opened clock runs from the step, from the
 * new date it names (delayed, §27: due at noon of that date), or from the
 * end of the keeping period it ends (removed, §30: when that end has passed).
 */
enum { CLOCK_NONE = -2, CLOCK_ALL = -1 };
enum clock_basis { CLOCK_BASIS_EVENT, CLOCK_BASIS_NEW_DATE, CLOCK_BASIS_STORAGE_END };
struct clock_step {
	int close;			/* a pilot_clock, CLOCK_ALL or CLOCK_NONE */
	int open;			/* a pilot_clock or CLOCK_NONE */
	enum clock_basis basis;
};
struct clock_step clock_step_of(enum event_type t);
/* What a step does to its register's clocks: its first scan of any kind
 * (accepted, damaged, unexpected: the State Corp courier is here) stops the
 * §10 and §17 delivery clocks; finishing the register closes them all. */
enum clock_register_step { CLOCK_REGISTER_NONE, CLOCK_REGISTER_DELIVERED, CLOCK_REGISTER_FINISHED };
enum clock_register_step clock_register_step_of(enum event_type t);
/* The due time of a new date (days since the epoch) told to a recipient. */
int64_t clock_new_date_due(int64_t day, int offset_min);

#endif
