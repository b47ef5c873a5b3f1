/*
 * screen_common.c - log in, the role's menu, lookup; and the table of
 * screens by name.
 */
#include <menu.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "amanat/i18n.h"
#include "amanat/shift.h"
#include "amanat/timeutil.h"
#include "screen_util.h"

static const struct screen *const screens[] = {
	&screen_login, &screen_menu, &screen_accept, &screen_handback, &screen_handover,
	&screen_returns_in, &screen_loss, &screen_route, &screen_place, &screen_delay,
	&screen_expire, &screen_supervisor, &screen_lookup,
	&screen_desk, &screen_acts, &screen_dead, &screen_staff, &screen_registers,
	&screen_status,
	&screen_force_majeure, &screen_sort, &screen_upstream,
};

const struct screen *screen_by_name(const char *name)
{
	for (size_t i = 0; i < sizeof screens / sizeof screens[0]; i++)
		if (!strcmp(screens[i]->name, name))
			return screens[i];
	return NULL;
}

/* ---- log in ------------------------------------------------------------ */

struct login_screen {
	char badge[64];			/* the badge being logged in */
};

static void login_enter(struct ui *u)
{
	memset(&u->user, 0, sizeof u->user);
}

static void login_field(struct ui *u, const char *field, const char *value)
{
	struct login_screen *ls = u->state;
	struct am_error e;
	if (!strcmp(field, "badge")) {
		snprintf(ls->badge, sizeof ls->badge, "%s", value);
		ui_set_field(u, "pin");
		return;
	}
	int64_t locked_until;
	if (store_staff_login(u->store, ls->badge, value, &u->user, &locked_until, &e)) {
		/* the PIN is never shown: the badge, and why */
		if (locked_until)
			ui_fail(u, "%s", e.msg);
		else
			ui_fail(u, "%s", _("wrong badge or PIN: try again"));
		memset(&u->user, 0, sizeof u->user);
		ui_set_field(u, "badge");
		return;
	}
	if (store_shift_open(u->store, u->user.badge, &u->shift, &e)) {
		ui_fail(u, "%s", e.msg);
		return;
	}
	char t[32];
	time_format_human(u->shift.opened_ms, u->app->rules.offset_min, t, sizeof t);
	ui_go(u, "menu");
	ui_ok(u, _("shift open since %s"), t + 11);	/* HH:MM */
}

struct badges {
	char badge[16][sizeof ((struct staff *)0)->badge];	/* codes: the store's own size */
	char *label[16];	/* "name (role)": any length, never cut inside a letter */
	int n;
};

static void badges_free(struct badges *b)
{
	for (int i = 0; i < b->n; i++)
		free(b->label[i]);
}

static int badge_one(const struct staff *st, void *arg)
{
	struct badges *b = arg;
	if (st->active && b->n < 16) {
		snprintf(b->badge[b->n], sizeof b->badge[0], "%s", st->badge);
		if (asprintf(&b->label[b->n], "%s (%s)", st->name, _(staff_role_name(st->role))) < 0)
			b->label[b->n] = NULL;
		b->n++;
	}
	return 0;
}

static void login_request(struct ui *u, enum ui_request r)
{
	int key = (int)r - REQ_UI__COUNT;
	if (u->field == 0 && (key == KEY_UP || key == KEY_DOWN || key == '\n')) {
		struct badges b = { .n = 0 };
		struct am_error e;
		store_staff_each(u->store, badge_one, &b, &e);
		badges_free(&b);	/* only the badges are needed here */
		if (!b.n)
			return;
		if (key == KEY_UP)
			u->menu_sel = (u->menu_sel + b.n - 1) % b.n;
		else if (key == KEY_DOWN)
			u->menu_sel = (u->menu_sel + 1) % b.n;
		else
			login_field(u, "badge", b.badge[u->menu_sel % b.n]);
		return;
	}
	if (r == REQ_UI_BACK) {
		/* another badge: a wrong one scanned (or picked) is left
		 * without a PIN typed against it, which would count towards
		 * locking its owner out; at the badge, what was typed goes */
		struct login_screen *ls = u->state;
		ls->badge[0] = '\0';
		ui_set_field(u, "badge");
		return;
	}
	if (r == REQ_UI_LANGUAGE) {
		static const char *const order[] = { "kk", "ru", "en" };
		int i = 0;
		while (i < 3 && strcmp(order[i], i18n_language()))
			i++;
		i18n_init(order[(i + 1) % 3], NULL);
		snprintf(u->app->lang, sizeof u->app->lang, "%s", i18n_language());
		ui_go(u, "login");
	}
}

static void login_draw(struct ui *u, int y0, int rows, int cols)
{
	struct login_screen *ls = u->state;
	int y = y0;
	y += ui_draw_wrapped(y, 0, cols, rows, _("Birth certificates to postomats"));
	y++;
	if (y < y0 + rows)
		y += ui_draw_wrapped(y, 0, cols, y0 + rows - y, u->field == 1 ? ls->badge : _("Scan your badge"));
	y++;
	if (y < y0 + rows)
		ui_text(y++, 0, cols, _("F3: ҚАЗ / РУС / ENG"));
	y++;
	if (u->field == 0 && y0 + rows - y >= 2) {	/* or pick a name with the arrows */
		struct badges b = { .n = 0 };
		struct am_error e;
		store_staff_each(u->store, badge_one, &b, &e);
		for (int i = 0; i < b.n && y < y0 + rows; i++) {
			char *line = NULL;
			if (b.label[i] && asprintf(&line, "%c %s", i == u->menu_sel % b.n ? '>' : ' ', b.label[i]) >= 0)
				ui_text(y++, 0, cols, line);
			free(line);
		}
		badges_free(&b);
	}
}

const struct screen screen_login = {
	.name = "login", .state_size = sizeof(struct login_screen), .enter = login_enter, .field = login_field,
	.request = login_request, .draw = login_draw,
};

/* ---- the menu of a role ------------------------------------------------ */

struct menu_item {
	const char *screen;
	const char *label;
};

static const struct menu_item clerk_menu[] = {
	{ "accept", N_("Accept hand-over") }, { "handover", N_("Hand to courier") },
	{ "returns-in", N_("Returns in") }, { "handback", N_("Returns out") },
	{ "loss", N_("Loss act") }, { "lookup", N_("Lookup") }, { "registers", N_("Registers") },
	{ "acts", N_("Acts") }, { NULL, NULL },
};
static const struct menu_item courier_menu[] = {
	{ "route", N_("My route") }, { "place", N_("At a postomat") },
	{ "delay", N_("Late delivery") }, { "expire", N_("Collect expired") },
	{ "lookup", N_("Lookup") }, { NULL, NULL },
};
static const struct menu_item supervisor_menu[] = {
	{ "supervisor", N_("Shift screen") }, { "desk", N_("Supervisor's desk") }, { "accept", N_("Accept hand-over") },
	{ "handover", N_("Hand to courier") }, { "handback", N_("Returns out") },
	{ "loss", N_("Loss act") }, { "lookup", N_("Lookup") }, { "registers", N_("Registers") }, { "force-majeure", N_("Force majeure") }, { NULL, NULL },
};
static const struct menu_item sorting_menu[] = {
	{ "lookup", N_("Lookup") }, { "registers", N_("Registers") }, { "sort", N_("Form a register") },
	{ NULL, NULL },
};

static const struct menu_item *menu_of(const struct ui *u)
{
	switch (u->user.role) {
	case ROLE_CLERK: return clerk_menu;
	case ROLE_COURIER: return courier_menu;
	case ROLE_SUPERVISOR: return supervisor_menu;
	case ROLE_SORTING: return sorting_menu;
	}
	return sorting_menu;
}

static int menu_count(const struct menu_item *m)
{
	int n = 0;
	while (m[n].screen)
		n++;
	return n;
}

struct menu_screen {
	bool confirm_close;		/* F8 pressed once: the shift's close is shown */
};

static void close_shift(struct ui *u)
{
	struct am_error e;
	if (store_shift_close(u->store, u->shift.id, &e)) {
		ui_fail(u, "%s", e.msg);
		return;
	}
	memset(&u->user, 0, sizeof u->user);
	ui_go(u, "login");
	ui_note(u, "%s", _("shift closed"));
}

/* A scan of one's own badge confirms the close of the shift. */
static bool menu_scan(struct ui *u, enum code_kind kind, const char *code)
{
	struct menu_screen *ms = u->state;
	(void)kind;
	if (!ms->confirm_close || strcmp(code, u->user.badge))
		return false;
	close_shift(u);
	return true;
}

static void menu_request(struct ui *u, enum ui_request r)
{
	const struct menu_item *m = menu_of(u);
	int n = menu_count(m);
	int key = (int)r - REQ_UI__COUNT;
	struct menu_screen *ms = u->state;
	if (r == REQ_UI_CLOSE_SHIFT && !ms->confirm_close) {
		/* irreversible: say what will be recorded, then a second F8,
		 * Enter or a scan of one's own badge closes it */
		ms->confirm_close = true;
		ui_note(u, "%s", _("F8, Enter or your badge: close. Esc: keep it open."));
		return;
	}
	if (ms->confirm_close) {
		if (key == KEY_DOWN || key == KEY_UP) {
			u->scroll += key == KEY_DOWN ? 1 : -1;
			if (u->scroll < 0)
				u->scroll = 0;
		} else if (r == REQ_UI_CLOSE_SHIFT || key == '\n') {
			close_shift(u);
		} else if (r == REQ_UI_LOGOUT || key == 27 || r == REQ_UI_BACK) {
			ms->confirm_close = false;	/* Esc: the shift stays open */
			ui_note(u, "%s", _("the shift stays open"));
		}
		return;
	}
	if (r == REQ_UI_LOGOUT) {
		memset(&u->user, 0, sizeof u->user);
		ui_go(u, "login");
		return;
	}
	if ((int)r < REQ_UI__COUNT || n <= 0)
		return;
	if (key == KEY_UP)
		u->menu_sel = (u->menu_sel + n - 1) % n;
	else if (key == KEY_DOWN)
		u->menu_sel = (u->menu_sel + 1) % n;
	else if (key >= '1' && key < '1' + n)
		ui_go(u, m[key - '1'].screen);
	else if (key == '\n')
		ui_go(u, m[u->menu_sel].screen);
}

/* The role's menu through ncurses' menu library: the items are made anew
 * at each redraw (they are few) and kept posted until the next one. */
#define MENU_MAX 10
static MENU *role_menu;
static ITEM *role_items[MENU_MAX + 1];
static WINDOW *role_win;
static char *menu_names[MENU_MAX];

static void menu_free(void)
{
	if (role_menu) {
		unpost_menu(role_menu);
		free_menu(role_menu);
		role_menu = NULL;
	}
	for (int i = 0; role_items[i]; i++) {
		free_item(role_items[i]);
		role_items[i] = NULL;
	}
	for (int i = 0; i < MENU_MAX; i++) {
		free(menu_names[i]);
		menu_names[i] = NULL;
	}
	if (role_win) {
		delwin(role_win);
		role_win = NULL;
	}
}

struct mine {
	const char *badge;
	size_t n;
};

static int my_count(const struct shift_person *p, void *arg)
{
	struct mine *m = arg;
	if (strcmp(p->badge, m->badge))
		return 0;
	m->n = p->total;
	return 1;
}

/* F8 once: what closing the shift will record, and how to confirm it. */
static void close_draw(struct ui *u, int y0, int rows, int cols)
{
	struct am_error e;
	struct mine mine = { u->user.badge, 0 };
	char t[32], *line = NULL;
	int y = y0;
	/* the shift screen's own count of this person's work, kept with each
	 * event (counting the log since the shift opened took 13 ms after
	 * 30,000 scans) */
	store_shift_people(u->store, u->shift.opened_ms, my_count, &mine, &e);
	time_format_human(u->shift.opened_ms, u->app->rules.offset_min, t, sizeof t);
	if (asprintf(&line, _("%s, shift since %s: %zu envelope events. Closing records the end of the shift."),
		     u->user.name, t, mine.n) >= 0) {
		char *all = NULL;
		if (asprintf(&all, "%s %s", _("Close the shift?"), line) >= 0)
			ui_draw_scrolled(y, 0, cols, rows, all, &u->scroll);
		free(all);
	}
	free(line);
}

static void menu_draw(struct ui *u, int y0, int rows, int cols)
{
	struct menu_screen *ms = u->state;
	const struct menu_item *m = menu_of(u);
	int n = 0;
	menu_free();
	if (ms->confirm_close) {
		close_draw(u, y0, rows, cols);
		return;
	}
	for (; n < MENU_MAX && m[n].screen; n++) {
		/* ncurses' menu cuts an item at its window's edge, inside a word:
		 * the item fits before it gets there (the mark takes a column) --
		 * its short form, else cut at a word with "…" */
		char *item = NULL;
		if (asprintf(&item, "%d %s", n + 1, ui_fit_label(m[n].label, cols - 3)) < 0)
			item = NULL;
		menu_names[n] = item ? ui_cut(item, cols - 1) : NULL;
		free(item);
		if (!menu_names[n])
			break;
		role_items[n] = new_item(menu_names[n], "");
	}
	role_items[n] = NULL;
	role_menu = new_menu(role_items);
	role_win = derwin(stdscr, rows < n ? rows : n, cols, y0, 0);
	if (!role_menu || !role_win) {
		menu_free();
		return;
	}
	set_menu_win(role_menu, stdscr);
	set_menu_sub(role_menu, role_win);
	set_menu_format(role_menu, rows < n ? rows : n, 1);
	set_menu_mark(role_menu, ">");
	set_current_item(role_menu, role_items[u->menu_sel < n ? u->menu_sel : 0]);
	post_menu(role_menu);
	/* more items than rows (a handheld, a note under the menu): say so in
	 * the last column, which the items leave free -- the supervisor's
	 * "9 Force majeure" was out of sight with no sign of it */
	int top = top_row(role_menu);
	if (rows < n && cols > 2)
		su_arrows(y0, y0 + rows - 1, cols, top > 0, top + rows < n);
}

static void menu_leave(void) __attribute__((destructor));
static void menu_leave(void)
{
	menu_free();
}

const struct screen screen_menu = {
	.name = "menu", .state_size = sizeof(struct menu_screen), .request = menu_request, .draw = menu_draw,
	.scan = menu_scan,
};

/* ---- lookup: any envelope's whole history ------------------------------- */

struct lookup_screen {
	char waybill[32];
	bool more;		/* the last drawing left events below: Down scrolls only then */
};

struct hist {
	struct ui *u;
	int y, rows, cols, n, skip;
	int total;		/* the envelope's events, all counted */
};

static int hist_line(const struct event_row *r, void *arg)
{
	struct hist *h = arg;
	char t[32], day[16];
	h->total++;
	if (h->skip-- > 0 || h->n >= h->rows)
		return 0;	/* counted, not drawn: the arrows need the whole count */
	time_format_human(r->at_ms, h->u->app->rules.offset_min, t, sizeof t);
	/* a late delivery says its new date: "new date" alone told nothing */
	const char *date = ui_event_new_date(r, day, sizeof day);
	const char *what = h->cols < 40 ? ui_event_short(r->type) : ui_event_label(r->type);
	char *line = NULL;
	if (h->cols >= 60) {	/* the label padded in columns (Kazakh and Russian are Cyrillic) */
		bool ok = su_append(&line, t, 0) == 0 && su_append(&line, "  ", 0) == 0 &&
			  su_append(&line, what, 18) == 0 && su_append(&line, " ", 0) == 0 &&
			  su_append(&line, r->actor, 0) == 0 && su_append(&line, " ", 0) == 0 &&
			  su_append(&line, r->place, 0) == 0;
		if (ok && date)
			ok = su_append(&line, " ", 0) == 0 && su_append(&line, date, 0) == 0;
		if (!ok) {
			free(line);
			line = NULL;
		}
	} else if (date && h->cols < 40) {	/* a handheld: "26.11 → 30.11.2026", the date is the point */
		if (asprintf(&line, "%.5s → %s", t, date) < 0)
			line = NULL;
	} else if (asprintf(&line, "%.5s %s%s%s", t, what, date ? " " : "", date ? date : "") < 0) {
		line = NULL;
	}
	if (line)
		ui_text(h->y + h->n++, 0, h->cols, line);
	free(line);
	return 0;
}

static void lookup_field(struct ui *u, const char *field, const char *value)
{
	struct lookup_screen *ls = u->state;
	struct envelope v;
	struct am_error e;
	(void)field;
	if (store_envelope_get(u->store, value, &v, &e)) {
		ui_fail(u, "%s", e.msg);
		return;
	}
	snprintf(ls->waybill, sizeof ls->waybill, "%s", value);
	u->scroll = 0;	/* its history from the start */
	ui_ok(u, "%s: %s", value, state_label(v.state));
}

static void lookup_draw(struct ui *u, int y0, int rows, int cols)
{
	struct lookup_screen *ls = u->state;
	struct envelope v;
	struct am_error e;
	if (!ls->waybill[0]) {
		ui_say(y0, 0, cols, rows, _("Scan any envelope to see its state, where it is and its whole history"));
		return;
	}
	if (store_envelope_get(u->store, ls->waybill, &v, &e))
		return;
	char *line = NULL, masked[16];
	iin_mask(v.iin, masked, sizeof masked);
	int y = y0;
	ui_text(y++, 0, cols, v.waybill);
	char *state = su_state_text(u, &v);	/* names the courier holding it: two lines when narrow */
	y += ui_say(y, 0, cols, cols < 60 ? 2 : 1, state ? state : "?");
	free(state);
	if (asprintf(&line, "%s %s %s", v.postomat, v.cell[0] ? "·" : "", v.cell) >= 0)
		ui_text(y++, 0, cols, line);
	free(line);
	if (cols >= 60) {
		if (asprintf(&line, "%s %s · %s %s · %s %s", _("register"), v.register_id,
			     _("application"), v.application, _("IIN"), masked) >= 0)
			ui_text(y++, 0, cols, line);
		free(line);
	}
	if (y < y0 + 4 && rows >= 6)
		y = y0 + 4;	/* a blank row before the history, where there is room */
	if (y >= y0 + rows)
		return;
	struct hist h = { u, y, y0 + rows - y, cols, 0, u->scroll, 0 };
	store_event_each(u->store, v.waybill, false, hist_line, &h, &e);
	if (u->scroll > 0 && h.total - u->scroll < h.rows) {	/* never scrolled past the last page */
		u->scroll = h.total > h.rows ? h.total - h.rows : 0;
		su_blank(y, y0 + rows);
		h = (struct hist){ u, y, y0 + rows - y, cols, 0, u->scroll, 0 };
		store_event_each(u->store, v.waybill, false, hist_line, &h, &e);
	}
	ls->more = u->scroll + h.rows < h.total;
	su_arrows(y, y0 + rows - 1, cols, u->scroll > 0, ls->more);	/* more above, more below */
}

static void lookup_request(struct ui *u, enum ui_request r)
{
	struct lookup_screen *ls = u->state;
	int key = (int)r - REQ_UI__COUNT;
	if (r == REQ_UI_BACK)
		ui_go(u, "menu");
	else
		su_line_scroll(u, key, ls->more);
}

const struct screen screen_lookup = {
	.name = "lookup", .state_size = sizeof(struct lookup_screen), .field = lookup_field,
	.request = lookup_request, .draw = lookup_draw,
};
