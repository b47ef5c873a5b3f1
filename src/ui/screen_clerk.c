/*
 * screen_clerk.c - the reception-point clerk's flows: accept a hand-over
 * against its register, hand back returns against the return register (the
 * same tally), hand envelopes to a courier, take returns in, draw up a loss.
 */
#include <stdio.h>
#include <stdlib.h>
#include <jansson.h>
#include <string.h>
#include "amanat/i18n.h"
#include "amanat/timeutil.h"
#include "ui_internal.h"

/* ---- accept and hand back: a scan tally against a register ------------ */

static enum register_kind tally_kind(const struct ui *u)
{
	return u->scr == &screen_handback ? REG_RETURN : REG_INBOUND;
}

static void tally_field(struct ui *u, const char *field, const char *value)
{
	struct am_error e = { "" };
	struct register_info info;
	struct event_ctx ctx = ui_ctx(u);
	if (!strcmp(field, "register")) {
		if (store_register_get(u->store, value, &info, NULL, &e)) {
			ui_fail(u, "%s", e.msg);
			return;
		}
		if (info.kind != tally_kind(u)) {
			ui_fail(u, _("%s is a %s register: choose a %s register"), value,
				register_kind_name(info.kind), register_kind_name(tally_kind(u)));
			return;
		}
		if (info.finished_at) {
			ui_fail(u, _("register %s is already finished"), value);
			return;
		}
		snprintf(u->reg, sizeof u->reg, "%s", value);
		ui_set_field(u, "waybill");
		return;
	}
	if (!strcmp(field, "confirm")) {
		/* The State Corp courier confirms with a badge or PIN; the finish
		 * is recorded with it. */
		struct tally_summary sum;
		char act[64];
		const char *dmg[64];
		for (int i = 0; i < u->n_damaged; i++)
			dmg[i] = u->damaged[i];
		json_t *conf = json_pack("{s:s}", "confirmed_by", value);
		char *payload = conf ? json_dumps(conf, JSON_COMPACT) : NULL;
		json_decref(conf);
		if (store_tally_finish(u->store, u->reg, dmg, (size_t)u->n_damaged, &ctx, &sum,
				       act, sizeof act, &e)) {
			free(payload);
			ui_fail(u, "%s", e.msg);
			ui_set_field(u, "waybill");
			return;
		}
		if (payload)
			store_append_event(u->store, EV_NOTE, "", u->reg, payload, &ctx, &e);
		free(payload);
		snprintf(u->text, sizeof u->text, _("finished: %zu/%zu, missing %zu, unexpected %zu, damaged %zu%s%s"),
			 sum.matched, sum.expected, sum.missing, sum.unexpected, sum.damaged,
			 act[0] ? _("; act ") : "", act);
		ui_set_field(u, NULL);
		ui_ok(u, "%s", act[0] ? _("discrepancy act drawn up: print 2 copies") : _("register finished"));
		return;
	}
	/* a waybill */
	if (u->damaged_mode) {
		u->damaged_mode = false;
		for (int i = 0; i < u->n_damaged; i++)
			if (!strcmp(u->damaged[i], value)) {
				ui_fail(u, _("%s is already marked damaged"), value);
				return;
			}
		if (u->n_damaged == 64) {
			ui_fail(u, "%s", _("too many damaged envelopes in one register"));
			return;
		}
		snprintf(u->damaged[u->n_damaged++], 32, "%s", value);
		ui_log(u, "!", _("%s damaged"), value);
		ui_ok(u, _("%s marked damaged"), value);
		return;
	}
	enum scan_result res;
	char why[200];
	if (store_tally_scan(u->store, u->reg, value, &ctx, &res, why, sizeof why, &e)) {
		ui_log(u, "✗", "%s %s", value, _("refused"));
		ui_fail(u, "%s", e.msg);
		return;
	}
	char t[32];
	time_format_local(now_ms(), u->app->rules.offset_min, t, sizeof t);
	switch (res) {
	case SCAN_MATCHED: {
		struct envelope v;
		store_envelope_get(u->store, value, &v, &e);
		ui_log(u, "✓", "%s %s %s %s", t + 11, value, _("matched"), v.postomat);
		ui_ok(u, "✓ %s", value);
		break;
	}
	case SCAN_DUPLICATE:
		ui_log(u, "=", "%s %s %s", t + 11, value, _("again: counted once"));
		ui_fail(u, _("%s scanned before: counted once"), value);
		break;
	case SCAN_UNEXPECTED:
		ui_log(u, "!", "%s %s %s", t + 11, value, _("not on the register"));
		ui_fail(u, _("%s is not on this register: set it aside"), value);
		break;
	case SCAN_INVALID:
		ui_fail(u, "%s: %s", value, why);
		break;
	}
}

/* The open registers of the screen's kind, to choose from with the arrows. */
struct open_regs {
	enum register_kind kind;
	char ids[16][64];
	int n;
};

static int open_reg(const struct register_info *i, void *arg)
{
	struct open_regs *o = arg;
	if (i->kind == o->kind && !i->finished_at && o->n < 16)
		snprintf(o->ids[o->n++], sizeof o->ids[0], "%s", i->id);
	return 0;
}

static void open_registers(struct ui *u, struct open_regs *o)
{
	struct am_error e;
	o->kind = tally_kind(u);
	o->n = 0;
	store_register_each(u->store, open_reg, o, &e);
}

static void tally_request(struct ui *u, enum ui_request r)
{
	int key = (int)r - REQ_UI__COUNT;
	if (!u->reg[0] && (key == KEY_UP || key == KEY_DOWN || key == '\n')) {
		struct open_regs o;
		open_registers(u, &o);
		if (!o.n)
			return;
		if (key == KEY_UP)
			u->menu_sel = (u->menu_sel + o.n - 1) % o.n;
		else if (key == KEY_DOWN)
			u->menu_sel = (u->menu_sel + 1) % o.n;
		else
			tally_field(u, "register", o.ids[u->menu_sel % o.n]);
		return;
	}
	switch (r) {
	case REQ_UI_BACK:
		ui_go(u, "menu");
		break;
	case REQ_UI_DAMAGED:
		if (!u->reg[0])
			return;
		u->damaged_mode = true;
		snprintf(u->info, sizeof u->info, "%s", _("scan the damaged envelope"));
		break;
	case REQ_UI_REMAINING:
		u->show_remaining = !u->show_remaining;
		break;
	case REQ_UI_FINISH:
		if (!u->reg[0] || u->field < 0)
			return;
		ui_set_field(u, "confirm");
		snprintf(u->info, sizeof u->info, "%s", _("State Corp courier: scan badge to confirm"));
		break;
	default:
		break;
	}
}

struct remaining {
	char *buf;
	size_t len;
	int n;
};

static void tally_draw(struct ui *u, int y0, int rows, int cols)
{
	struct tally_summary sum;
	struct register_info info;
	struct am_error e;
	char line[200];
	int y = y0;
	if (!u->reg[0]) {
		struct open_regs o;
		ui_text(y++, 0, cols, _("Scan or type the register id, or choose:"));
		open_registers(u, &o);
		for (int i = 0; i < o.n && y < y0 + rows; i++) {
			snprintf(line, sizeof line, "%c %s", i == u->menu_sel % (o.n ? o.n : 1) ? '>' : ' ', o.ids[i]);
			ui_text(y++, 0, cols, line);
		}
		return;
	}
	if (store_register_get(u->store, u->reg, &info, NULL, &e) || store_tally_get(u->store, u->reg, &sum, &e))
		return;
	if (cols >= 80) {
		char formed[32];
		time_format_human(info.formed_at, u->app->rules.offset_min, formed, sizeof formed);
		snprintf(line, sizeof line, "%s %s · %s → %s · %s", _("register"), info.id, info.from, info.to, formed);
		ui_text(y++, 0, cols, line);
		snprintf(line, sizeof line, "  %s %zu / %zu     %s %zu     %s %zu     %s %zu",
			 _("Matched"), sum.matched, sum.expected, _("Left"), sum.missing, _("Unexpected"),
			 sum.unexpected, _("Damaged"), (size_t)u->n_damaged + sum.damaged);
		y++;
		ui_text(y++, 0, cols, line);
		y++;
	} else {
		ui_text(y++, 0, cols, info.id);
		snprintf(line, sizeof line, "✓%zu/%zu %s%zu", sum.matched, sum.expected, _("left "), sum.missing);
		ui_text(y++, 0, cols, line);
		snprintf(line, sizeof line, "!%zu %s%d", sum.unexpected, _("dmg "), u->n_damaged);
		ui_text(y++, 0, cols, line);
	}
	if (u->text[0]) {
		ui_text(y++, 0, cols, u->text);
	}
	if (u->show_remaining) {
		struct reg r;
		if (store_register_get(u->store, u->reg, NULL, &r, &e) == 0) {
			ui_text(y++, 0, cols, _("Not scanned yet:"));
			for (size_t i = 0; i < r.n_lines && y < y0 + rows; i++) {
				struct envelope v;
				if (store_envelope_get(u->store, r.lines[i].waybill, &v, &e) == 0
				    && (v.state == ST_REGISTERED || (tally_kind(u) == REG_RETURN && v.state == ST_RETURNED_TO_POINT)))
					ui_text(y++, 2, cols - 2, r.lines[i].waybill);
			}
			register_free(&r);
		}
		return;
	}
	if (cols >= 80)
		ui_text(y++, 0, cols, _("Last scans"));
	ui_draw_log(u, y, y0 + rows - y, cols);
}

const struct screen screen_accept = {
	.name = "accept", .field = tally_field, .request = tally_request, .draw = tally_draw,
};
const struct screen screen_handback = {
	.name = "handback", .field = tally_field, .request = tally_request, .draw = tally_draw,
};

/* ---- hand to courier --------------------------------------------------- */

static void handover_field(struct ui *u, const char *field, const char *value)
{
	struct am_error e;
	if (!strcmp(field, "courier")) {
		struct staff st;
		if (store_staff_get(u->store, value, &st, &e) || st.role != ROLE_COURIER) {
			ui_fail(u, _("%s is not a courier's badge"), value);
			return;
		}
		snprintf(u->courier, sizeof u->courier, "%s", value);
		snprintf(u->text, sizeof u->text, "%s", st.name);
		ui_set_field(u, "waybill");
		return;
	}
	struct transition t = { .type = EV_OUT_FOR_DELIVERY, .waybill = value, .courier = u->courier };
	struct event_ctx ctx = ui_ctx(u);
	if (store_apply(u->store, &t, &ctx, &e)) {
		ui_fail(u, "%s", e.msg);
		return;
	}
	struct envelope v;
	store_envelope_get(u->store, value, &v, &e);
	ui_log(u, "✓", "%s → %s", value, v.postomat);
	ui_ok(u, "✓ %s → %s", value, v.postomat);
}

struct route_ctx {
	const char *courier;
	int y, y_end, cols;
	char last_pm[64];
	int n;
	const struct ui *u;
};

static int route_line(const struct envelope *v, void *arg)
{
	struct route_ctx *r = arg;
	if (strcmp(v->courier, r->courier))
		return 0;
	r->n++;
	if (r->y >= r->y_end)
		return 0;
	if (strcmp(v->postomat, r->last_pm)) {
		snprintf(r->last_pm, sizeof r->last_pm, "%s", v->postomat);
		char head[160];
		snprintf(head, sizeof head, "%s %s", v->postomat, v->city);
		ui_text(r->y++, 0, r->cols, head);
		if (r->y >= r->y_end)
			return 0;
	}
	char line[96];
	snprintf(line, sizeof line, "  %s%s%s", v->waybill, v->reserved_cell[0] ? " " : "", v->reserved_cell);
	ui_text(r->y++, 0, r->cols, line);
	return 0;
}

static void handover_draw(struct ui *u, int y0, int rows, int cols)
{
	struct am_error e;
	if (!u->courier[0]) {
		ui_text(y0, 0, cols, _("Scan the courier's badge"));
		return;
	}
	char head[160];
	snprintf(head, sizeof head, "%s: %s", _("Courier"), u->text);
	ui_text(y0, 0, cols, head);
	struct route_ctx r = { u->courier, y0 + 1, y0 + rows, cols, "", 0, u };
	store_envelope_each(u->store, ST_OUT_FOR_DELIVERY, route_line, &r, &e);
}

const struct screen screen_handover = {
	.name = "handover", .field = handover_field, .request = ui_back_to_menu, .draw = handover_draw,
};

/* ---- returns in -------------------------------------------------------- */

static void returns_field(struct ui *u, const char *field, const char *value)
{
	struct am_error e;
	struct transition t = { .type = EV_RETURNED_TO_POINT, .waybill = value };
	struct event_ctx ctx = ui_ctx(u);
	(void)field;
	if (store_apply(u->store, &t, &ctx, &e)) {
		ui_fail(u, "%s", e.msg);
		return;
	}
	ui_log(u, "✓", "%s %s", value, _("back at the point"));
	ui_ok(u, "✓ %s", value);
}

static void log_draw(struct ui *u, int y0, int rows, int cols)
{
	ui_draw_log(u, y0, rows, cols);
}

const struct screen screen_returns_in = {
	.name = "returns-in", .field = returns_field, .request = ui_back_to_menu, .draw = log_draw,
};

/* ---- loss act ---------------------------------------------------------- */

static void loss_field(struct ui *u, const char *field, const char *value)
{
	struct am_error e;
	if (!strcmp(field, "waybill")) {
		ui_take_envelope(u, value, "reason");
		return;
	}
	struct transition t = { .type = EV_LOST, .waybill = u->waybill, .reason = value };
	struct event_ctx ctx = ui_ctx(u);
	if (store_apply(u->store, &t, &ctx, &e)) {
		ui_fail(u, "%s", e.msg);
		ui_set_field(u, "waybill");
		return;
	}
	ui_log(u, "!", "%s %s", u->waybill, _("lost: act drawn up, 2 copies"));
	ui_ok(u, "%s", _("loss act drawn up: print 2 copies (§24)"));
	u->waybill[0] = '\0';
	ui_set_field(u, "waybill");
}

static void loss_draw(struct ui *u, int y0, int rows, int cols)
{
	if (u->waybill[0]) {
		ui_text(y0, 0, cols, u->waybill);
		ui_text(y0 + 1, 0, cols, _("reason and circumstances:"));
		return;
	}
	log_draw(u, y0, rows, cols);
}

const struct screen screen_loss = {
	.name = "loss", .field = loss_field, .request = ui_back_to_menu, .draw = loss_draw,
};
