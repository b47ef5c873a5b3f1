/*
 * lifecycle.h - the envelope's states and the one table of legal transitions.
 *
 * Every change of an envelope is an event; an event type either moves the
 * envelope from one of a set of states to a new state, or is a side event
 * (delayed, note, damaged, printed) that leaves the state as it is.
 */
#ifndef AMANAT_LIFECYCLE_H
#define AMANAT_LIFECYCLE_H

#include <stdbool.h>
#include <stddef.h>

#define ENVELOPE_STATES(X) \
	X(NONE, "none") \
	X(REGISTERED, "registered") \
	X(HANDED_TO_POINT, "handed_to_point") \
	X(ACCEPTED, "accepted") \
	X(OUT_FOR_DELIVERY, "out_for_delivery") \
	X(PLACED, "placed") \
	X(COLLECTED, "collected") \
	X(EXPIRED_REMOVED, "expired_removed") \
	X(RETURNED_TO_POINT, "returned_to_point") \
	X(HANDED_BACK, "handed_back") \
	X(LOST, "lost") \
	X(CANCELLED, "cancelled") \
	X(BROUGHT_BACK, "brought_back")

enum envelope_state {
#define X(id, name) ST_##id,
	ENVELOPE_STATES(X)
#undef X
	ST__COUNT
};

#define EVENT_TYPES(X) \
	X(REGISTERED, "registered") \
	X(HANDED_TO_POINT, "handed_to_point") \
	X(ACCEPTED, "accepted") \
	X(OUT_FOR_DELIVERY, "out_for_delivery") \
	X(PLACED, "placed") \
	X(COLLECTED, "collected") \
	X(EXPIRED_REMOVED, "expired_removed") \
	X(RETURNED_TO_POINT, "returned_to_point") \
	X(HANDED_BACK, "handed_back") \
	X(LOST, "lost") \
	X(CANCELLED, "cancelled") \
	X(DELAYED, "delayed") \
	X(DAMAGED, "damaged") \
	X(NOTE, "note") \
	X(PRINTED, "printed") \
	X(CELL_CHANGED, "cell_changed") \
	X(SCAN_UNEXPECTED, "scan_unexpected") \
	X(REGISTER_FINISHED, "register_finished") \
	X(ACT_DRAWN, "act_drawn") \
	X(FORCE_MAJEURE, "force_majeure") \
	X(SHIFT_OPENED, "shift_opened") \
	X(SHIFT_CLOSED, "shift_closed") \
	X(DEADLINE_MISSED, "deadline_missed") \
	X(DEADLINE_CLOSED_LATE, "deadline_closed_late") \
	X(FORCE_MAJEURE_ENDED, "force_majeure_ended") \
	X(FORCE_MAJEURE_DOCUMENT, "force_majeure_document") \
	X(FORCE_MAJEURE_NOTIFIED, "force_majeure_notified") \
	X(BROUGHT_BACK, "brought_back") \
	X(OUTBOX_RESENT, "outbox_resent") \
	X(BADGE_LOCKED, "badge_locked") \
	X(BADGE_UNLOCKED, "badge_unlocked")

enum event_type {
#define X(id, name) EV_##id,
	EVENT_TYPES(X)
#undef X
	EV__COUNT
};

const char *state_name(enum envelope_state s);
int state_from_name(const char *name);		/* -1 if unknown */
const char *event_name(enum event_type t);
int event_from_name(const char *name);		/* -1 if unknown */

/* Texts for people (translated): "accepted at the point", ... */
const char *state_label(enum envelope_state s);

/* True when the event concerns one envelope (changes or annotates it). */
bool event_is_envelope_event(enum event_type t);

/*
 * Where event t takes an envelope that is in state from.  Returns the new
 * state (the same one for a side event), or -1 when t is not allowed in from.
 */
int lifecycle_next(enum envelope_state from, enum event_type t);

/*
 * Check a transition; on refusal write a sentence naming the step, the current
 * state and what is allowed from it into msg, all in the reader's language
 * (the ids follow in brackets when the sentence is untranslated, for
 * scripts).  Returns the new state or -1.
 */
int lifecycle_check(enum envelope_state from, enum event_type t,
		    char *msg, size_t msglen);

/* The step an event records, for people ("accept at the point"); translated. */
const char *event_action(enum event_type t);

/* Write the steps allowed from state s, for people, comma separated (cut
 * only between letters when len is short). */
void lifecycle_allowed(enum envelope_state s, char *buf, size_t len);

/* True for states after which nothing more happens at the point. */
bool state_is_final(enum envelope_state s);

#endif
