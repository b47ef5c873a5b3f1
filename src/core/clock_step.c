/*
 * clock_step.c - which clocks an envelope's step opens and closes: the one
 * table both sides follow, the terminal's store (store/envelope.c) and the
 * point hub (src/hub/clock.c), so that a deadline the supervisor's screen
 * shows from the hub is the deadline the terminal keeps.
 */
#include "amanat/deadline.h"

struct clock_step clock_step_of(enum event_type t)
{
	struct clock_step s = { CLOCK_NONE, CLOCK_NONE, CLOCK_BASIS_EVENT };
	switch (t) {
	case EV_ACCEPTED:		/* §11: the point hands it on within its days */
		s.open = CLOCK_WAIT_AT_POINT;
		break;
	case EV_OUT_FOR_DELIVERY:
		s.close = CLOCK_WAIT_AT_POINT;
		break;
	case EV_PLACED:			/* §21: the keeping period in the cell starts */
		s.close = CLOCK_LATE_DELIVERY;
		s.open = CLOCK_STORAGE;
		break;
	case EV_DELAYED:		/* §27: the new date told to the recipient */
		s.open = CLOCK_LATE_DELIVERY;
		s.basis = CLOCK_BASIS_NEW_DATE;
		break;
	case EV_COLLECTED:
		s.close = CLOCK_STORAGE;
		break;
	case EV_EXPIRED_REMOVED:	/* §30 runs from the end of storage (§29) */
		s.close = CLOCK_STORAGE;
		s.open = CLOCK_RETURN;
		s.basis = CLOCK_BASIS_STORAGE_END;
		break;
	case EV_RETURNED_TO_POINT:
	case EV_HANDED_BACK:
		s.close = CLOCK_ALL;
		break;
	case EV_LOST:			/* §26: the duplicate's days */
		s.close = CLOCK_ALL;
		s.open = CLOCK_DUPLICATE;
		break;
	default:			/* cancelled: §26 goes on to the duplicate */
		break;
	}
	return s;
}

enum clock_register_step clock_register_step_of(enum event_type t)
{
	if (t == EV_REGISTER_FINISHED)
		return CLOCK_REGISTER_FINISHED;
	if (t == EV_ACCEPTED || t == EV_HANDED_TO_POINT || t == EV_SCAN_UNEXPECTED)
		return CLOCK_REGISTER_DELIVERED;
	return CLOCK_REGISTER_NONE;
}

int64_t clock_new_date_due(int64_t day, int offset_min)
{
	/* the new date's noon, local time: the courier's day for it */
	return day * 86400000LL + 12 * 3600000LL - (int64_t)offset_min * 60000LL;
}
