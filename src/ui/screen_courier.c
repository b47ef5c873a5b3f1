/*
 * screen_courier.c - the Kaspi courier's flows on a 20x16 handheld: the
 * route, placing at a postomat (location first: the postomat, then the
 * envelope, then the reserved cell's label), late delivery, and collecting
 * the envelopes whose storage has ended.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "amanat/date_input.h"
#include "amanat/i18n.h"
#include "amanat/lifecycle.h"
#include "amanat/postomat.h"
#include "amanat/timeutil.h"
#include "screen_util.h"

/* ---- route ------------------------------------------------------------- */

struct route {
	struct ui *u;
	int y, y_end, cols, skip;
	size_t mine;		/* envelopes on this courier */
	bool more;		/* some did not fit below */
	char last_pm[REG_FIELD_MAX];
};

static int route_line(const struct envelope *v, void *arg)
{
	struct route *r = arg;
	if (strcmp(v->courier, r->u->user.badge))
		return 0;
	r->mine++;
	if (r->y >= r->y_end) {
		r->more = true;
		return 0;
	}
	if (r->skip > 0) {
		r->skip--;
		return 0;
	}
	if (strcmp(v->postomat, r->last_pm)) {
		if (r->y + 2 > r->y_end) {	/* a postomat's name alone on the last row hid its envelope */
			r->more = true;
			return 0;
		}
		snprintf(r->last_pm, sizeof r->last_pm, "%s", v->postomat);
		char *head = NULL;
		struct postomat p;
		struct am_error e;
		bool known = store_postomat_get(r->u->store, v->postomat, &p, &e) == 0;
		attron(A_BOLD);
		if (asprintf(&head, "%s %s", v->postomat, known && r->cols >= 40 ? p.address : "") >= 0)
			ui_text(r->y++, 0, r->cols, head);
		attroff(A_BOLD);
		free(head);
		if (known && r->cols < 40 && r->y + 1 < r->y_end)	/* a handheld: the address wrapped under it */
			r->y += ui_draw_wrapped(r->y, 1, r->cols - 1, r->y_end - r->y < 3 ? 1 : 2, p.address);
	}
	char *line = NULL;
	if (asprintf(&line, " %s %s", v->waybill, v->delayed_until[0] ? "⏱" : v->reserved_cell) >= 0)
		ui_text(r->y++, 0, r->cols, line);
	free(line);
	return 0;
}

/* whether the last drawing left envelopes below: Down scrolls only then */
struct route_screen {
	bool more;
};

static void route_draw(struct ui *u, int y0, int rows, int cols)
{
	struct route_screen *rs = u->state;
	struct am_error e;
	char *progress = su_route_progress(u, NULL, false, false);	/* "Route: 2 of 5 placed" */
	if (progress && rows > 2) {	/* wrapped on a handheld, never cut: it is the count that matters */
		int n = ui_draw_wrapped(y0, 0, cols, 2, progress);
		y0 += n;
		rows -= n;
	}
	free(progress);
	/* Down scrolls by an envelope, never past the last one: a courier who
	 * pressed it once too often must not read "no envelopes on you". */
	int top = y0;
	struct route r;
	for (;;) {
		r = (struct route){ u, top, y0 + rows, cols, u->scroll, 0, false, "" };
		store_envelope_each(u->store, ST_OUT_FOR_DELIVERY, route_line, &r, &e);
		if (u->scroll == 0 || (size_t)u->scroll < r.mine)
			break;
		u->scroll = r.mine ? (int)r.mine - 1 : 0;	/* fewer now: placed elsewhere */
		su_blank(y0, y0 + rows);
	}
	if (!r.mine) {
		ui_say(y0, 0, cols, rows, _("No envelopes on you"));
		return;
	}
	rs->more = r.more;
	su_arrows(top, y0 + rows - 1, cols, u->scroll > 0, r.more);	/* more above, more below */
}

static void route_request(struct ui *u, enum ui_request r)
{
	struct route_screen *rs = u->state;
	int key = (int)r - REQ_UI__COUNT;
	if (r == REQ_UI_BACK)
		ui_go(u, "menu");
	else
		su_line_scroll(u, key, rs->more);	/* route_draw keeps it on the list */
}

const struct screen screen_route = {
	.name = "route", .state_size = sizeof(struct route_screen), .request = route_request, .draw = route_draw,
};

/* ---- at a postomat ----------------------------------------------------- */

struct place_screen {
	char postomat[REG_FIELD_MAX];
	char waybill[32];
	const char *other_cell;		/* F2/F3/F4: why another cell is taken, or NULL */
};

static const char *place_status(struct ui *u)
{
	struct place_screen *ps = u->state;
	return ps->postomat;
}

/* At a postomat, the courier moves on: a postomat's code scanned where an
 * envelope or a cell is asked for takes the screen to that postomat. */
static bool place_scan(struct ui *u, enum code_kind kind, const char *code)
{
	struct place_screen *ps = u->state;
	if (kind != CODE_POSTOMAT || u->field == 0)
		return false;
	snprintf(ps->postomat, sizeof ps->postomat, "%s", code);
	ps->waybill[0] = '\0';
	ps->other_cell = NULL;
	ui_set_field(u, "waybill");
	ui_ok(u, _("at postomat %s now"), code);
	return true;
}

struct cell_find {
	const char *id;
	int n;			/* cells on file for the postomat (up to the one found) */
	bool found;
};

static int cell_find(const struct cell *c, void *arg)
{
	struct cell_find *f = arg;
	f->n++;
	f->found = !strcmp(c->id, f->id);
	return f->found;
}

/* A cell's label that is not one of the postomat's cells on file (another
 * postomat's, a stray code): placing there would send the recipient to a
 * cell that does not exist.  A postomat with no cells on file is not judged. */
static bool cell_elsewhere(struct ui *u, const char *postomat, const char *cell)
{
	struct cell_find f = { cell, 0, false };
	struct am_error e;
	if (store_cell_each(u->store, postomat, cell_find, &f, &e))
		return false;
	return f.n > 0 && !f.found;
}

static void place_field(struct ui *u, const char *field, const char *value)
{
	struct place_screen *ps = u->state;
	struct am_error e;
	struct envelope v;
	if (!strcmp(field, "postomat")) {
		snprintf(ps->postomat, sizeof ps->postomat, "%s", value);
		ui_set_field(u, "waybill");
		return;
	}
	if (!strcmp(field, "waybill")) {
		if (store_envelope_get(u->store, value, &v, &e)) {
			ui_fail(u, "%s", e.msg);
			return;
		}
		if (v.state == ST_PLACED && v.cell[0] && !strcmp(v.postomat, ps->postomat)) {
			/* scanned again to be sure: it is there, nothing to undo */
			ui_ok(u, _("= %s is in cell %s already: nothing changed"), value, v.cell);
			return;
		}
		if (v.state != ST_OUT_FOR_DELIVERY || strcmp(v.courier, u->user.badge)) {
			ui_fail(u, _("%s is not on your route (%s)"), value, state_label(v.state));
			return;
		}
		if (strcmp(v.postomat, ps->postomat)) {
			ui_fail(u, _("wrong postomat: %s goes to %s"), value, v.postomat);
			return;
		}
		snprintf(ps->waybill, sizeof ps->waybill, "%s", value);
		ps->other_cell = NULL;
		ui_set_field(u, "cell");
		return;
	}
	/* the cell's label */
	if (store_envelope_get(u->store, ps->waybill, &v, &e)) {
		ui_fail(u, "%s", e.msg);
		return;
	}
	struct transition t = { .type = EV_PLACED, .waybill = ps->waybill, .postomat = ps->postomat,
				.cell = value };
	if (ps->other_cell) {	/* F2/F3/F4 chose another cell: a logged change */
		t.force = true;
		t.reason = ps->other_cell;
	} else if (v.reserved_cell[0] && strcmp(v.reserved_cell, value)) {
		ui_fail(u, _("WRONG CELL - scanned: %s - reserved: %s"), value, v.reserved_cell);
		return;
	}
	if (cell_elsewhere(u, ps->postomat, value)) {
		ui_fail(u, _("cell %s is not in postomat %s - scan a cell label of this postomat"), value,
			ps->postomat);
		return;
	}
	struct event_ctx ctx = ui_ctx(u);
	if (store_apply(u->store, &t, &ctx, &e)) {
		ui_fail(u, "%s", e.msg);
		return;
	}
	ui_ok(u, _("✓ placed in %s: 3 days storage"), value);
	ps->waybill[0] = '\0';
	ps->other_cell = NULL;
	ui_set_field(u, "waybill");
}

static void place_request(struct ui *u, enum ui_request r)
{
	struct place_screen *ps = u->state;
	const char *reason = r == REQ_UI_CELL_FULL ? "cell-full" : r == REQ_UI_CELL_BROKEN ? "cell-broken"
			   : r == REQ_UI_DOES_NOT_FIT ? "does-not-fit" : NULL;
	if (r == REQ_UI_BACK) {
		if (u->field > 0 && ps->postomat[0]) {
			if (ps->other_cell) {	/* "scan another free cell's label" is over */
				free(u->note);
				u->note = NULL;
				u->note_ok = false;
			}
			ps->waybill[0] = '\0';
			ps->other_cell = NULL;
			ui_set_field(u, u->field == 2 ? "waybill" : "postomat");
			if (u->field == 0)
				ps->postomat[0] = '\0';
		} else {
			ui_go(u, "menu");
		}
		return;
	}
	if (!reason)
		return;
	if (!ps->postomat[0]) {	/* no cell of any postomat is known yet */
		ui_fail(u, "%s", _("scan the postomat first"));
		return;
	}
	if (!ps->waybill[0]) {
		ui_fail(u, "%s", _("scan the envelope first"));
		return;
	}
	ps->other_cell = reason;
	ui_note(u, "%s", _("scan another free cell's label"));
}

struct free_cells {
	char *buf;
	int n;
};

static int free_cell(const struct cell *c, void *arg)
{
	struct free_cells *f = arg;
	char *more = NULL;
	if (c->status != CELL_FREE || f->n >= 40)
		return 0;
	if (asprintf(&more, "%s%s%s", f->buf ? f->buf : "", f->n ? " " : "", c->id) < 0)
		return 1;
	free(f->buf);
	f->buf = more;
	f->n++;
	return 0;
}

struct placed_lines {
	struct ui *u;
	const char *postomat;
	int y, y_end, cols;
};

/* What became of an envelope placed on this shift: its cell while it is
 * there, else its step since (a removal when storage ended is not a
 * collection: the recipient never came). */
static const char *placed_now(const struct envelope *v)
{
	switch (v->state) {
	case ST_PLACED: return v->cell[0] ? v->cell : ui_event_short(EV_PLACED);
	case ST_COLLECTED: return ui_event_short(EV_COLLECTED);
	case ST_EXPIRED_REMOVED: return ui_event_short(EV_EXPIRED_REMOVED);
	case ST_RETURNED_TO_POINT: return ui_event_short(EV_RETURNED_TO_POINT);
	case ST_HANDED_BACK: return ui_event_short(EV_HANDED_BACK);
	case ST_LOST: return ui_event_short(EV_LOST);
	case ST_CANCELLED: return ui_event_short(EV_CANCELLED);
	default: return state_label(v->state);
	}
}

/* This courier's placements at this postomat on this shift, from the log. */
static int placed_line(const struct event_row *r, void *arg)
{
	struct placed_lines *p = arg;
	struct envelope v;
	struct am_error e;
	char *line = NULL;
	if (p->y >= p->y_end)
		return 1;
	if (store_envelope_get(p->u->store, r->waybill, &v, &e) || strcmp(v.postomat, p->postomat))
		return 0;
	size_t len = strlen(r->waybill);
	/* "→ A07" while in its cell; its step since without the arrow (room for
	 * the word at 20 columns: "✓ …8737KZ шығарылды") */
	if (asprintf(&line, "✓ …%s %s%s", len > 6 ? r->waybill + len - 6 : r->waybill,
		     v.state == ST_PLACED ? "→ " : "", placed_now(&v)) >= 0)
		ui_text(p->y++, 0, p->cols, line);
	free(line);
	return 0;
}

/* Lines s takes wrapped at cols, at most max. */
static int wrapped_rows(const char *s, int cols, int max)
{
	struct wrapped w;
	int n = ui_wrap(s, cols, &w);
	ui_wrap_free(&w);
	return n < 1 ? 1 : n > max ? max : n;
}

static char *free_cells_line(struct ui *u, const char *postomat)
{
	struct free_cells f = { NULL, 0 };
	struct am_error e;
	char *line = NULL;
	store_cell_each(u->store, postomat, free_cell, &f, &e);
	if (asprintf(&line, "%s: %s", _("free"), f.n ? f.buf : "-") < 0)
		line = NULL;
	free(f.buf);
	return line;
}

/* The body's rows go first to the envelope in hand (its code, its cell and,
 * after F2/F3/F4, the free cells), then the count, then the address: a
 * two-line address or a 40x8 handheld once pushed the free cells under the
 * confirmation line and the rule into the keys. */
static void place_draw(struct ui *u, int y0, int rows, int cols)
{
	struct place_screen *ps = u->state;
	struct envelope v;
	struct postomat pm;
	struct am_error e;
	int y = y0, end = y0 + rows;
	char *line = NULL;
	if (!ps->postomat[0]) {
		ui_say(y, 0, cols, rows, _("Scan the postomat first"));
		return;
	}
	bool hand = ps->waybill[0] && store_envelope_get(u->store, ps->waybill, &v, &e) == 0;
	char *free_line = hand && ps->other_cell ? free_cells_line(u, ps->postomat) : NULL;
	int free_rows = free_line ? wrapped_rows(free_line, cols, 2) : 0;
	int hand_rows = hand ? 2 + free_rows : 0;
	/* "Envelope 2 of 5 · route 7 of 12"; a handheld: in the rule's row */
	char *progress = su_route_progress(u, ps->postomat, ps->waybill[0] != '\0', cols < 40);
	int progress_rows = progress ? (ui_text_fits(progress, cols) ? 1 : 2) : cols < 80 ? 1 : 0;
	if (rows - hand_rows < progress_rows)
		progress_rows = 0;
	/* the address whole on a handheld too (up to three lines) where there is room */
	int addr_rows = rows - hand_rows - progress_rows, addr_max = cols < 40 ? 3 : 1;
	if (addr_rows > addr_max)
		addr_rows = addr_max;
	if (addr_rows > 0)
		y += ui_say(y, 0, cols, addr_rows, store_postomat_get(u->store, ps->postomat, &pm, &e) == 0
							 ? pm.address : _("(no address on file)"));
	if (progress_rows == 1 && progress)
		ui_text(y++, 0, cols, progress);
	else if (progress_rows && progress)	/* the route's count where none of mine go here: wrapped, never cut */
		y += ui_draw_wrapped(y, 0, cols, 2, progress);
	else if (progress_rows)
		ui_hline(y++, cols);
	free(progress);
	if (hand && y < end)
		ui_text(y++, 2, cols - 2, v.waybill);
	if (hand && y < end) {
		if (asprintf(&line, "%s %s", _("cell"), v.reserved_cell[0] ? v.reserved_cell : "?") >= 0)
			ui_text(y++, 2, cols - 2, line);
		free(line);
		if (free_line && y < end)
			y += ui_draw_wrapped(y, 0, cols, end - y < 2 ? end - y : 2, free_line);
	}
	free(free_line);
	if (cols < 80 && y < end)
		ui_hline(y++, cols);
	struct placed_lines p = { u, ps->postomat, y, end, cols };
	if (y < end)
		store_recent_events(u->store, ui_ctx(u).actor, u->shift.opened_ms, EV_BIT(EV_PLACED),
				    end - y + 20, placed_line, &p, &e);
}

const struct screen screen_place = {
	.name = "place", .state_size = sizeof(struct place_screen), .field = place_field,
	.request = place_request, .draw = place_draw, .status = place_status, .scan = place_scan,
};

/* ---- late delivery ----------------------------------------------------- */

struct delay_screen {
	char waybill[32];
	char until[16];			/* the new date, YYYY-MM-DD (as stored) */
	char shown[16];			/* and as people read it, 28.11.2026 */
	bool asked;			/* the reason typed, the step asked: Enter again records */
	char reason[FORM_TEXT_SIZE];	/* that reason, whole whatever the form's max= */
};

/* Record the late delivery asked for (the recipient is told: it cannot be
 * taken back). */
static void delay_record(struct ui *u, struct delay_screen *ds)
{
	struct am_error e;
	struct transition t = { .type = EV_DELAYED, .waybill = ds->waybill, .until = ds->until, .reason = ds->reason };
	struct event_ctx ctx = ui_ctx(u);
	if (store_apply(u->store, &t, &ctx, &e)) {
		ui_fail(u, "%s", e.msg);
		ui_set_field(u, "waybill");
		return;
	}
	ui_ok(u, _("new date %s recorded: the recipient is told (§27)"), ds->shown);
	ds->waybill[0] = ds->until[0] = ds->shown[0] = ds->reason[0] = '\0';
	ui_set_field(u, "waybill");
}

static void delay_field(struct ui *u, const char *field, const char *value)
{
	struct delay_screen *ds = u->state;
	struct am_error e;
	if (!strcmp(field, "waybill")) {
		/* refused at the scan, before a date and a reason are typed for
		 * an envelope that cannot be late (placed, another courier's) */
		struct envelope v;
		char why[256];
		if (store_envelope_get(u->store, value, &v, &e)) {
			ui_fail(u, "%s", e.msg);
			return;
		}
		if (lifecycle_check(v.state, EV_DELAYED, why, sizeof why) < 0
		    || (v.state == ST_OUT_FOR_DELIVERY && strcmp(v.courier, u->user.badge))) {
			ui_fail(u, _("%s is not on your route (%s)"), value, state_label(v.state));
			return;
		}
		snprintf(ds->waybill, sizeof ds->waybill, "%s", value);
		ui_set_field(u, "until");
		return;
	}
	if (!strcmp(field, "until")) {	/* refused here, before the reason is typed */
		int64_t today = (now_ms() + u->app->rules.offset_min * 60000LL) / 86400000LL, day;
		if (date_input_parse(value, today, &day, ds->until, sizeof ds->until) || day < today) {
			ui_fail(u, _("the new delivery date %s is in the past"), value);
			ds->until[0] = '\0';
			return;
		}
		date_input_format(day, ds->shown, sizeof ds->shown);
		ui_set_field(u, "reason");
		return;
	}
	/* the recipient is told and the deadline moves: asked first, recorded
	 * by Enter on the emptied field */
	snprintf(ds->reason, sizeof ds->reason, "%s", value);
	ds->asked = true;
	su_ask_enter(u, _("Enter again: record the new date %s. Esc: cancel."), ds->shown);
}

static void delay_request(struct ui *u, enum ui_request r)
{
	struct delay_screen *ds = u->state;
	if (!ds->asked) {
		ui_back_to_menu(u, r);
	} else if (r == REQ_UI__COUNT + '\n') {	/* Enter again: recorded */
		ds->asked = false;
		delay_record(u, ds);
	} else if (r == REQ_UI_BACK) {	/* Esc takes the question back, and only that */
		ds->asked = false;
		ui_note(u, "%s", _("cancelled: nothing was recorded"));
	}
	/* another key (an arrow, an F-key the screen lacks): the question on
	 * the screen stands, and Enter still records what it says */
}

static void delay_draw(struct ui *u, int y0, int rows, int cols)
{
	struct delay_screen *ds = u->state;
	int y = y0;
	if (ds->waybill[0])
		ui_text(y++, 0, cols, ds->waybill);
	if (u->field == 2)
		ui_text(y++, 0, cols, ds->shown);
	/* an empty screen said nothing of what it is for */
	if (!ui_draw_recent(u, EV_BIT(EV_DELAYED), y, y0 + rows - y, cols) && !ds->waybill[0])
		ui_say(y, 0, cols, y0 + rows - y,
		       _("Delivery late? Scan the envelope, type the new date and the reason: the recipient is told (§27)"));
}

const struct screen screen_delay = {
	.name = "delay", .state_size = sizeof(struct delay_screen), .field = delay_field,
	.request = delay_request, .draw = delay_draw,
};

/* ---- collect expired --------------------------------------------------- */

struct expire_screen {
	char postomat[REG_FIELD_MAX];
	bool more;		/* the list went on below: Down scrolls only then */
};

static const char *expire_status(struct ui *u)
{
	struct expire_screen *xs = u->state;
	return xs->postomat;
}

struct expired {
	struct ui *u;
	const char *postomat;
	int y, y_end, cols, n, skip;
	bool more;		/* some did not fit below */
	int64_t now;
};

static int expired_line(const struct clock_row *c, void *arg)
{
	struct expired *x = arg;
	struct envelope v;
	struct am_error e;
	char *line = NULL;
	if (c->clock != CLOCK_STORAGE || c->due_ms > x->now)
		return 0;
	if (store_envelope_get(x->u->store, c->waybill, &v, &e) || strcmp(v.postomat, x->postomat))
		return 0;
	x->n++;
	if (x->skip > 0) {
		x->skip--;
		return 0;
	}
	if (x->y >= x->y_end) {
		x->more = true;
		return 0;
	}
	if (asprintf(&line, "%s %s", v.cell, v.waybill) >= 0)
		ui_text(x->y++, 0, x->cols, line);
	free(line);
	return 0;
}

static bool expire_scan(struct ui *u, enum code_kind kind, const char *code)
{
	struct expire_screen *xs = u->state;
	if (kind != CODE_POSTOMAT || u->field == 0)
		return false;
	snprintf(xs->postomat, sizeof xs->postomat, "%s", code);
	u->scroll = 0;
	ui_ok(u, _("at postomat %s now"), code);
	return true;
}

static void expire_field(struct ui *u, const char *field, const char *value)
{
	struct expire_screen *xs = u->state;
	struct am_error e;
	if (!strcmp(field, "postomat")) {
		snprintf(xs->postomat, sizeof xs->postomat, "%s", value);
		u->scroll = 0;
		ui_set_field(u, "waybill");
		return;
	}
	struct envelope v;
	if (store_envelope_get(u->store, value, &v, &e)) {
		ui_fail(u, "%s", e.msg);
		return;
	}
	if (strcmp(v.postomat, xs->postomat)) {
		ui_fail(u, _("%s is not in this postomat (%s)"), value, v.postomat);
		return;
	}
	if (v.state == ST_EXPIRED_REMOVED) {	/* scanned again to be sure */
		ui_ok(u, _("= %s out already: take it to the point"), value);
		return;
	}
	int64_t due;
	if (store_clock_due(u->store, value, CLOCK_STORAGE, &due, &e) == 0 && due > now_ms()) {
		char t[32];	/* the recipient still has time: the envelope stays */
		time_format_human(due, u->app->rules.offset_min, t, sizeof t);
		ui_fail(u, _("storage of %s ends %s - leave it in the cell: the recipient may still come"), value, t);
		return;
	}
	struct transition t = { .type = EV_EXPIRED_REMOVED, .waybill = value };
	struct event_ctx ctx = ui_ctx(u);
	if (store_apply(u->store, &t, &ctx, &e)) {
		ui_fail(u, "%s", e.msg);
		return;
	}
	ui_ok(u, "%s", _("removed: bring it to the point within 1 working day"));
}

static void expire_draw(struct ui *u, int y0, int rows, int cols)
{
	struct expire_screen *xs = u->state;
	struct am_error e;
	if (!xs->postomat[0]) {
		ui_say(y0, 0, cols, rows, _("Scan the postomat"));
		return;
	}
	/* how many first (a busy postomat has more than a handheld's rows:
	 * the count and ↓ say so, the arrows reach every one) */
	struct expired x = { u, xs->postomat, y0, y0, cols, 0, 0, false, now_ms() };
	store_clock_each(u->store, expired_line, &x, &e);
	if (u->scroll > 0 && u->scroll >= x.n)
		u->scroll = x.n > 0 ? x.n - 1 : 0;	/* fewer now: taken out */
	char *head = NULL;
	int y = y0;
	if (asprintf(&head, _("Storage ended: %d"), x.n) >= 0)
		y += ui_say(y0, 0, cols, 2, head);
	free(head);
	int top = y;
	x = (struct expired){ u, xs->postomat, y, y0 + rows, cols, 0, u->scroll, false, now_ms() };
	store_clock_each(u->store, expired_line, &x, &e);
	xs->more = x.more;
	if (x.y > top)
		su_arrows(top, x.y - 1, cols, u->scroll > 0, x.more);	/* more above, more below */
	y = x.y;
	if (!x.n)
		y += ui_say(y, 0, cols, y0 + rows - y, _("nothing to collect here"));
	ui_draw_recent(u, EV_BIT(EV_EXPIRED_REMOVED), y, y0 + rows - y, cols);
}

static void expire_request(struct ui *u, enum ui_request r)
{
	struct expire_screen *xs = u->state;
	if (r == REQ_UI_BACK)
		ui_back_to_menu(u, r);
	else
		su_line_scroll(u, (int)r - REQ_UI__COUNT, xs->more);
}

const struct screen screen_expire = {
	.name = "expire", .state_size = sizeof(struct expire_screen), .field = expire_field,
	.request = expire_request, .draw = expire_draw, .status = expire_status, .scan = expire_scan,
};
