/*
 * screen_sort.c - the State Corp sorting clerk forms the register for a
 * Kaspi reception point (§13-16).  The applications list from ХҚКО ИАЖ
 * (orders.h: application, waybill, postomat, city, point) is a CSV file in
 * the inbox folder; each envelope scanned (its application number or its
 * waybill) goes on the register being formed, kept in the store so that
 * Esc, an idle lock or a restart loses none; F5 twice forms it - an inbound
 * register like an imported one - and F7/F9 print its labels and its sheet,
 * whose codes the reception point scans to load it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "amanat/i18n.h"
#include "amanat/orders.h"
#include "amanat/sorting.h"
#include "amanat/timeutil.h"
#include "screen_print.h"
#include "screen_util.h"

#define LISTS_MAX 64

struct sort_screen {
	bool confirm;			/* F5 pressed once */
	bool removing;			/* F3: the next scan takes a line off */
	bool labels;			/* the reason asked is for the labels */
	bool inbox;			/* the inbox's lists instead of the lines */
	char *files[LISTS_MAX];
	int n_files;
	long sel, first;		/* the inbox's chosen row, the lines' first row */
	size_t page;
	char reg[REG_ID_MAX];		/* the register formed here last */
};

static void inbox_close(struct sort_screen *ss)
{
	for (int i = 0; i < ss->n_files; i++)
		free(ss->files[i]);
	ss->n_files = 0;
	ss->inbox = false;
}

static void sort_leave(struct ui *u)
{
	inbox_close(u->state);
}

/* The newest register formed here: what F7 and F9 print after a restart. */
static int newest_formed(const struct register_info *info, void *arg)
{
	struct ui *u = arg;
	struct sort_screen *ss = u->state;
	if (info->kind != REG_INBOUND || strcmp(info->from, u->app->place))
		return 0;
	snprintf(ss->reg, sizeof ss->reg, "%s", info->id);
	return 1;
}

static void sort_enter(struct ui *u)
{
	struct am_error e;
	store_register_each(u->store, newest_formed, u, &e);
}

static void inbox_open(struct ui *u, struct sort_screen *ss)
{
	static const char *const exts[] = { ".csv", NULL };
	const char *dir;
	inbox_close(ss);
	int n = su_inbox_list(u, exts, ss->files, LISTS_MAX, &dir);
	if (n < 0)
		return;
	ss->n_files = n;
	ss->inbox = true;
	ss->sel = ss->first = 0;
	if (!ss->n_files) {
		char *shown = su_inbox_shown(u, dir);
		ui_note(u, _("no applications list (.csv) in %s"), shown ? shown : dir);
		free(shown);
	}
}

static void inbox_load(struct ui *u, struct sort_screen *ss)
{
	struct am_error e;
	struct order_list l;
	size_t len, n_new;
	char path[4200];
	if (ss->sel < 0 || ss->sel >= ss->n_files)
		return;
	const char *name = ss->files[ss->sel];
	snprintf(path, sizeof path, "%s/%s", config_get(u->app->cfg, "register.inbox", "."), name);
	char *text = app_read_file(path, &len, &e);
	if (!text) {
		ui_fail(u, "%s", e.msg);
		return;
	}
	int rc = orders_parse_csv(text, len, &u->app->rules.waybill, &l, &e);
	free(text);
	if (!rc) {
		rc = store_orders_load(u->store, &l, name, &n_new, &e);
		if (!rc && u->cols < 40)	/* a handheld: three lines, the file's name is on the list it left */
			ui_ok(u, C_("handheld", "list loaded: %zu applications, %zu new"), l.n, n_new);
		else if (!rc)
			ui_ok(u, _("applications list %s loaded: %zu applications, %zu new"), name, l.n, n_new);
		orders_free(&l);
	}
	if (rc)
		ui_fail(u, _("%s refused, nothing loaded: %s"), name, e.msg);
	else
		inbox_close(ss);
}

/* ---- scans, forming, printing -------------------------------------------- */

static void scan(struct ui *u, struct sort_screen *ss, const char *code)
{
	struct am_error e;
	struct sort_line l;
	enum sort_result res;
	struct event_ctx ctx = ui_ctx(u);
	if (ss->removing) {
		ss->removing = false;
		if (store_sort_remove(u->store, code, &l, &e))
			ui_fail(u, "%s", e.msg);
		else
			ui_ok(u, _("%s taken off the register being formed"), l.order.line.waybill);
		return;
	}
	if (store_sort_scan(u->store, code, &ctx, &l, &res, &e)) {
		ui_fail(u, "%s", e.msg);
		return;
	}
	if (res == SORT_AGAIN)
		ui_note(u, _("= %s scanned already: counted once"), l.order.line.waybill);
	else
		ui_ok(u, "✓ %s %s → %s", l.order.line.waybill, l.order.line.postomat, l.order.point);
	ss->first = 0;
}

/* F5 twice: the register is formed, named after this sector and the day. */
static void form(struct ui *u, struct sort_screen *ss)
{
	struct am_error e;
	struct register_info info;
	struct reg r;
	size_t waiting, scanned;
	char t[32], id[REG_ID_MAX];
	struct event_ctx ctx = ui_ctx(u);
	if (store_sort_counts(u->store, &waiting, &scanned, &e)) {
		ui_fail(u, "%s", e.msg);
		return;
	}
	if (!scanned) {
		ui_fail(u, "%s", _("no envelope scanned yet: scan each envelope of the register first"));
		return;
	}
	if (!ss->confirm) {
		ss->confirm = true;
		if (u->cols < 40)	/* a handheld: whole in three lines */
			ui_note(u, C_("handheld", "F5 again: form the register of %zu"), scanned);
		else
			ui_note(u, _("F5 again forms the register of the %zu envelopes scanned"), scanned);
		return;
	}
	ss->confirm = false;
	time_format_local(now_ms(), u->app->rules.offset_min, t, sizeof t);	/* 2026-03-20 12:00 */
	for (int n = 1; n < 1000; n++) {
		snprintf(id, sizeof id, "R-%s-%.4s%.2s%.2s-%d", u->app->place, t, t + 5, t + 8, n);
		if (store_register_get(u->store, id, &info, NULL, &e))
			break;	/* not taken yet */
	}
	if (store_sort_form(u->store, id, &ctx, &r, &e)) {
		ui_fail(u, "%s", e.msg);
		return;
	}
	if (u->cols < 40)	/* a handheld: the id (wider than 20 columns) is on the "Formed" lines */
		ui_ok(u, C_("handheld", "formed: %zu envelopes; F7 labels, F9 its sheet"), r.n_lines);
	else
		ui_ok(u, _("register %s formed: %zu envelopes to %s - F7 prints their labels, F9 its sheet"), r.id,
		      r.n_lines, r.to);
	snprintf(ss->reg, sizeof ss->reg, "%s", r.id);
	register_free(&r);
}

static void print(struct ui *u, struct sort_screen *ss, bool labels, const char *reason)
{
	if (!ss->reg[0]) {
		ui_fail(u, "%s", _("no register formed yet: scan the envelopes, then F5 twice"));
		return;
	}
	ss->labels = labels;
	ui_set_field(u, ui_print_register(u, ss->reg, labels, reason) ? "code" : "reason");
}

static void sort_field(struct ui *u, const char *field, const char *value)
{
	struct sort_screen *ss = u->state;
	ss->confirm = false;
	if (!strcmp(field, "reason"))
		print(u, ss, ss->labels, value);
	else
		scan(u, ss, value);
}

static void sort_request(struct ui *u, enum ui_request r)
{
	struct sort_screen *ss = u->state;
	int key = (int)r - REQ_UI__COUNT;
	bool confirm = ss->confirm;
	ss->confirm = false;
	if (r == REQ_UI_BACK) {
		if (u->field > 0)
			ui_set_field(u, "code");
		else if (ss->inbox)
			inbox_close(ss);
		else if (ss->removing)
			ss->removing = false;
		else
			ui_go(u, "menu");
	} else if (r == REQ_UI_OPEN) {
		inbox_open(u, ss);
	} else if (r == REQ_UI_REMOVE) {
		ss->removing = true;
		ui_note(u, "%s", _("scan the envelope to take off the register being formed"));
	} else if (r == REQ_UI_FINISH) {
		ss->confirm = confirm;
		form(u, ss);
	} else if (r == REQ_UI_LABELS || r == REQ_UI_PRINT) {
		print(u, ss, r == REQ_UI_LABELS, NULL);
	} else if (key == '\n' && ss->inbox) {
		inbox_load(u, ss);
	} else if ((int)r >= REQ_UI__COUNT) {
		su_scroll(key, ss->inbox ? &ss->sel : &ss->first, ss->page);
		if (ss->sel < 0)
			ss->sel = 0;
		if (ss->first < 0)
			ss->first = 0;
	}
}

/* ---- drawing --------------------------------------------------------------- */

struct lines {
	struct ui *u;
	struct sort_screen *ss;
	int y, end, cols;
	long i;
};

static int draw_line(const struct sort_line *l, void *arg)
{
	struct lines *d = arg;
	if (d->i++ < d->ss->first)
		return 0;
	if (d->y >= d->end)
		return 1;
	char *line = NULL;
	const struct register_line *o = &l->order.line;
	bool bad = su_append(&line, "✓", 2) || su_append(&line, o->waybill, 14) ||
		   (d->cols >= 60 && (su_append(&line, o->application, 20) || su_append(&line, o->postomat, 13) ||
				      su_append(&line, o->city, 0))) ||
		   (d->cols >= 34 && d->cols < 60 && su_append(&line, o->postomat, 0));
	ui_text(d->y++, 0, d->cols, !bad && line ? line : "?");
	free(line);
	return 0;
}

static void draw_inbox(struct ui *u, struct sort_screen *ss, int y, int end, int cols)
{
	su_inbox_title(u, y++, cols);
	ss->page = end > y ? (size_t)(end - y) : 1;
	if (ss->sel >= ss->n_files)
		ss->sel = ss->n_files ? ss->n_files - 1 : 0;
	ss->first = (long)su_clamp(ss->sel < ss->first ? ss->sel : ss->sel - (long)ss->page + 1 > ss->first
				   ? ss->sel - (long)ss->page + 1 : ss->first, (size_t)ss->n_files, ss->page);
	for (long i = ss->first; i < ss->n_files && y < end; i++) {
		if (i == ss->sel)
			attron(A_REVERSE);
		ui_textf(y++, 0, cols, "%s %s", i == ss->sel ? ">" : " ", ss->files[i]);
		attroff(A_REVERSE);
	}
}

static void sort_draw(struct ui *u, int y0, int rows, int cols)
{
	struct sort_screen *ss = u->state;
	struct am_error e;
	size_t waiting = 0, scanned = 0;
	char *line = NULL, a[32], b[32], pos[64];
	int y = y0, end = y0 + rows;
	if (ss->inbox) {
		draw_inbox(u, ss, y, end, cols);
		return;
	}
	store_sort_counts(u->store, &waiting, &scanned, &e);
	su_count(waiting, a, sizeof a);
	su_count(scanned, b, sizeof b);
	/* a handheld: the lines matter more than the list's count */
	if ((cols < 40 ? asprintf(&line, _("Scanned: %s"), b)
		       : asprintf(&line, _("Scanned %s · on the list, not on a register %s"), b, a)) >= 0) {
		y += ui_draw_wrapped(y, 0, cols, end - y, line);
		free(line);
	}
	char *formed = NULL;
	if (ss->reg[0] && asprintf(&formed, _("Formed: %s"), ss->reg) < 0)
		formed = NULL;
	bool wide = formed && ui_width(formed) > cols;
	free(formed);
	if (ss->reg[0] && y < end && wide && y + 1 < end) {
		/* a handheld: the id under its word, its end when it is
		 * wider than the line ("…ALM-007-20261127-1": the day and
		 * the number tell one register from another) */
		char *tail = ui_cut_left(ss->reg, cols);
		ui_textf(y++, 0, cols, _("Formed: %s"), "");
		ui_text(y++, 0, cols, tail ? tail : ss->reg);
		free(tail);
	} else if (ss->reg[0] && y < end) {
		ui_textf(y++, 0, cols, _("Formed: %s"), ss->reg);
	}
	if (ss->removing && y < end)
		y += ui_say(y, 0, cols, end - y, _("F3: the next scan takes an envelope off"));
	if (!scanned) {	/* a blank line above the hint when there is room for both */
		const char *hint = waiting ? _("Scan each envelope of the register") : _("F2: load the applications list");
		struct wrapped w;
		ui_wrap(hint, cols, &w);
		if (y + 1 + w.n <= end)
			y++;
		ui_wrap_free(&w);
		if (y < end)
			ui_say(y, 0, cols, end - y, hint);
		return;
	}
	y++;
	ss->page = end - 1 > y ? (size_t)(end - 1 - y) : 1;
	ss->first = (long)su_clamp(ss->first, scanned, ss->page);
	struct lines d = { u, ss, y, y + (int)ss->page, cols, 0 };
	store_sort_each(u->store, draw_line, &d, &e);
	su_position((size_t)ss->first, ss->page, scanned, pos, sizeof pos);
	if (end - 1 > y)
		su_right(end - 1, 0, cols, pos);
}

const struct screen screen_sort = {
	.name = "sort", .state_size = sizeof(struct sort_screen), .enter = sort_enter, .leave = sort_leave,
	.field = sort_field, .request = sort_request, .draw = sort_draw,
};
