/*
 * short.c - texts that must fit a 20-column handheld: the short forms of
 * titles, menu items and event labels (gettext context "handheld", written
 * by translators, never cut by code), and a cut at a word with "…" for what
 * has no short form.  The long form is used wherever it fits.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include "amanat/i18n.h"
#include "ui_internal.h"

/* The titles and menu items with a short form in the catalogues. */
static const char *const with_short_form[] = {
	NC_("handheld", "Accept hand-over"), NC_("handheld", "Supervisor's desk"),
	NC_("handheld", "Returns out"), NC_("handheld", "Returns in"),
	NC_("handheld", "Hand to courier"), NC_("handheld", "Collect expired"),
	NC_("handheld", "Late delivery"), NC_("handheld", "Loss act"),
	NC_("handheld", "My route"), NC_("handheld", "At the postomat"),
	NC_("handheld", "At a postomat"), NC_("handheld", "Dead letters"),
	NC_("handheld", "Force majeure"), NC_("handheld", "Staff"),
	NC_("handheld", "Collected / cancelled by hand"), NC_("handheld", "Shift screen"),
	NC_("handheld", "From upstream: collected, cancelled"),
	NC_("handheld", "Scan a sheet code or a register"),
	NC_("handheld", "Unlock"), NC_("handheld", "New PIN"),
	/* the registers' legend: seven keys in four rows of 20 columns */
	NC_("handheld", "Return reg."), NC_("handheld", "Labels"),
	NC_("handheld", "Form a register"),
	/* a prompt whose choices must all show in its two lines */
	NC_("handheld", "Role: 1 clerk 2 courier 3 supervisor 4 sorting"),
	NULL,
};

bool ui_has_short(const char *msgid)
{
	for (int i = 0; with_short_form[i]; i++)
		if (!strcmp(with_short_form[i], msgid))
			return true;
	return false;
}

const char *ui_fit_label(const char *msgid, int room)
{
	const char *t = *msgid ? _(msgid) : "";
	if (ui_width(t) <= room)
		return t;
	return ui_has_short(msgid) ? i18n_short("handheld", msgid) : t;
}

const char *ui_event_short(enum event_type t)
{
	switch (t) {
	case EV_REGISTERED: return C_("handheld", "on a register");
	case EV_HANDED_TO_POINT: return C_("handheld", "at the point, not accepted");
	case EV_ACCEPTED: return C_("handheld", "matched");
	case EV_OUT_FOR_DELIVERY: return C_("handheld", "to the courier");
	case EV_PLACED: return C_("handheld", "placed");
	case EV_COLLECTED: return C_("handheld", "collected");
	case EV_EXPIRED_REMOVED: return C_("handheld", "removed");
	case EV_RETURNED_TO_POINT: return C_("handheld", "back at the point");
	case EV_HANDED_BACK: return C_("handheld", "handed back");
	case EV_LOST: return C_("handheld", "lost: act drawn up");
	case EV_CANCELLED: return C_("handheld", "cancelled");
	case EV_DELAYED: return C_("handheld", "new date");
	case EV_DAMAGED: return C_("handheld", "damaged");
	case EV_CELL_CHANGED: return C_("handheld", "another cell");
	case EV_SCAN_UNEXPECTED: return C_("handheld", "not on the register");
	case EV_BADGE_LOCKED: return C_("handheld", "badge locked: 5 wrong PINs");
	default: return ui_event_label(t);
	}
}

char *ui_code_line(const char *mark, const char *code, const char *label, const char *brief, int cols)
{
	char *line = NULL;
	/* the code stays whole (people find the envelope by it); then the
	 * first that fits of the label, its short form, or nothing */
	const char *what[] = { label, brief, "" };
	for (int i = 0; i < 3; i++) {
		free(line);
		if (asprintf(&line, "%s %s%s%s", mark, code, *what[i] ? " " : "", what[i]) < 0)
			return NULL;
		if (ui_width(line) <= cols)
			break;
	}
	return line;
}
