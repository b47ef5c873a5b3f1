/*
 * screen_status.c - the supervisor enters by hand what normally arrives from
 * upstream: an envelope collected from its cell (placed -> collected) or
 * cancelled by the authority after a loss act (lost -> cancelled, §24).
 * Only with a reason; the event carries it, and the lookup shows it.  Both
 * are final, so what will be recorded is shown first and F5 or the
 * envelope scanned again records it (Esc: nothing is recorded).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "amanat/i18n.h"
#include "ui_internal.h"

static struct {
	char waybill[32];
	char *reason;		/* as typed (malloc'd): shown, then recorded */
	enum event_type type;
} st;

/* Back to an empty screen: nothing shown, nothing to record. */
static void status_clear(void)
{
	free(st.reason);
	memset(&st, 0, sizeof st);
}

static void status_enter(struct ui *u)
{
	(void)u;
	status_clear();
}

static void status_record(struct ui *u);

static void status_field(struct ui *u, const char *field, const char *value)
{
	struct am_error e;
	struct envelope v;
	if (!strcmp(field, "waybill")) {
		if (store_envelope_get(u->store, value, &v, &e)) {
			ui_fail(u, "%s", e.msg);
			return;
		}
		if (v.state != ST_PLACED && v.state != ST_LOST) {
			ui_fail(u, _("%s is %s: only a placed envelope is collected, only a lost one cancelled"), value,
				state_label(v.state));
			return;
		}
		snprintf(st.waybill, sizeof st.waybill, "%s", value);
		st.type = v.state == ST_PLACED ? EV_COLLECTED : EV_CANCELLED;
		ui_set_field(u, "reason");
		return;
	}
	if (!strcmp(field, "reason")) {
		free(st.reason);
		if (!(st.reason = strdup(value))) {
			ui_fail(u, "%s", _("out of memory"));
			return;
		}
		u->scroll = 0;
		ui_set_field(u, "confirm");
		ui_note(u, "%s", _("F5 or the envelope again: record. Esc: cancel."));
		return;
	}
	if (strcmp(value, st.waybill)) {
		ui_fail(u, _("%s is not the envelope shown (%s): scan %s or press Esc"), value, st.waybill, st.waybill);
		return;
	}
	status_record(u);
}

static void status_record(struct ui *u)
{
	struct am_error e;
	struct transition t = { .type = st.type, .waybill = st.waybill, .reason = st.reason };
	struct event_ctx ctx = ui_ctx(u);
	if (store_apply(u->store, &t, &ctx, &e)) {
		ui_fail(u, "%s", e.msg);
		return;
	}
	ui_ok(u, "%s: %s", st.waybill, st.type == EV_COLLECTED ? state_label(ST_COLLECTED) : state_label(ST_CANCELLED));
	status_clear();
	ui_set_field(u, "waybill");
}

static void status_request(struct ui *u, enum ui_request r)
{
	int key = (int)r - REQ_UI__COUNT;
	if (key == KEY_DOWN || key == KEY_UP) {	/* the reason shown scrolls */
		u->scroll += key == KEY_DOWN ? 1 : -1;
		if (u->scroll < 0)
			u->scroll = 0;
		return;
	}
	if (r == REQ_UI_DONE && u->field == form_field_index(&u->def, "confirm")) {
		status_record(u);
		return;
	}
	if (r == REQ_UI_DONE) {	/* an F-key always answers: the envelope or the reason is missing */
		ui_note(u, "%s", _("first fill in what ▶ asks"));
		return;
	}
	if (r != REQ_UI_BACK)
		return;
	if (u->field > 0) {
		if (u->field == form_field_index(&u->def, "confirm"))
			ui_note(u, "%s", _("cancelled: nothing was recorded"));
		status_clear();
		ui_set_field(u, "waybill");
	} else {
		ui_go(u, "desk");
	}
}

static void status_draw(struct ui *u, int y0, int rows, int cols)
{
	if (!st.waybill[0]) {	/* an empty screen said nothing of what it does */
		ui_say(y0, 0, cols, rows, _("What the upstream normally reports, by hand: scan a placed envelope to mark it collected, a lost one to cancel it (§24); its reason is asked next"));
		return;
	}
	if (rows < 2)
		return;
	/* the envelope and the state it gets, whole: at 20 columns the state
	 * goes on a line of its own */
	char *head = NULL;
	if (asprintf(&head, "%s → %s", st.waybill,
		     st.type == EV_COLLECTED ? state_label(ST_COLLECTED) : state_label(ST_CANCELLED)) < 0)
		return;
	int y = y0 + ui_draw_wrapped(y0, 0, cols, 2, head);
	free(head);
	if (y >= y0 + rows)
		return;
	if (!st.reason) {
		ui_say(y, 0, cols, y0 + rows - y, _("by hand: the reason goes into the event"));
		return;
	}
	/* what will be recorded, whole (the arrows scroll it), before F5 or
	 * the second scan records it */
	ui_draw_scrolled(y, 0, cols, y0 + rows - y, st.reason, &u->scroll);
}

static void status_leave(struct ui *u)
{
	(void)u;
	status_clear();
}

const struct screen screen_status = {
	.name = "status", .enter = status_enter, .field = status_field, .request = status_request,
	.draw = status_draw, .leave = status_leave,
};
