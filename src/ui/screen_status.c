/*
 * screen_status.c - the supervisor enters by hand what normally arrives from
 * upstream: an envelope collected from its cell (placed -> collected) or
 * cancelled by the authority after a loss act (lost -> cancelled, §24).
 * Only with a reason; the event carries it, and the lookup shows it.  Both
 * are final, so what will be recorded is shown first and F5 or the
 * envelope scanned again records it (Esc: nothing is recorded).
 */
#include <stdio.h>
#include <string.h>
#include "amanat/i18n.h"
#include "ui_internal.h"

static struct {
	char waybill[32];
	char reason[640];	/* the form's 150 characters, in UTF-8 */
	enum event_type type;
} st;

static void status_enter(struct ui *u)
{
	(void)u;
	memset(&st, 0, sizeof st);
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
		snprintf(st.reason, sizeof st.reason, "%s", value);
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
	st.waybill[0] = st.reason[0] = '\0';
	ui_set_field(u, "waybill");
}

static void status_request(struct ui *u, enum ui_request r)
{
	if (r == REQ_UI_DONE && u->field == form_field_index(&u->def, "confirm")) {
		status_record(u);
		return;
	}
	if (r != REQ_UI_BACK)
		return;
	if (u->field > 0) {
		if (u->field == form_field_index(&u->def, "confirm"))
			ui_note(u, "%s", _("cancelled: nothing was recorded"));
		st.waybill[0] = st.reason[0] = '\0';
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
	ui_textf(y0, 0, cols, "%s → %s", st.waybill, st.type == EV_COLLECTED ? state_label(ST_COLLECTED) : state_label(ST_CANCELLED));
	if (!st.reason[0]) {
		ui_say(y0 + 1, 0, cols, rows - 1, _("by hand: the reason goes into the event"));
		return;
	}
	/* what will be recorded, before F5 or the second scan records it */
	ui_say(y0 + 1, 0, cols, rows - 1, st.reason);
	(void)u;
}

const struct screen screen_status = {
	.name = "status", .enter = status_enter, .field = status_field, .request = status_request,
	.draw = status_draw,
};
