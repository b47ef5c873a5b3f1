/*
 * lifecycle.c - the one table of legal transitions of an envelope.
 *
 * registered -> handed_to_point -> accepted -> out_for_delivery -> placed ->
 * collected; placed -> expired_removed -> returned_to_point -> handed_back;
 * any state before collected -> lost -> cancelled.  A matched acceptance scan
 * may take a registered envelope straight to accepted (the State Corp courier
 * hands it over and the clerk accepts it in one scan); handed_to_point is the
 * state of an envelope received damaged, which is not accepted and goes back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "amanat/i18n.h"
#include "amanat/lifecycle.h"
#include "amanat/text.h"

static const char *const state_names[] = {
#define X(id, name) name,
	ENVELOPE_STATES(X)
#undef X
};

static const char *const event_names[] = {
#define X(id, name) name,
	EVENT_TYPES(X)
#undef X
};

#define BIT(s) (1u << (s))
#define BEFORE_COLLECTED (BIT(ST_REGISTERED) | BIT(ST_HANDED_TO_POINT) | \
	BIT(ST_ACCEPTED) | BIT(ST_OUT_FOR_DELIVERY) | BIT(ST_PLACED) | \
	BIT(ST_EXPIRED_REMOVED) | BIT(ST_RETURNED_TO_POINT) | BIT(ST_BROUGHT_BACK))
#define ANY_STATE (BEFORE_COLLECTED | BIT(ST_COLLECTED) | BIT(ST_HANDED_BACK) | \
	BIT(ST_LOST) | BIT(ST_CANCELLED))
#define SIDE (-1)	/* a side event: the state stays */

/* For each event type: the states it is legal in and the state it leads to. */
static const struct {
	unsigned from;
	int to;
} table[EV__COUNT] = {
	[EV_REGISTERED]        = { BIT(ST_NONE), ST_REGISTERED },
	[EV_HANDED_TO_POINT]   = { BIT(ST_REGISTERED), ST_HANDED_TO_POINT },
	[EV_ACCEPTED]          = { BIT(ST_REGISTERED) | BIT(ST_HANDED_TO_POINT), ST_ACCEPTED },
	[EV_OUT_FOR_DELIVERY]  = { BIT(ST_ACCEPTED) | BIT(ST_BROUGHT_BACK), ST_OUT_FOR_DELIVERY },
	[EV_PLACED]            = { BIT(ST_OUT_FOR_DELIVERY), ST_PLACED },
	[EV_COLLECTED]         = { BIT(ST_PLACED), ST_COLLECTED },
	[EV_EXPIRED_REMOVED]   = { BIT(ST_PLACED), ST_EXPIRED_REMOVED },
	[EV_RETURNED_TO_POINT] = { BIT(ST_EXPIRED_REMOVED) | BIT(ST_OUT_FOR_DELIVERY), ST_RETURNED_TO_POINT },
	[EV_HANDED_BACK]       = { BIT(ST_RETURNED_TO_POINT) | BIT(ST_HANDED_TO_POINT) | BIT(ST_BROUGHT_BACK), ST_HANDED_BACK },
	[EV_LOST]              = { BEFORE_COLLECTED, ST_LOST },
	[EV_CANCELLED]         = { BIT(ST_LOST), ST_CANCELLED },
	[EV_DELAYED]           = { BIT(ST_ACCEPTED) | BIT(ST_OUT_FOR_DELIVERY) | BIT(ST_BROUGHT_BACK), SIDE },
	[EV_DAMAGED]           = { BIT(ST_REGISTERED) | BIT(ST_HANDED_TO_POINT) | BIT(ST_ACCEPTED), SIDE },
	[EV_NOTE]              = { ANY_STATE, SIDE },
	[EV_PRINTED]           = { ANY_STATE, SIDE },
	[EV_CELL_CHANGED]      = { BIT(ST_OUT_FOR_DELIVERY), SIDE },
	/* Events that are not about one envelope's state are never "legal" here. */
	[EV_SCAN_UNEXPECTED]   = { 0, SIDE },
	[EV_REGISTER_FINISHED] = { 0, SIDE },
	[EV_ACT_DRAWN]         = { 0, SIDE },
	[EV_FORCE_MAJEURE]     = { 0, SIDE },
	[EV_SHIFT_OPENED]      = { 0, SIDE },
	[EV_SHIFT_CLOSED]      = { 0, SIDE },
	[EV_DEADLINE_MISSED]   = { 0, SIDE },
	[EV_DEADLINE_CLOSED_LATE] = { 0, SIDE },
	[EV_FORCE_MAJEURE_ENDED] = { 0, SIDE },
	[EV_FORCE_MAJEURE_DOCUMENT] = { 0, SIDE },
	[EV_FORCE_MAJEURE_NOTIFIED] = { 0, SIDE },
	/* §27: the courier could not place it (postomat down) and brought it
	 * back: at the point, and it may go out again (not an expired return) */
	[EV_BROUGHT_BACK]      = { BIT(ST_OUT_FOR_DELIVERY), ST_BROUGHT_BACK },
	[EV_OUTBOX_RESENT]     = { 0, SIDE },
};

const char *state_name(enum envelope_state s)
{
	return (unsigned)s < ST__COUNT ? state_names[s] : "?";
}

int state_from_name(const char *name)
{
	for (int i = 0; i < ST__COUNT; i++)
		if (strcmp(state_names[i], name) == 0)
			return i;
	return -1;
}

const char *event_name(enum event_type t)
{
	return (unsigned)t < EV__COUNT ? event_names[t] : "?";
}

int event_from_name(const char *name)
{
	for (int i = 0; i < EV__COUNT; i++)
		if (strcmp(event_names[i], name) == 0)
			return i;
	return -1;
}

const char *state_label(enum envelope_state s)
{
	switch (s) {
	case ST_NONE: return _("not known");
	case ST_REGISTERED: return _("on a register");
	case ST_HANDED_TO_POINT: return _("at the point, not accepted");
	case ST_ACCEPTED: return _("accepted at the point");
	case ST_OUT_FOR_DELIVERY: return _("with a courier");
	case ST_PLACED: return _("in a postomat cell");
	case ST_COLLECTED: return _("collected");
	case ST_EXPIRED_REMOVED: return _("removed from the cell");
	case ST_RETURNED_TO_POINT: return _("returned to the point");
	case ST_HANDED_BACK: return _("handed back to State Corp");
	case ST_LOST: return _("lost");
	case ST_CANCELLED: return _("cancelled");
	case ST_BROUGHT_BACK: return _("brought back undelivered");
	case ST__COUNT: break;
	}
	return "?";
}

bool event_is_envelope_event(enum event_type t)
{
	return (unsigned)t < EV__COUNT && table[t].from != 0;
}

int lifecycle_next(enum envelope_state from, enum event_type t)
{
	if ((unsigned)t >= EV__COUNT || (unsigned)from >= ST__COUNT)
		return -1;
	if (!(table[t].from & BIT(from)))
		return -1;
	return table[t].to == SIDE ? (int)from : table[t].to;
}

const char *event_action(enum event_type t)
{
	switch (t) {
	case EV_REGISTERED: return _("put on a register");
	case EV_HANDED_TO_POINT: return _("receive at the point without accepting");
	case EV_ACCEPTED: return _("accept at the point");
	case EV_OUT_FOR_DELIVERY: return _("hand to a courier");
	case EV_PLACED: return _("place in a postomat cell");
	case EV_COLLECTED: return _("mark collected");
	case EV_EXPIRED_REMOVED: return _("remove from the cell (storage ended)");
	case EV_RETURNED_TO_POINT: return _("return to the point");
	case EV_HANDED_BACK: return _("hand back to State Corp");
	case EV_LOST: return _("draw up a loss act");
	case EV_CANCELLED: return _("cancel");
	case EV_DELAYED: return _("set a new delivery date");
	case EV_DAMAGED: return _("mark damaged");
	case EV_CELL_CHANGED: return _("change the cell");
	case EV_BROUGHT_BACK: return _("bring back undelivered");
	default: return event_name(t);
	}
}

/* The steps allowed from s, comma separated: people's words (actions) or
 * the ids (ids).  malloc'd; NULL when memory is out. */
static char *allowed_list(enum envelope_state s, bool ids)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	if (!f)
		return NULL;
	bool any = false;
	for (int t = 0; t < EV__COUNT; t++) {
		if (t == EV_NOTE || t == EV_PRINTED || lifecycle_next(s, t) < 0)
			continue;
		fprintf(f, "%s%s", any ? ", " : "", ids ? event_names[t] : event_action(t));
		any = true;
	}
	if (!any)
		fputs(ids ? "-" : _("nothing (final state)"), f);
	if (fclose(f)) {
		free(out);
		return NULL;
	}
	return out;
}

void lifecycle_allowed(enum envelope_state s, char *buf, size_t len)
{
	char *list = allowed_list(s, false);
	text_copy(buf, len, list ? list : "", list ? strlen(list) : 0);
	free(list);
}

int lifecycle_check(enum envelope_state from, enum event_type t, char *msg, size_t msglen)
{
	int next = lifecycle_next(from, t);
	if (next >= 0 || !msg || !msglen)
		return next;
	/* People read the step and the states in their language, never as
	 * ids inside a translated sentence.  Scripts read the ids: when no
	 * catalogue translates the sentence (the commands speak English), they
	 * follow it in brackets. */
	const char *sentence = N_("cannot %s: the envelope is %s; allowed now: %s");
	const char *fmt = _(sentence);
	char *allowed = allowed_list(from, false), *text = NULL;
	if (asprintf(&text, fmt, event_action(t), state_label(from), allowed ? allowed : "?") < 0)
		text = NULL;
	if (text && fmt == sentence) {
		char *ids = allowed_list(from, true), *all = NULL;
		if (asprintf(&all, "%s [%s: %s; %s]", text, event_name(t), state_name(from), ids ? ids : "?") >= 0) {
			free(text);
			text = all;
		}
		free(ids);
	}
	const char *say = text ? text : _("not allowed in this state");
	text_copy(msg, msglen, say, strlen(say));
	free(text);
	free(allowed);
	return next;
}

bool state_is_final(enum envelope_state s)
{
	return s == ST_COLLECTED || s == ST_HANDED_BACK || s == ST_CANCELLED;
}
