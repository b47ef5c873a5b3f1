/*
 * deadline.c - the pilot's clocks (pilot.md, "Deadlines in one table").
 *
 * Three kinds of limit, each computed on the local date of the event:
 *   by HH:00 of the next working day  (§10 13:00, §17 12:00, §33 12:00)
 *   N working days, ending 24:00 of the last one  (§11, §26, §30, §38)
 *   N calendar days or a month, ending 24:00 of the last one  (§21, §35)
 * "24:00 of day X" is returned as 00:00 of the day after X.
 */
#include <stdio.h>
#include <string.h>
#include "amanat/deadline.h"
#include "amanat/i18n.h"
#include "amanat/timeutil.h"

enum limit_kind { NEXT_WORKING_AT, WORKING_DAYS, CALENDAR_DAYS, MONTHS };

static const struct clock_def {
	const char *name;
	int paragraph;
	enum limit_kind kind;
	int amount;		/* the hour for NEXT_WORKING_AT, else the count */
} clocks[CLOCK__COUNT] = {
	[CLOCK_TO_POINT]             = { "to-point", 10, NEXT_WORKING_AT, 13 },
	[CLOCK_COURIER_DELIVERY]     = { "courier-delivery", 17, NEXT_WORKING_AT, 12 },
	[CLOCK_WAIT_AT_POINT]        = { "wait-at-point", 11, WORKING_DAYS, 3 },
	[CLOCK_STORAGE]              = { "storage", 21, CALENDAR_DAYS, 3 },
	[CLOCK_RETURN]               = { "return", 30, WORKING_DAYS, 1 },
	[CLOCK_PICKUP_RETURNS]       = { "pickup-returns", 33, NEXT_WORKING_AT, 12 },
	[CLOCK_ISSUANCE_STORAGE]     = { "issuance-storage", 35, MONTHS, 1 },
	[CLOCK_DUPLICATE]            = { "duplicate", 26, WORKING_DAYS, 3 },
	[CLOCK_FORCE_MAJEURE_NOTICE] = { "force-majeure-notice", 38, WORKING_DAYS, 3 },
	/* §27: by the end of the new delivery date; its event is that date */
	[CLOCK_LATE_DELIVERY]        = { "late-delivery", 27, CALENDAR_DAYS, 0 },
};

const char *clock_name(enum pilot_clock c)
{
	return (unsigned)c < CLOCK__COUNT ? clocks[c].name : "?";
}

int clock_from_name(const char *name)
{
	for (int i = 0; i < CLOCK__COUNT; i++)
		if (strcmp(clocks[i].name, name) == 0)
			return i;
	return -1;
}

int clock_paragraph(enum pilot_clock c)
{
	return (unsigned)c < CLOCK__COUNT ? clocks[c].paragraph : 0;
}

const char *clock_title(enum pilot_clock c)
{
	switch (c) {
	case CLOCK_TO_POINT: return _("to the point");
	case CLOCK_COURIER_DELIVERY: return _("SC courier delivery");
	case CLOCK_WAIT_AT_POINT: return _("wait at the point");
	case CLOCK_STORAGE: return _("storage in the cell");
	case CLOCK_RETURN: return _("return to the point");
	case CLOCK_PICKUP_RETURNS: return _("pickup of returns");
	case CLOCK_ISSUANCE_STORAGE: return _("storage at State Corp");
	case CLOCK_DUPLICATE: return _("duplicate");
	case CLOCK_FORCE_MAJEURE_NOTICE: return _("force majeure notice");
	case CLOCK_LATE_DELIVERY: return _("late delivery, new date");
	case CLOCK__COUNT: break;
	}
	return "?";
}

const char *clock_limit_label(enum pilot_clock c)
{
	switch (c) {
	case CLOCK_TO_POINT: return _("13:00 next working day");
	case CLOCK_COURIER_DELIVERY:
	case CLOCK_PICKUP_RETURNS: return _("12:00 next working day");
	case CLOCK_WAIT_AT_POINT:
	case CLOCK_DUPLICATE:
	case CLOCK_FORCE_MAJEURE_NOTICE: return _("3 working days");
	case CLOCK_STORAGE: return _("3 calendar days");
	case CLOCK_RETURN: return _("1 working day");
	case CLOCK_ISSUANCE_STORAGE: return _("1 month");
	case CLOCK_LATE_DELIVERY: return _("the end of the new date");
	case CLOCK__COUNT: break;
	}
	return "?";
}

/* Local date (days since the epoch) of a UTC instant. */
static int64_t local_day(int64_t utc_ms, int offset_min)
{
	int64_t t = utc_ms + (int64_t)offset_min * MS_PER_MINUTE;
	return t >= 0 ? t / MS_PER_DAY : -((-t + MS_PER_DAY - 1) / MS_PER_DAY);
}

/* UTC ms of local midnight starting day + hours. */
static int64_t local_at(int64_t day, int hour, int offset_min)
{
	return day * MS_PER_DAY + hour * MS_PER_HOUR - (int64_t)offset_min * MS_PER_MINUTE;
}

static int64_t next_working(const struct calendar *cal, int64_t day)
{
	/* A year has at most a few dozen days off in a row; 400 is a guard
	 * against a calendar file that marks everything off. */
	for (int i = 0; i < 400; i++)
		if (calendar_is_working(cal, ++day))
			return day;
	return day;
}

int64_t deadline_due(const struct calendar *cal, enum pilot_clock c, int64_t event_utc_ms,
		     int offset_min)
{
	const struct clock_def *def = &clocks[c];
	int64_t day = local_day(event_utc_ms, offset_min);
	switch (def->kind) {
	case NEXT_WORKING_AT:
		return local_at(next_working(cal, day), def->amount, offset_min);
	case WORKING_DAYS:
		for (int i = 0; i < def->amount; i++)
			day = next_working(cal, day);
		return local_at(day + 1, 0, offset_min);
	case CALENDAR_DAYS:
		return local_at(day + def->amount + 1, 0, offset_min);
	case MONTHS: {
		int y, m, d;
		civil_from_days(day, &y, &m, &d);
		m += def->amount;
		y += (m - 1) / 12;
		m = (m - 1) % 12 + 1;
		if (d > days_in_month(y, m))
			d = days_in_month(y, m);
		return local_at(days_from_civil(y, m, d) + 1, 0, offset_min);
	}
	}
	return event_utc_ms;
}

void deadline_calendar_warning(const struct calendar *cal, char *buf, size_t len)
{
	int y, m, d;
	civil_from_days(calendar_last_day(cal), &y, &m, &d);
	snprintf(buf, len, _("the calendar ends on %02d.%02d.%04d: add next year's days off"), d, m, y);
}

bool clock_is_keeping(enum pilot_clock c)
{
	return c == CLOCK_STORAGE || c == CLOCK_ISSUANCE_STORAGE;
}

bool clock_counts_working_days(enum pilot_clock c)
{
	return (unsigned)c < CLOCK__COUNT && (clocks[c].kind == NEXT_WORKING_AT || clocks[c].kind == WORKING_DAYS);
}

/* Time of [a, b) that falls on working days. */
static int64_t working_time(const struct calendar *cal, int64_t a, int64_t b, int offset_min)
{
	int64_t sum = 0;
	for (int guard = 0; a < b && guard < 800; guard++) {
		int64_t day = local_day(a, offset_min), end = local_at(day + 1, 0, offset_min);
		if (end > b)
			end = b;
		if (calendar_is_working(cal, day))
			sum += end - a;
		a = end;
	}
	return sum;
}

/* t moved forward by amount of working time. */
static int64_t advance_working(const struct calendar *cal, int64_t t, int64_t amount, int offset_min)
{
	for (int guard = 0; amount > 0 && guard < 2000; guard++) {
		int64_t day = local_day(t, offset_min), end = local_at(day + 1, 0, offset_min);
		if (calendar_is_working(cal, day)) {
			int64_t chunk = end - t < amount ? end - t : amount;
			t += chunk;
			amount -= chunk;
			if (!amount)
				break;
		}
		t = end;
	}
	return t;
}

/*
 * §37: obligations are suspended while the force majeure lasts, so the clock
 * stands still from max(its start, the force majeure's start) to the force
 * majeure's end, if the force majeure began before the clock ran out.  Time
 * before the clock started never counts; a working-day clock counts only the
 * working time of the suspension and moves by that much working time.
 */
int64_t deadline_extend_by(const struct calendar *cal, enum pilot_clock c, int64_t started_ms,
			   int64_t due_ms, int64_t fm_from_ms, int64_t fm_to_ms, int offset_min)
{
	if (fm_to_ms <= fm_from_ms || fm_from_ms >= due_ms || fm_to_ms <= started_ms)
		return due_ms;
	int64_t a = fm_from_ms > started_ms ? fm_from_ms : started_ms;
	if (!cal || !clock_counts_working_days(c))
		return due_ms + (fm_to_ms - a);
	return advance_working(cal, due_ms, working_time(cal, a, fm_to_ms, offset_min), offset_min);
}

int64_t deadline_extend(int64_t started_ms, int64_t due_ms, int64_t fm_from_ms, int64_t fm_to_ms)
{
	return deadline_extend_by(NULL, CLOCK_STORAGE, started_ms, due_ms, fm_from_ms, fm_to_ms, 0);
}
