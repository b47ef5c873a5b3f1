/*
 * screen_force_majeure.c - the supervisor's force majeure screen (§37-39).
 *
 * Fields in order: the start and the reason (recorded together, by a
 * second Enter: the open deadlines it suspends move at once and it cannot
 * be taken back), then the confirming document of the
 * authorised body (§38: issued by, number, date).  F2 ends the force majeure
 * going on now; F3 records the §38 notice to the responsible units, which
 * closes its clock (each pressed twice: neither can be taken back).  The body lists every force majeure from the store with
 * its notice deadline, flagged "notice late — §39" when recorded after it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "amanat/date_input.h"
#include "amanat/i18n.h"
#include "amanat/timeutil.h"
#include "screen_util.h"

/* The screen's own working state (zeroed on entry). */
struct fm_state {
	char from[32];		/* the start as typed */
	char id[64];		/* the force majeure recorded on this visit */
	/* the typed texts, whole whatever forms/force-majeure.form allows */
	char body[FORM_TEXT_SIZE];	/* the document's issuing body */
	char number[FORM_TEXT_SIZE];	/* its number */
	enum ui_request confirm;	/* END or NOTIFIED pressed once, 0: none (irreversible: a second press records) */
	bool start_asked;		/* the reason typed, the start asked: Enter again records */
	char reason[FORM_TEXT_SIZE];	/* that reason */
};

/* Record the force majeure from st->from with its reason (asked first). */
static void fm_start(struct ui *u, struct fm_state *st, const char *reason)
{
	struct am_error e;
	struct event_ctx ctx = ui_ctx(u);
	int off = u->app->rules.offset_min;
	int64_t today = (now_ms() + off * 60000LL) / 86400000LL, from = 0;
	char id[64];
	if (date_input_parse_time(st->from, today, off, &from))
		time_parse(st->from, off, &from);
	if (store_force_majeure(u->store, from, 0, reason, &ctx, id, sizeof id, &e)) {
		ui_fail(u, "%s", e.msg);
		ui_set_field(u, "from");
		return;
	}
	snprintf(st->id, sizeof st->id, "%s", id);
	if (u->cols < 40)	/* a handheld: whole in its three lines of 20 columns */
		ui_ok(u, "%s", _("force majeure recorded: F2 ends it"));
	else
		ui_ok(u, "%s", _("force majeure recorded: the deadlines it suspends stand still until F2 ends it"));
	ui_set_field(u, "body");
}

static void fm_field(struct ui *u, const char *field, const char *value)
{
	struct am_error e;
	struct event_ctx ctx = ui_ctx(u);
	struct fm_state *st = u->state;
	int off = u->app->rules.offset_min;
	int64_t from;
	int64_t today = (now_ms() + off * 60000LL) / 86400000LL;
	if (!strcmp(field, "from")) {	/* refused here, before the reason is typed */
		if (date_input_parse_time(value, today, off, &from) && time_parse(value, off, &from)) {
			ui_fail(u, "%s", _("a start is written 20.03.2026 08:00 (the arrows move the date)"));
			return;
		}
		if (store_force_majeure_check(from, 0, now_ms(), &e)) {
			ui_fail(u, "%s", e.msg);
			return;
		}
		snprintf(st->from, sizeof st->from, "%s", value);
		ui_set_field(u, "reason");
	} else if (!strcmp(field, "reason")) {
		/* it moves every open deadline at once and cannot be taken
		 * back: asked first, recorded by Enter on the emptied field */
		snprintf(st->reason, sizeof st->reason, "%s", value);
		st->start_asked = true;
		su_ask_enter(u, _("Enter again: record the force majeure from %s. Esc: cancel."), st->from);
	} else if (!strcmp(field, "body")) {
		snprintf(st->body, sizeof st->body, "%s", value);
		ui_set_field(u, "number");
	} else if (!strcmp(field, "number")) {
		snprintf(st->number, sizeof st->number, "%s", value);
		ui_set_field(u, "docdate");
	} else if (!strcmp(field, "docdate")) {
		if (!st->id[0]) {
			ui_fail(u, "%s", _("record the force majeure first: its start and reason"));
			ui_set_field(u, "from");
			return;
		}
		char iso[16];	/* typed as 21.03.2026 (input.c checked it), kept as 2026-03-21 */
		int64_t day;
		if (date_input_parse(value, today, &day, iso, sizeof iso))
			snprintf(iso, sizeof iso, "%s", value);
		if (store_force_majeure_document(u->store, st->id, st->body, st->number, iso, &ctx, &e)) {
			ui_fail(u, "%s", e.msg);
			ui_set_field(u, "body");
			return;
		}
		ui_ok(u, "%s", _("confirming document recorded (§38)"));
		ui_set_field(u, "from");
	}
}

struct pick {
	bool ongoing;		/* want one going on (else: one not yet notified) */
	char id[64];
};

static int pick_one(const struct force_majeure *f, void *arg)
{
	struct pick *p = arg;
	if ((p->ongoing && f->to_ms == 0) || (!p->ongoing && f->notified_ms == 0)) {
		snprintf(p->id, sizeof p->id, "%s", f->id);
		return 1;
	}
	return 0;
}

static void fm_request(struct ui *u, enum ui_request r)
{
	struct am_error e;
	struct event_ctx ctx = ui_ctx(u);
	struct fm_state *st = u->state;
	struct pick p = { r == REQ_UI_END, "" };
	enum ui_request armed = st->confirm;
	bool start = st->start_asked;
	st->confirm = 0;
	st->start_asked = false;
	if (start && r == REQ_UI__COUNT + '\n') {	/* Enter again: the start recorded */
		fm_start(u, st, st->reason);
		return;
	}
	if ((armed || start) && r == REQ_UI_BACK) {	/* Esc takes the question back, and only that */
		ui_note(u, "%s", _("cancelled: nothing was recorded"));
		return;
	}
	if (start && r != REQ_UI_END && r != REQ_UI_NOTIFIED) {
		/* an arrow, an F-key the screen lacks: the question on the
		 * screen stands, and Enter still records what it says */
		st->start_asked = true;
		return;
	}
	if (r != REQ_UI_END && r != REQ_UI_NOTIFIED) {
		ui_back_to_menu(u, r);
		return;
	}
	if (store_force_majeure_each(u->store, pick_one, &p, &e)) {
		ui_fail(u, "%s", e.msg);
		return;
	}
	if (!p.id[0]) {
		ui_fail(u, "%s", r == REQ_UI_END ? _("no force majeure is going on")
						 : _("every force majeure is already reported"));
		return;
	}
	if (armed != r) {	/* the end and the notice cannot be taken back: asked first */
		st->confirm = r;
		ui_note(u, "%s", r == REQ_UI_END ? _("F2 again: end the force majeure. Esc: cancel.")
						 : _("F3 again: record that the units were told (§38). Esc: cancel."));
		return;
	}
	int rc = r == REQ_UI_END
		? store_force_majeure_end(u->store, p.id, now_ms(), &ctx, &e)
		: store_force_majeure_notify(u->store, p.id, _("the responsible units (§38)"), &ctx, &e);
	if (rc) {
		ui_fail(u, "%s", e.msg);
		return;
	}
	const char *done = r == REQ_UI_END ? _("ended: the deadlines run again") : _("notice recorded (§38)");
	if (u->cols < 40)	/* a handheld: the id (wider than its 20 columns) would be cut mid-code */
		ui_ok(u, "%s", done);
	else
		ui_ok(u, "%s %s", p.id, done);
}

struct fm_draw {
	struct ui *u;
	int y, end, cols;
};

static int draw_one(const struct force_majeure *f, void *arg)
{
	struct fm_draw *d = arg;
	int off = d->u->app->rules.offset_min;
	char from[32], to[32], due[32];
	if (d->y + 3 > d->end)
		return 1;
	time_format_human(f->from_ms, off, from, sizeof from);
	if (f->to_ms)
		time_format_human(f->to_ms, off, to, sizeof to);
	else
		snprintf(to, sizeof to, "%s", _("going on"));
	time_format_human(f->notice_due_ms, off, due, sizeof due);
	/* each a line on a desk; wrapped on a handheld, where the reason and
	 * the document's body would otherwise end at "…" */
	static const int handheld_rows[3] = { 3, 2, 2 };	/* 7: a handheld's area */
	char *line[3] = { NULL, NULL, NULL };
	if (asprintf(&line[0], "%s – %s  %s", from, to, f->reason ? f->reason : "") < 0)
		line[0] = NULL;
	if (asprintf(&line[1], "§38 %s: %s%s%s", due, f->notified_ms ? _("notice given") : _("not yet given"),
		     f->notice_late ? " ⚠ " : "", f->notice_late ? _("notice late — §39") : "") < 0)
		line[1] = NULL;
	if (!(f->doc_number && *f->doc_number))
		line[2] = strdup(_("no confirming document yet (§38)"));
	else {
		/* the date as people write it (kept as 2026-03-26) */
		char shown[16];
		date_input_shown(f->doc_date, shown, sizeof shown);
		if (asprintf(&line[2], "%s № %s, %s", f->doc_body, f->doc_number, shown) < 0)
			line[2] = NULL;
	}
	for (int i = 0; i < 3; i++) {
		int most = d->cols < 40 ? handheld_rows[i] : 1;
		int room = d->end - d->y - (2 - i);	/* a row at least for each line after it */
		d->y += ui_say(d->y, 0, d->cols, room < most ? room : most, line[i] ? line[i] : "?");
		free(line[i]);
	}
	return 0;
}

static void fm_draw(struct ui *u, int y0, int rows, int cols)
{
	struct am_error e;
	struct fm_draw d = { u, y0, y0 + rows, cols };
	store_force_majeure_each(u->store, draw_one, &d, &e);
	if (d.y == y0)
		ui_say(y0, 0, cols, rows, _("no force majeure recorded"));
}

const struct screen screen_force_majeure = {
	.name = "force-majeure", .state_size = sizeof(struct fm_state), .field = fm_field, .request = fm_request, .draw = fm_draw,
};
