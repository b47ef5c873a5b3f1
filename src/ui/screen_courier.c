/*
 * screen_courier.c - the Kaspi courier's flows on a 20x16 handheld: the
 * route, placing at a postomat (location first: the postomat, then the
 * envelope, then the reserved cell's label), late delivery, and collecting
 * the envelopes whose storage has ended.
 */
#include <stdio.h>
#include <string.h>
#include "amanat/i18n.h"
#include "amanat/postomat.h"
#include "amanat/timeutil.h"
#include "ui_internal.h"

/* ---- route ------------------------------------------------------------- */

struct route {
	struct ui *u;
	int y, y_end, cols, skip;
	char last_pm[64];
};

static int route_line(const struct envelope *v, void *arg)
{
	struct route *r = arg;
	if (strcmp(v->courier, r->u->user.badge) || r->y >= r->y_end)
		return 0;
	if (r->skip > 0) {
		r->skip--;
		return 0;
	}
	if (strcmp(v->postomat, r->last_pm)) {
		snprintf(r->last_pm, sizeof r->last_pm, "%s", v->postomat);
		char head[200];
		struct postomat p;
		struct am_error e;
		if (store_postomat_get(r->u->store, v->postomat, &p, &e) == 0 && r->cols >= 40)
			snprintf(head, sizeof head, "%s %s", p.id, p.address);
		else
			snprintf(head, sizeof head, "%s", v->postomat);
		attron(A_BOLD);
		ui_text(r->y++, 0, r->cols, head);
		attroff(A_BOLD);
		if (r->y >= r->y_end)
			return 0;
	}
	char line[120];
	snprintf(line, sizeof line, " %s %s", v->waybill, v->delayed_until[0] ? "⏱" : v->reserved_cell);
	ui_text(r->y++, 0, r->cols, line);
	return 0;
}

static void route_draw(struct ui *u, int y0, int rows, int cols)
{
	struct am_error e;
	struct route r = { u, y0, y0 + rows, cols, u->scroll, "" };
	store_envelope_each(u->store, ST_OUT_FOR_DELIVERY, route_line, &r, &e);
	if (r.y == y0)
		ui_text(y0, 0, cols, _("No envelopes on you"));
}

static void route_request(struct ui *u, enum ui_request r)
{
	int key = (int)r - REQ_UI__COUNT;
	if (r == REQ_UI_BACK)
		ui_go(u, "menu");
	else if (key == KEY_DOWN)
		u->scroll++;
	else if (key == KEY_UP && u->scroll > 0)
		u->scroll--;
}

const struct screen screen_route = {
	.name = "route", .request = route_request, .draw = route_draw,
};

/* ---- at a postomat ----------------------------------------------------- */

static void place_field(struct ui *u, const char *field, const char *value)
{
	struct am_error e;
	struct envelope v;
	if (!strcmp(field, "postomat")) {
		struct postomat p;
		if (store_postomat_get(u->store, value, &p, &e) != 0) {
			/* an unknown postomat is still a place: the envelope's own
			 * postomat id decides, but warn the courier */
			snprintf(u->text, sizeof u->text, "%s", _("(no address on file)"));
		} else {
			snprintf(u->text, sizeof u->text, "%s", p.address);
		}
		snprintf(u->postomat, sizeof u->postomat, "%s", value);
		ui_set_field(u, "waybill");
		return;
	}
	if (!strcmp(field, "waybill")) {
		if (store_envelope_get(u->store, value, &v, &e)) {
			ui_fail(u, "%s", e.msg);
			return;
		}
		if (v.state != ST_OUT_FOR_DELIVERY || strcmp(v.courier, u->user.badge)) {
			ui_fail(u, _("%s is not on your route (%s)"), value, state_label(v.state));
			return;
		}
		if (strcmp(v.postomat, u->postomat)) {
			ui_fail(u, _("wrong postomat: %s goes to %s"), value, v.postomat);
			return;
		}
		snprintf(u->waybill, sizeof u->waybill, "%s", value);
		u->courier[0] = '\0';	/* the other cell chosen, if any */
		ui_set_field(u, "cell");
		return;
	}
	/* the cell's label */
	if (store_envelope_get(u->store, u->waybill, &v, &e)) {
		ui_fail(u, "%s", e.msg);
		return;
	}
	struct transition t = { .type = EV_PLACED, .waybill = u->waybill, .postomat = u->postomat,
				.cell = value };
	if (u->courier[0]) {	/* F2/F3/F4 chose another cell: a logged change */
		t.force = true;
		t.reason = u->courier;
	} else if (v.reserved_cell[0] && strcmp(v.reserved_cell, value)) {
		ui_fail(u, _("WRONG CELL - scanned: %s - reserved: %s"), value, v.reserved_cell);
		return;
	}
	struct event_ctx ctx = ui_ctx(u);
	if (store_apply(u->store, &t, &ctx, &e)) {
		ui_fail(u, "%s", e.msg);
		return;
	}
	ui_log(u, "✓", "…%s → %s", u->waybill + 5, value);
	ui_ok(u, _("✓ placed in %s: 3 days storage"), value);
	u->waybill[0] = u->courier[0] = '\0';
	ui_set_field(u, "waybill");
}

static void place_request(struct ui *u, enum ui_request r)
{
	const char *reason = r == REQ_UI_CELL_FULL ? "cell-full" : r == REQ_UI_CELL_BROKEN ? "cell-broken"
			   : r == REQ_UI_DOES_NOT_FIT ? "does-not-fit" : NULL;
	if (r == REQ_UI_BACK) {
		if (u->field > 0 && u->postomat[0]) {
			u->waybill[0] = '\0';
			ui_set_field(u, u->field == 2 ? "waybill" : "postomat");
			if (u->field == 0)
				u->postomat[0] = '\0';
		} else {
			ui_go(u, "menu");
		}
		return;
	}
	if (!reason)
		return;
	if (!u->waybill[0]) {
		ui_fail(u, "%s", _("scan the envelope first"));
		return;
	}
	snprintf(u->courier, sizeof u->courier, "%s", reason);
	snprintf(u->info, sizeof u->info, "%s", _("scan another free cell's label"));
}

struct free_cells {
	char buf[120];
	int n;
};

static int free_cell(const struct cell *c, void *arg)
{
	struct free_cells *f = arg;
	if (c->status != CELL_FREE)
		return 0;
	size_t len = strlen(f->buf);
	if (len + strlen(c->id) + 2 < sizeof f->buf)
		snprintf(f->buf + len, sizeof f->buf - len, "%s%s", f->n++ ? " " : "", c->id);
	return 0;
}

static void place_draw(struct ui *u, int y0, int rows, int cols)
{
	struct envelope v;
	struct am_error e;
	int y = y0;
	char line[160];
	(void)rows;
	if (!u->postomat[0]) {
		ui_text(y, 0, cols, _("Scan the postomat first"));
		return;
	}
	ui_text(y++, 0, cols, u->text);
	if (cols < 80)
		ui_hline(y++, cols);
	if (u->waybill[0] && store_envelope_get(u->store, u->waybill, &v, &e) == 0) {
		ui_text(y++, 2, cols - 2, v.waybill);
		snprintf(line, sizeof line, "%s %s", _("cell"), v.reserved_cell[0] ? v.reserved_cell : "?");
		ui_text(y++, 2, cols - 2, line);
		if (u->courier[0]) {
			struct free_cells f = { "", 0 };
			store_cell_each(u->store, u->postomat, free_cell, &f, &e);
			snprintf(line, sizeof line, "%s: %s", _("free"), f.n ? f.buf : "-");
			ui_text(y++, 0, cols, line);
		}
	}
	if (cols < 80)
		ui_hline(y++, cols);
	ui_draw_log(u, y, 3, cols);
}

const struct screen screen_place = {
	.name = "place", .field = place_field, .request = place_request, .draw = place_draw,
};

/* ---- late delivery ----------------------------------------------------- */

static void delay_field(struct ui *u, const char *field, const char *value)
{
	struct am_error e;
	if (!strcmp(field, "waybill")) {
		ui_take_envelope(u, value, "until");
		return;
	}
	if (!strcmp(field, "until")) {
		snprintf(u->postomat, sizeof u->postomat, "%s", value);	/* the new date */
		ui_set_field(u, "reason");
		return;
	}
	struct transition t = { .type = EV_DELAYED, .waybill = u->waybill, .until = u->postomat, .reason = value };
	struct event_ctx ctx = ui_ctx(u);
	if (store_apply(u->store, &t, &ctx, &e)) {
		ui_fail(u, "%s", e.msg);
		ui_set_field(u, "waybill");
		return;
	}
	ui_log(u, "✓", "%s → %s", u->waybill, u->postomat);
	ui_ok(u, "%s", _("new date recorded: the recipient is told (§27)"));
	u->waybill[0] = u->postomat[0] = '\0';
	ui_set_field(u, "waybill");
}

static void delay_draw(struct ui *u, int y0, int rows, int cols)
{
	int y = y0;
	if (u->waybill[0])
		ui_text(y++, 0, cols, u->waybill);
	if (u->field == 2)
		ui_text(y++, 0, cols, u->postomat);
	ui_draw_log(u, y, y0 + rows - y, cols);
}

const struct screen screen_delay = {
	.name = "delay", .field = delay_field, .request = ui_back_to_menu, .draw = delay_draw,
};

/* ---- collect expired --------------------------------------------------- */

struct expired {
	struct ui *u;
	int y, y_end, cols, n;
	int64_t now;
};

static int expired_line(const struct clock_row *c, void *arg)
{
	struct expired *x = arg;
	struct envelope v;
	struct am_error e;
	if (c->clock != CLOCK_STORAGE || c->due_ms > x->now)
		return 0;
	if (store_envelope_get(x->u->store, c->waybill, &v, &e) || strcmp(v.postomat, x->u->postomat))
		return 0;
	x->n++;
	if (x->y < x->y_end) {
		char line[96];
		snprintf(line, sizeof line, "%s %s", v.cell, v.waybill);
		ui_text(x->y++, 0, x->cols, line);
	}
	return 0;
}

static void expire_field(struct ui *u, const char *field, const char *value)
{
	struct am_error e;
	if (!strcmp(field, "postomat")) {
		snprintf(u->postomat, sizeof u->postomat, "%s", value);
		ui_set_field(u, "waybill");
		return;
	}
	struct envelope v;
	if (store_envelope_get(u->store, value, &v, &e)) {
		ui_fail(u, "%s", e.msg);
		return;
	}
	if (strcmp(v.postomat, u->postomat)) {
		ui_fail(u, _("%s is not in this postomat (%s)"), value, v.postomat);
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
	ui_log(u, "✓", "%s %s", value, _("removed"));
	ui_ok(u, "%s", _("removed: bring it to the point within 1 working day"));
}

static void expire_draw(struct ui *u, int y0, int rows, int cols)
{
	struct am_error e;
	if (!u->postomat[0]) {
		ui_text(y0, 0, cols, _("Scan the postomat"));
		return;
	}
	ui_text(y0, 0, cols, _("Storage ended:"));
	struct expired x = { u, y0 + 1, y0 + rows, cols, 0, now_ms() };
	store_clock_each(u->store, expired_line, &x, &e);
	if (!x.n)
		ui_text(y0 + 1, 0, cols, _("nothing to collect here"));
}

const struct screen screen_expire = {
	.name = "expire", .field = expire_field, .request = ui_back_to_menu, .draw = expire_draw,
};
