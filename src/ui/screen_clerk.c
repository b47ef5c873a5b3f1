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
#include "screen_print.h"
#include "screen_util.h"
#include "ui_internal.h"

/* ---- accept and hand back: a scan tally against a register ------------ */

/* The tally screen's own state; every count and line it shows is read from
 * the store (matched, unexpected and damaged scans are recorded as they
 * happen), so leaving and coming back shows the same tally. */
struct tally_screen {
	char reg[REG_ID_MAX];
	bool damaged_mode;		/* F2: the next scan is a damaged envelope */
	bool show_remaining;
	long first;			/* F7's list: the first line shown */
	size_t page;			/* and how many fit, from the last draw */
};

static enum register_kind tally_kind(const struct ui *u)
{
	return u->scr == &screen_handback ? REG_RETURN : REG_INBOUND;
}

static void mark_damaged_now(struct ui *u, struct tally_screen *ts, const char *value)
{
	struct am_error e = { "" };
	struct event_ctx ctx = ui_ctx(u);
	ts->damaged_mode = false;
	if (store_tally_damaged(u->store, ts->reg, value, &ctx, &e)) {
		ui_fail(u, "%s", e.msg);
		return;
	}
	ui_ok(u, _("%s marked damaged"), value);
}

static void tally_field(struct ui *u, const char *field, const char *value)
{
	struct tally_screen *ts = u->state;
	struct am_error e = { "" };
	struct register_info info;
	struct event_ctx ctx = ui_ctx(u);
	if (!strcmp(field, "register")) {
		int rc = store_register_get(u->store, value, &info, NULL, &e);
		if (rc == AM_REFUSED) {	/* the store's words name the CLI: here, where the UI loads it */
			ui_fail(u, _("no register %s here: load it first in Registers (scan its sheet's codes, or its file from the inbox)"),
				value);
			return;
		}
		if (rc) {
			ui_fail(u, "%s", e.msg);
			return;
		}
		if (info.kind != tally_kind(u)) {
			ui_fail(u, _("%s is a %s register: choose a %s register"), value,
				_(register_kind_name(info.kind)), _(register_kind_name(tally_kind(u))));
			return;
		}
		if (info.finished_at) {
			ui_fail(u, _("register %s is already finished"), value);
			return;
		}
		snprintf(ts->reg, sizeof ts->reg, "%s", value);
		ui_set_field(u, "waybill");
		free(u->note);	/* "scan the register first" is done with */
		u->note = NULL;
		u->note_ok = false;
		return;
	}
	if (!strcmp(field, "confirm")) {
		/* The State Corp courier confirms with a badge or PIN; the finish
		 * is recorded with it.  Damaged marks are in the store already. */
		struct tally_summary sum;
		char act[64];
		json_t *conf = json_pack("{s:s}", "confirmed_by", value);
		char *payload = conf ? json_dumps(conf, JSON_COMPACT) : NULL;
		json_decref(conf);
		if (store_tally_finish(u->store, ts->reg, NULL, 0, &ctx, &sum, act, sizeof act, &e)) {
			free(payload);
			ui_fail(u, "%s", e.msg);
			ui_set_field(u, "waybill");
			return;
		}
		if (payload)
			store_append_event(u->store, EV_NOTE, "", ts->reg, payload, &ctx, &e);
		free(payload);
		ui_set_field(u, NULL);
		ui_ok(u, "%s", act[0] ? _("discrepancy act drawn up: print 2 copies") : _("register finished"));
		return;
	}
	/* a waybill */
	if (ts->damaged_mode) {
		mark_damaged_now(u, ts, value);
		return;
	}
	enum scan_result res;
	if (store_tally_scan(u->store, ts->reg, value, &ctx, &res, NULL, 0, &e)) {
		ui_fail(u, "%s", e.msg);
		return;
	}
	switch (res) {
	case SCAN_MATCHED:
		ui_ok(u, "✓ %s", value);
		break;
	case SCAN_DUPLICATE:
		ui_fail(u, _("%s scanned before: counted once"), value);
		break;
	case SCAN_UNEXPECTED:
		ui_fail(u, _("%s is not on this register: set it aside"), value);
		break;
	case SCAN_INVALID: {	/* nothing was written; the reason, whole */
		char *why = ui_waybill_problem(u, value);
		ui_fail(u, "%s: %s", value, why ? why : _("not a valid waybill"));
		free(why);
		break;
	}
	}
}

/* The open registers of the screen's kind, to choose from with the arrows
 * (all of them: the list had room for 16). */
struct open_regs {
	enum register_kind kind;
	char (*ids)[REG_ID_MAX];	/* register ids: codes checked at import, never longer */
	int n, cap;
};

static int open_reg(const struct register_info *i, void *arg)
{
	struct open_regs *o = arg;
	if (i->kind != o->kind || i->finished_at)
		return 0;
	if (o->n == o->cap) {
		int cap = o->cap ? o->cap * 2 : 16;
		char (*grown)[REG_ID_MAX] = realloc(o->ids, (size_t)cap * sizeof *grown);
		if (!grown)
			return 1;	/* out of memory: the ones read so far */
		o->ids = grown;
		o->cap = cap;
	}
	snprintf(o->ids[o->n++], sizeof o->ids[0], "%s", i->id);
	return 0;
}

static void open_registers(struct ui *u, struct open_regs *o)
{
	struct am_error e;
	memset(o, 0, sizeof *o);
	o->kind = tally_kind(u);
	store_register_each(u->store, open_reg, o, &e);
}

static void open_registers_free(struct open_regs *o)
{
	free(o->ids);
	memset(o, 0, sizeof *o);
}

static void tally_request(struct ui *u, enum ui_request r)
{
	struct tally_screen *ts = u->state;
	int key = (int)r - REQ_UI__COUNT;
	if (!ts->reg[0] && (key == KEY_UP || key == KEY_DOWN || key == '\n')) {
		struct open_regs o;
		open_registers(u, &o);
		if (o.n && key == KEY_UP)
			u->menu_sel = (u->menu_sel + o.n - 1) % o.n;
		else if (o.n && key == KEY_DOWN)
			u->menu_sel = (u->menu_sel + 1) % o.n;
		else if (o.n) {
			char id[REG_ID_MAX];
			snprintf(id, sizeof id, "%s", o.ids[u->menu_sel % o.n]);
			open_registers_free(&o);
			tally_field(u, "register", id);
		}
		open_registers_free(&o);
		return;
	}
	if (ts->reg[0] && ts->show_remaining && su_scroll(key, &ts->first, ts->page))
		return;		/* clamped at the draw, which knows the count */
	if (!ts->reg[0] && (r == REQ_UI_DAMAGED || r == REQ_UI_REMAINING || r == REQ_UI_FINISH)) {
		ui_note(u, "%s", _("scan the register first"));	/* an F-key always answers */
		return;
	}
	switch (r) {
	case REQ_UI_BACK:
		if (u->field == form_field_index(&u->def, "confirm")) {
			/* the courier's badge not given: the finish is taken
			 * back, a step, not the whole screen */
			ui_set_field(u, "waybill");
			ui_note(u, "%s", _("not finished: go on scanning"));
			break;
		}
		ui_go(u, "menu");
		break;
	case REQ_UI_DAMAGED:
		if (!ts->reg[0] || u->field < 0)
			return;
		ts->damaged_mode = true;
		ui_set_field(u, "waybill");
		ui_note(u, "%s", _("scan the damaged envelope"));
		break;
	case REQ_UI_REMAINING:
		ts->show_remaining = !ts->show_remaining;
		ts->first = 0;
		if (ts->show_remaining && u->note && !ts->damaged_mode) {
			free(u->note);	/* the list is what is asked for now: the last line gives it the rows */
			u->note = NULL;
			u->note_ok = false;
		}
		break;
	case REQ_UI_FINISH:
		if (!ts->reg[0] || u->field < 0)
			return;
		ts->damaged_mode = false;
		ui_set_field(u, "confirm");
		ui_note(u, "%s", _("State Corp courier: scan badge to confirm"));
		break;
	default:
		break;
	}
}

struct scan_lines {
	struct ui *u;
	int y, y_end, cols;
};

static int missing_line(const char *waybill, void *arg)
{
	struct scan_lines *l = arg;
	ui_text(l->y++, 2, l->cols - 2, waybill);
	return l->y >= l->y_end;
}

/* F7: the waybills not scanned yet, as the act would list them, a page at a
 * time (arrows and PgUp/PgDn), with where the page is when they do not all
 * fit: a clerk never takes the first lines for the whole list. */
static void draw_missing(struct ui *u, struct tally_screen *ts, const struct tally_summary *sum,
			 int y, int end, int cols)
{
	struct am_error e;
	char pos[64];
	if (y >= end)
		return;
	if (!sum->missing) {
		ui_say(y, 0, cols, end - y, _("Every envelope on the register is scanned"));
		return;
	}
	const char *head = _("Not scanned yet:");
	if (end - y < 2) {	/* one row: a waybill rather than a heading over nothing */
		struct scan_lines one = { u, y, end, cols - 1 };
		ts->page = 1;
		ts->first = (long)su_clamp(ts->first, sum->missing, 1);
		store_tally_missing(u->store, ts->reg, (size_t)ts->first, missing_line, &one, &e);
		su_arrows(y, y, cols, ts->first > 0, (size_t)ts->first + 1 < sum->missing);
		return;
	}
	ts->page = (size_t)(end - y - 1);
	ts->first = (long)su_clamp(ts->first, sum->missing, ts->page);
	su_position((size_t)ts->first, ts->page, sum->missing, pos, sizeof pos);
	if (!pos[0]) {
		ui_text(y, 0, cols, head);
	} else if (ui_width(head) + 1 + ui_width(pos) <= cols) {
		ui_text(y, 0, cols, head);	/* where the page is, beside it */
		su_right(y, 0, cols, pos);
	} else {
		ui_textf(y, 0, cols, _("Left %s"), pos);	/* a handheld: the page is what matters */
	}
	struct scan_lines l = { u, y + 1, y + 1 + (int)ts->page, cols };
	if (l.y < end)
		store_tally_missing(u->store, ts->reg, (size_t)ts->first, missing_line, &l, &e);
}

static int scan_line(const struct tally_scan_row *r, void *arg)
{
	struct scan_lines *l = arg;
	struct envelope v;
	struct am_error e;
	char t[32], *line = NULL;
	const char *mark = r->result == TALLY_MATCHED ? "✓" : "!";
	const char *what = r->result == TALLY_MATCHED ? _("matched")
			 : r->result == TALLY_DAMAGED ? _("damaged") : _("not on the register");
	if (l->y >= l->y_end)
		return 1;
	time_format_local(r->at_ms, l->u->app->rules.offset_min, t, sizeof t);
	if (l->cols >= 80) {
		bool known = r->result == TALLY_MATCHED && store_envelope_get(l->u->store, r->code, &v, &e) == 0;
		if (asprintf(&line, "%s %s  %s  %-20s %s", mark, t + 11, r->code, what, known ? v.postomat : "") < 0)
			line = NULL;
	} else {	/* a handheld: the ✓ says matched; the rest fit their line */
		enum event_type ev = r->result == TALLY_DAMAGED ? EV_DAMAGED : EV_SCAN_UNEXPECTED;
		bool matched = r->result == TALLY_MATCHED;
		line = ui_code_line(mark, r->code, matched ? "" : what, matched ? "" : ui_event_short(ev), l->cols);
	}
	if (line)
		ui_text(l->y++, 0, l->cols, line);
	free(line);
	return 0;
}

static void tally_draw(struct ui *u, int y0, int rows, int cols)
{
	struct tally_screen *ts = u->state;
	struct tally_summary sum;
	struct register_info info;
	struct am_error e;
	char *line = NULL;
	int y = y0;
	if (!ts->reg[0]) {
		struct open_regs o;
		open_registers(u, &o);
		if (!o.n) {	/* nothing to choose: where one comes from */
			ui_say(y, 0, cols, rows, tally_kind(u) == REG_RETURN ? _("No open return register: form one in Registers (F4)")
									 : _("No open register to accept against: load one in Registers (F2 the inbox, F6 upstream), or scan its id"));
			return;
		}
		y += ui_say(y, 0, cols, rows > 6 ? 3 : 1, _("Scan or type the register id, or choose:"));
		/* the chosen one always in view (the list was cut at the screen's
		 * end while the arrows went on to registers no one could see),
		 * with ↑/↓ where more are above or below */
		int shown = y0 + rows - y, sel = u->menu_sel % o.n, top = y;
		int first = shown > 0 && sel >= shown ? sel - shown + 1 : 0;
		for (int i = first; i < o.n && y < y0 + rows; i++) {
			if (asprintf(&line, "%c %s", i == sel ? '>' : ' ', o.ids[i]) >= 0) {
				ui_text(y++, 0, cols - (o.n > shown ? 1 : 0), line);
				free(line);
			}
		}
		if (shown > 0 && o.n > shown)
			su_arrows(top, top + shown - 1, cols, first > 0, first + shown < o.n);
		open_registers_free(&o);
		return;
	}
	if (store_register_get(u->store, ts->reg, &info, NULL, &e) || store_tally_get(u->store, ts->reg, &sum, &e))
		return;
	if (cols >= 80) {
		char formed[32];
		time_format_human(info.formed_at, u->app->rules.offset_min, formed, sizeof formed);
		if (asprintf(&line, "%s %s · %s → %s · %s", _("register"), info.id, info.from, info.to, formed) >= 0)
			ui_text(y++, 0, cols, line);
		free(line);
		if (asprintf(&line, "  %s %zu / %zu     %s %zu     %s %zu     %s %zu",
			     _("Matched"), sum.matched, sum.expected, _("Left"), sum.missing, _("Unexpected"),
			     sum.unexpected, _("Damaged"), sum.damaged) < 0)
			line = NULL;
		y++;
		if (line)
			ui_text(y++, 0, cols, line);
		free(line);
		y++;
	} else {
		ui_text(y++, 0, cols, info.id);
		if (asprintf(&line, "✓%zu/%zu %s%zu", sum.matched, sum.expected, _("left "), sum.missing) >= 0)
			ui_text(y++, 0, cols, line);
		free(line);
		if (asprintf(&line, "!%zu %s%zu", sum.unexpected, _("dmg "), sum.damaged) >= 0)
			ui_text(y++, 0, cols, line);
		free(line);
	}
	if (info.finished_at) {	/* what the finish recorded, read back */
		if (asprintf(&line, _("finished: %zu/%zu, missing %zu, unexpected %zu, damaged %zu%s%s"),
			     sum.matched, sum.expected, sum.missing, sum.unexpected, sum.damaged,
			     info.act[0] ? _("; act ") : "", info.act) >= 0)
			y += ui_draw_wrapped(y, 0, cols, y0 + rows - y, line);
		free(line);
	}
	if (ts->show_remaining) {
		draw_missing(u, ts, &sum, y, y0 + rows, cols);
		return;
	}
	if (cols >= 80)
		ui_text(y++, 0, cols, _("Last scans"));
	struct scan_lines l = { u, y, y0 + rows, cols };
	store_tally_scans(u->store, ts->reg, scan_line, &l, &e);
}

const struct screen screen_accept = {
	.name = "accept", .state_size = sizeof(struct tally_screen), .field = tally_field, .request = tally_request, .draw = tally_draw,
};
const struct screen screen_handback = {
	.name = "handback", .state_size = sizeof(struct tally_screen), .field = tally_field, .request = tally_request, .draw = tally_draw,
};

/* ---- hand to courier --------------------------------------------------- */

struct handover_screen {
	char courier[64];		/* the courier's badge, once scanned */
	bool more;			/* the last drawing left envelopes below: Down scrolls */
};

static void handover_field(struct ui *u, const char *field, const char *value)
{
	struct handover_screen *hs = u->state;
	struct am_error e;
	if (!strcmp(field, "courier")) {
		struct staff st;
		if (store_staff_get(u->store, value, &st, &e) || st.role != ROLE_COURIER) {
			ui_fail(u, _("%s is not a courier's badge"), value);
			return;
		}
		snprintf(hs->courier, sizeof hs->courier, "%s", value);
		ui_set_field(u, "waybill");
		return;
	}
	struct envelope before;
	if (store_envelope_get(u->store, value, &before, &e) == 0 && before.state != ST_ACCEPTED) {
		/* said in people's words, not the life cycle's identifiers */
		ui_fail(u, _("%s is %s: only an accepted envelope goes to a courier"), value, state_label(before.state));
		return;
	}
	struct transition t = { .type = EV_OUT_FOR_DELIVERY, .waybill = value, .courier = hs->courier };
	struct event_ctx ctx = ui_ctx(u);
	if (store_apply(u->store, &t, &ctx, &e)) {
		ui_fail(u, "%s", e.msg);
		return;
	}
	struct envelope v;
	store_envelope_get(u->store, value, &v, &e);
	ui_ok(u, "✓ %s → %s", value, v.postomat);
}

struct route_ctx {
	const char *courier;
	int y, y_end, cols;
	char last_pm[REG_FIELD_MAX];
	int n, skip;			/* the courier's envelopes seen; the first skip are scrolled away */
	bool more;			/* some did not fit below */
	const struct ui *u;
};

static int route_line(const struct envelope *v, void *arg)
{
	struct route_ctx *r = arg;
	char *line = NULL;
	if (strcmp(v->courier, r->courier))
		return 0;
	if (++r->n <= r->skip)
		return 0;
	if (r->y >= r->y_end) {
		r->more = true;
		return 0;
	}
	if (strcmp(v->postomat, r->last_pm)) {
		if (r->y + 2 > r->y_end) {	/* a postomat alone on the last row hid its envelope */
			r->more = true;
			return 0;
		}
		snprintf(r->last_pm, sizeof r->last_pm, "%s", v->postomat);
		if (asprintf(&line, "%s %s", v->postomat, v->city) >= 0)
			ui_text(r->y++, 0, r->cols - 1, line);
		free(line);
	}
	if (asprintf(&line, "  %s%s%s", v->waybill, v->reserved_cell[0] ? " " : "", v->reserved_cell) >= 0)
		ui_text(r->y++, 0, r->cols - 1, line);	/* the last column: ↑/↓ */
	free(line);
	return 0;
}

static void handover_draw(struct ui *u, int y0, int rows, int cols)
{
	struct handover_screen *hs = u->state;
	struct am_error e;
	struct staff st;
	char *head = NULL;
	if (!hs->courier[0]) {
		ui_say(y0, 0, cols, rows, _("Scan the courier's badge"));
		return;
	}
	/* the envelopes the courier holds now, from the store: what a partial
	 * hand-over gave him is there after any restart */
	if (asprintf(&head, "%s: %s", _("Courier"),
		     store_staff_get(u->store, hs->courier, &st, &e) == 0 ? st.name : hs->courier) >= 0)
		ui_text(y0, 0, cols, head);
	free(head);
	/* a page at a time with the arrows, with ↑/↓ where more are: the
	 * envelope just handed over may be below the screen's end */
	struct route_ctx r;
	for (;;) {
		r = (struct route_ctx){ hs->courier, y0 + 1, y0 + rows, cols, "", 0, u->scroll, false, u };
		store_envelope_each(u->store, ST_OUT_FOR_DELIVERY, route_line, &r, &e);
		if (u->scroll == 0 || u->scroll < r.n)
			break;
		u->scroll = r.n ? r.n - 1 : 0;	/* fewer now */
		su_blank(y0 + 1, y0 + rows);
	}
	hs->more = r.more;
	if (rows > 1)
		su_arrows(y0 + 1, y0 + rows - 1, cols, u->scroll > 0, r.more);
}

static void handover_request(struct ui *u, enum ui_request r)
{
	struct handover_screen *hs = u->state;
	if (!su_line_scroll(u, (int)r - REQ_UI__COUNT, hs->more))
		ui_back_to_menu(u, r);
}

const struct screen screen_handover = {
	.name = "handover", .state_size = sizeof(struct handover_screen), .field = handover_field,
	.request = handover_request, .draw = handover_draw,
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
	ui_ok(u, "✓ %s", value);
}

static void returns_draw(struct ui *u, int y0, int rows, int cols)
{
	if (!ui_draw_recent(u, EV_BIT(EV_RETURNED_TO_POINT), y0, rows, cols))
		ui_say(y0, 0, cols, rows, _("An envelope a courier brings back from a postomat (§30): scan it here; it goes back to State Corp on a return register (§32–33)"));	/* nothing yet: what the screen is for */
}

const struct screen screen_returns_in = {
	.name = "returns-in", .field = returns_field, .request = ui_back_to_menu, .draw = returns_draw,
};

/* ---- loss act ---------------------------------------------------------- */

/* Irreversible: the envelope, then the reason, then the act as it will be
 * recorded, confirmed with F5 or the same envelope scanned again. */
struct loss_screen {
	char waybill[32];
	char *reason;			/* malloc'd: as long as the clerk wrote it */
	const char *side;		/* "kaspi" (§22) or "state-corp" (§23), NULL: not chosen yet */
	char *liable;			/* malloc'd, NULL: not known */
	char act[64];			/* the act drawn last: F9 prints its two copies */
};

static void loss_leave(struct ui *u)
{
	struct loss_screen *ls = u->state;
	free(ls->reason);
	free(ls->liable);
	ls->reason = ls->liable = NULL;
	ls->side = NULL;
}

/* The loss act just drawn for the envelope (acts come newest first). */
static int loss_act_of(const struct act_row *a, void *arg)
{
	struct loss_screen *ls = arg;
	if (strcmp(a->kind, "loss") || strcmp(a->waybill, ls->waybill))
		return 0;
	snprintf(ls->act, sizeof ls->act, "%s", a->id);
	return 1;
}

static void loss_record(struct ui *u)
{
	struct loss_screen *ls = u->state;
	struct am_error e;
	struct transition t = { .type = EV_LOST, .waybill = ls->waybill, .reason = ls->reason, .side = ls->side,
				.liable = ls->liable };
	struct event_ctx ctx = ui_ctx(u);
	if (store_apply(u->store, &t, &ctx, &e)) {
		ui_fail(u, "%s", e.msg);
	} else {
		ls->act[0] = '\0';
		store_act_each(u->store, loss_act_of, ls, &e);
		if (u->cols < 40)	/* a handheld: whole in the three lines of a confirmation */
			ui_ok(u, C_("handheld", "%s is the loss act: F9 prints its 2 copies"), ls->act);
		else
			ui_ok(u, _("loss act %s drawn up: F9 prints its 2 copies (§24)"), ls->act);
	}
	ls->waybill[0] = '\0';
	loss_leave(u);	/* the act's id stays: F9 prints it */
	ui_set_field(u, "waybill");
}

static void loss_field(struct ui *u, const char *field, const char *value)
{
	struct loss_screen *ls = u->state;
	if (!strcmp(field, "waybill")) {
		ui_take_envelope(u, value, ls->waybill, sizeof ls->waybill, "reason");
		return;
	}
	if (!strcmp(field, "reason")) {
		free(ls->reason);
		ls->reason = strdup(value);
		if (!ls->reason) {
			ui_fail(u, "%s", _("out of memory"));
			return;
		}
		ui_set_field(u, "side");
		return;
	}
	if (!strcmp(field, "side")) {
		if (!strcmp(value, "1") || !strcmp(value, "kaspi")) {
			ls->side = "kaspi";
		} else if (!strcmp(value, "2") || !strcmp(value, "state-corp")) {
			ls->side = "state-corp";
		} else {
			ui_fail(u, "%s", _("the side is 1 Kaspi (§22) or 2 State Corp (§23)"));
			return;
		}
		ui_set_field(u, "liable");
		return;
	}
	if (!strcmp(field, "liable")) {
		free(ls->liable);
		if (!(ls->liable = strdup(value))) {
			ui_fail(u, "%s", _("out of memory"));
			return;
		}
		ui_set_field(u, "confirm");
		ui_note(u, "%s", _("F5 or the envelope again: record. Esc: cancel."));
		return;
	}
	if (strcmp(value, ls->waybill)) {
		ui_fail(u, _("%s is not the envelope of this act (%s): scan %s or press Esc"), value, ls->waybill,
			ls->waybill);
		return;
	}
	loss_record(u);
}

static void loss_request(struct ui *u, enum ui_request r)
{
	struct loss_screen *ls = u->state;
	int key = (int)r - REQ_UI__COUNT;
	if (key == KEY_DOWN || key == KEY_UP) {	/* the act's text scrolls */
		u->scroll += key == KEY_DOWN ? 1 : -1;
		if (u->scroll < 0)
			u->scroll = 0;
		return;
	}
	if (r == REQ_UI_DONE && u->field == form_field_index(&u->def, "confirm")) {
		loss_record(u);
	} else if (r == REQ_UI_DONE && u->field == form_field_index(&u->def, "liable")) {
		ui_set_field(u, "confirm");	/* the liable worker is not known */
		ui_note(u, "%s", _("F5 or the envelope again: record. Esc: cancel."));
	} else if (r == REQ_UI_PRINT) {
		struct am_error e;
		if (!ls->act[0])
			ui_fail(u, "%s", _("no loss act drawn on this screen yet: F9 prints the one just drawn (all acts: Acts)"));
		else if (ui_print(u, PRINT_ACT, ls->act, NULL, NULL, &e))
			ui_fail(u, "%s", e.msg);
		else
			ui_ok(u, _("%s sent to the printer: 2 copies (§24)"), ls->act);
	} else if (r == REQ_UI_DONE) {	/* the envelope, the reason or the side is not there yet */
		ui_note(u, "%s", _("first fill in what ▶ asks"));
	} else if (r == REQ_UI_BACK && ls->waybill[0]) {
		ls->waybill[0] = '\0';	/* cancelled: nothing was recorded */
		loss_leave(u);
		ui_set_field(u, "waybill");
		ui_note(u, "%s", _("cancelled: nothing was recorded"));
	} else if (r == REQ_UI_BACK) {
		ui_go(u, "menu");
	}
}

static void loss_draw(struct ui *u, int y0, int rows, int cols)
{
	struct loss_screen *ls = u->state;
	int y = y0;
	if (!ls->waybill[0]) {
		if (!ui_draw_recent(u, EV_BIT(EV_LOST), y0, rows, cols))
			ui_say(y0, 0, cols, rows, _("A lost envelope: scan it, then type what happened, the side (§22–23) and who is liable; the act is drawn in two copies"));
		return;
	}
	ui_text(y++, 0, cols, ls->waybill);
	if (!ls->reason) {
		ui_draw_wrapped(y, 0, cols, y0 + rows - y, _("reason and circumstances:"));
		return;
	}
	/* what will be recorded, whole: the arrows scroll it */
	char *what = NULL;
	/* what is not asked yet is a dash ("Side: —."), not an empty "Side: ." */
	const char *side = !ls->side ? "—" : strcmp(ls->side, "kaspi") ? _("State Corp (§23)") : _("Kaspi (§22)");
	if (asprintf(&what, _("Loss act, 2 copies. Side: %s. Liable: %s. Reason: %s"), side,
		     ls->liable ? ls->liable : ls->side && u->field > form_field_index(&u->def, "liable") ? _("not known")
		     : "—", ls->reason) >= 0)
		ui_draw_scrolled(y, 0, cols, y0 + rows - y, what, &u->scroll);
	free(what);
}

const struct screen screen_loss = {
	.name = "loss", .state_size = sizeof(struct loss_screen), .field = loss_field,
	.request = loss_request, .draw = loss_draw, .leave = loss_leave,
};
