/*
 * screen_desk.c - the supervisor's desk: a menu of the desk's screens, and
 * the acts (list, read, print), the dead letters (list with the upstream's
 * reason, re-send one or all) and the staff (add, switch off or on, a new
 * PIN, unlock a badge locked by five wrong PINs).  Each action is an event (a re-send: the store's outbox_resent).  Force majeure has its own screen
 * (screen_force_majeure.c, when it is there); collections and cancellations
 * entered by hand, screen_status.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "amanat/i18n.h"
#include "amanat/label.h"
#include "amanat/sync.h"
#include "amanat/timeutil.h"
#include "screen_print.h"
#include "screen_util.h"

/* Each desk screen's own state (one at a time is shown). */
static struct {
	long sel, first;
	size_t page;
	bool reading;		/* acts: the chosen act's text instead of the list */
	long read_first;	/* the act's text: its first line shown */
	size_t read_page;	/* and how many are shown */
	bool confirm;		/* a second press confirms */
	char id[64];		/* the chosen act / event / badge */
	char badge[64], name[STAFF_NAME_SIZE];
	int role;
	enum ui_request pending;/* what the fields being filled are for */
} dk;

static void dk_reset(struct ui *u)
{
	memset(&dk, 0, sizeof dk);
	ui_set_field(u, NULL);
}

/* A note event for an action at the desk (staff, re-send). */
static int desk_event(struct ui *u, json_t *payload, struct am_error *e)
{
	char *text = payload ? json_dumps(payload, JSON_COMPACT) : NULL;
	json_decref(payload);
	if (!text)
		return am_fail(e, AM_ENV, "%s", _("out of memory"));
	struct event_ctx ctx = ui_ctx(u);
	int rc = store_append_event(u->store, EV_NOTE, "", "", text, &ctx, e);
	free(text);
	return rc;
}

/* ---- the desk's menu ---------------------------------------------------- */

static const struct { const char *screen, *label; } desk_items[] = {
	{ "acts", N_("Acts") }, { "dead", N_("Dead letters") }, { "staff", N_("Staff") },
	{ "status", N_("Collected / cancelled by hand") },
	{ "force-majeure", N_("Force majeure") },	/* the deadlines work's screen */
	{ "upstream", N_("From upstream: collected, cancelled") },
};
#define N_DESK (int)(sizeof desk_items / sizeof desk_items[0])

static void desk_request(struct ui *u, enum ui_request r)
{
	int key = (int)r - REQ_UI__COUNT;
	if (r == REQ_UI_BACK) {
		ui_go(u, "menu");
		return;
	}
	if (key == KEY_UP || key == KEY_DOWN) {
		u->menu_sel = (u->menu_sel + (key == KEY_UP ? N_DESK - 1 : 1)) % N_DESK;
		return;
	}
	int pick = key >= '1' && key < '1' + N_DESK ? key - '1' : key == '\n' ? u->menu_sel : -1;
	if (pick < 0)
		return;
	if (!screen_by_name(desk_items[pick].screen)) {
		ui_fail(u, "%s", _("force majeure is recorded with the command for now: amanat force-majeure"));
		return;
	}
	ui_go(u, desk_items[pick].screen);
}

static void desk_draw(struct ui *u, int y0, int rows, int cols)
{
	for (int i = 0; i < N_DESK && i < rows; i++) {
		ui_textf(y0 + i, 0, cols, "%c %d %s", i == u->menu_sel ? '>' : ' ', i + 1,
			 ui_fit_label(desk_items[i].label, cols - 4));
	}
}

const struct screen screen_desk = {
	.name = "desk", .enter = dk_reset, .request = desk_request, .draw = desk_draw,
};

/* ---- lists: a chosen row, scrolled to stay in view ---------------------- */

struct list {
	struct ui *u;
	int y, cols;
	long i;			/* row index */
	size_t n;
	char *(*line)(struct list *l, const void *row);	/* malloc'd, NULL: no memory */
};

static void list_row(struct list *l, const void *row, const char *id)
{
	if (l->i == dk.sel)
		snprintf(dk.id, sizeof dk.id, "%s", id);
	if (l->i >= dk.first && l->i < dk.first + (long)dk.page) {
		char *line = l->line(l, row);
		if (l->i == dk.sel)
			attron(A_REVERSE);
		ui_textf(l->y + (int)(l->i - dk.first), 0, l->cols, "%s %s", l->i == dk.sel ? ">" : " ", line ? line : "?");
		attroff(A_REVERSE);
		free(line);
	}
	l->i++;
	l->n++;
}

/* Before drawing: the page and the window on the list. */
static void list_frame(int rows, size_t total)
{
	dk.page = rows > 1 ? (size_t)rows - 1 : 1;
	if (total && dk.sel >= (long)total)
		dk.sel = (long)total - 1;
	if (dk.sel < 0)
		dk.sel = 0;
	if (dk.sel < dk.first)
		dk.first = dk.sel;
	if (dk.sel >= dk.first + (long)dk.page)
		dk.first = dk.sel - (long)dk.page + 1;
}

static void list_footer(int y, int cols, size_t total)
{
	char pos[64];
	su_position((size_t)dk.first, dk.page, total, pos, sizeof pos);
	su_right(y, 0, cols, pos);
}

/* ---- acts --------------------------------------------------------------- */

static char *act_line(struct list *l, const void *row)
{
	const struct act_row *a = row;
	char t[32], n[16];
	time_format_human(a->created_ms, l->u->app->rules.offset_min, t, sizeof t);
	const char *kind = !strcmp(a->kind, "loss") ? _("loss") : _("discrepancy");
	char *line = NULL;
	t[16] = '\0';
	snprintf(n, sizeof n, "×%d", a->copies);
	bool wide = l->cols >= 60;
	const char *id = a->id, *num = strrchr(a->id, '-');
	int idw = ui_width(id);
	/* Every column ends in a space (an id of 19 columns or more ran into
	 * the kind: "ACT-DEMO-DESK-1-0001сәйкессіздік", one word that a
	 * handheld showed as "…").  Where the id and the kind do not fit, the
	 * id's number, which tells the acts apart, stands for it. */
	bool short_id = !wide && num && num != id && idw + 1 + ui_width(kind) > l->cols - 2;
	if ((short_id ? su_append(&line, "…", 0) || su_append(&line, num + 1, 0) || su_append(&line, " ", 0)
		      : su_append(&line, id, idw < 19 ? 19 : idw + 1)) ||
	    su_append(&line, kind, wide ? 14 : 0) ||
	    (wide && (su_append(&line, " ", 0) || su_append(&line, a->register_id[0] ? a->register_id : a->waybill, 16) ||
		      su_append(&line, " ", 0) || su_append(&line, t, 17) || su_append(&line, n, 0)))) {
		free(line);
		return NULL;
	}
	return line;
}

static int act_each(const struct act_row *a, void *arg)
{
	list_row(arg, a, a->id);
	return 0;
}

static size_t count_rows_acts(struct ui *u)
{
	struct list l = { u, 0, 0, 0, 0, act_line };
	struct am_error e;
	long page = (long)dk.page;
	dk.page = 0;	/* count only */
	store_act_each(u->store, act_each, &l, &e);
	dk.page = (size_t)page;
	return l.n;
}

/* The chosen act read on the screen: the same lines as its paper copies
 * (label.h's act_lines), wrapped at words and scrolled with the arrows; a
 * long one (an act of many missing envelopes) says where the page is.  It
 * showed the act's stored JSON before, key by key in English ("kind:
 * inbound", "side: kaspi", "circumstances"), cut at the bottom. */
struct reading {
	struct ui *u;
	int y, y_end, cols;
	long row, first;	/* the wrapped line being placed, the first shown */
};

static void read_line(void *arg, const char *line)
{
	struct reading *r = arg;
	struct wrapped w;
	ui_wrap(line, r->cols, &w);
	for (int i = 0; i < w.n; i++, r->row++)
		if (r->row >= r->first && r->y < r->y_end)
			mvaddwstr(r->y++, 0, w.line[i]);
	ui_wrap_free(&w);
}

static int act_read(const struct act_row *a, void *arg)
{
	struct reading *r = arg;
	char *line = NULL;
	act_lines(a, r->u->app->rules.offset_min, read_line, r);
	if (asprintf(&line, _("copies: %d"), a->copies) >= 0)
		read_line(r, line);
	free(line);
	return 0;
}

static void act_draw_text(struct ui *u, int y0, int rows, int cols)
{
	struct am_error e;
	struct reading count = { u, y0, y0, cols, 0, 0 };	/* nothing drawn: the lines counted */
	if (store_act_get(u->store, dk.id, act_read, &count, &e)) {
		ui_text(y0, 0, cols, e.msg);
		return;
	}
	size_t total = (size_t)count.row;
	dk.read_page = total > (size_t)rows && rows > 1 ? (size_t)rows - 1 : (size_t)rows;
	dk.read_first = (long)su_clamp(dk.read_first, total, dk.read_page);
	struct reading r = { u, y0, y0 + (int)dk.read_page, cols, 0, dk.read_first };
	store_act_get(u->store, dk.id, act_read, &r, &e);
	char pos[64];
	su_position((size_t)dk.read_first, dk.read_page, total, pos, sizeof pos);
	if (pos[0])
		su_right(y0 + rows - 1, 0, cols, pos);
}

static void acts_draw(struct ui *u, int y0, int rows, int cols)
{
	struct am_error e;
	if (dk.reading) {
		act_draw_text(u, y0, rows, cols);
		return;
	}
	dk.page = (size_t)rows;
	size_t total = count_rows_acts(u);
	list_frame(rows, total);
	if (!total) {
		ui_text(y0, 0, cols, _("no acts"));
		return;
	}
	struct list l = { u, y0, cols, 0, 0, act_line };
	store_act_each(u->store, act_each, &l, &e);
	list_footer(y0 + rows - 1, cols, total);
}

static void acts_print(struct ui *u, const char *reason)
{
	struct am_error e;
	if (!dk.id[0]) {
		ui_fail(u, "%s", _("no act chosen"));
		return;
	}
	if (!reason && ui_printed_before(u, PRINT_ACT, dk.id)) {
		ui_set_field(u, "reason");	/* a reprint: why? */
		ui_note(u, _("%s was printed before: type the reason for the reprint"), dk.id);
		return;
	}
	if (ui_print(u, PRINT_ACT, dk.id, NULL, reason, &e)) {
		ui_fail(u, "%s", e.msg);
		return;
	}
	ui_set_field(u, NULL);
	ui_ok(u, _("%s sent to the printer"), dk.id);
}

static void acts_field(struct ui *u, const char *field, const char *value)
{
	if (!strcmp(field, "reason"))
		acts_print(u, value);
}

static void acts_request(struct ui *u, enum ui_request r)
{
	int key = (int)r - REQ_UI__COUNT;
	if (r == REQ_UI_BACK) {
		if (u->field >= 0) {
			ui_set_field(u, NULL);
		} else if (dk.reading) {
			dk.reading = false;
		} else {
			ui_go(u, u->user.role == ROLE_SUPERVISOR ? "desk" : "menu");
		}
	} else if (r == REQ_UI_PRINT) {
		acts_print(u, NULL);
	} else if (key == '\n' && u->field < 0) {
		dk.reading = dk.id[0] != '\0';
		dk.read_first = 0;
	} else if ((int)r >= REQ_UI__COUNT) {
		su_scroll(key, dk.reading ? &dk.read_first : &dk.sel, dk.reading ? dk.read_page : dk.page);
	}
}

const struct screen screen_acts = {
	.name = "acts", .enter = dk_reset, .field = acts_field, .request = acts_request, .draw = acts_draw,
};

/* ---- dead letters ------------------------------------------------------- */

static char *dead_line(struct list *l, const void *row)
{
	const struct event_row *r = row;
	const char *what = r->waybill[0] ? r->waybill : r->register_id;
	char *line = NULL;
	int rc = l->cols >= 60
			 ? asprintf(&line, "#%-6lld %-18s %-15s %s", (long long)r->seq, event_name(r->type), what, r->sync_reason)
			 : asprintf(&line, "#%lld %s", (long long)r->seq, r->sync_reason);
	return rc < 0 ? NULL : line;
}

static int dead_each(const struct event_row *r, void *arg)
{
	list_row(arg, r, r->uuid);
	return 0;
}

/* One page of them read (a terminal long offline may hold thousands). */
static void dead_draw(struct ui *u, int y0, int rows, int cols)
{
	struct am_error e;
	size_t total = 0;
	store_outbox_dead_page(u->store, 0, 0, &total, NULL, NULL, &e);
	list_frame(rows, total);
	if (!total) {
		ui_say(y0, 0, cols, rows, _("no dead letters: the upstream has refused nothing"));
		return;
	}
	struct list l = { u, y0, cols, dk.first, 0, dead_line };
	store_outbox_dead_page(u->store, (size_t)dk.first, dk.page, NULL, dead_each, &l, &e);
	list_footer(y0 + rows - 1, cols, total);
}

static void dead_resend(struct ui *u, bool all)
{
	struct am_error e;
	size_t n = 0;
	if (!all && !dk.id[0]) {
		ui_fail(u, "%s", _("no dead letter chosen"));
		return;
	}
	size_t total = 0;
	if (all && !store_outbox_dead_page(u->store, 0, 0, &total, NULL, NULL, &e) && !total) {
		dk.confirm = false;	/* nothing to ask about */
		ui_note(u, "%s", _("no dead letters: the upstream has refused nothing"));
		return;
	}
	if (all && !dk.confirm) {
		dk.confirm = true;
		ui_note(u, "%s", _("F5 again re-sends every dead letter"));
		return;
	}
	dk.confirm = false;
	struct event_ctx ctx = ui_ctx(u);	/* the outbox_resent event names who */
	if (store_outbox_resend_by(u->store, all ? NULL : dk.id, &ctx, &n, &e)) {
		ui_fail(u, "%s", e.msg);
		return;
	}
	if (u->sync)
		sync_kick(u->sync);
	ui_ok(u, _("%zu event(s) back in the outbox"), n);
}

static void dead_request(struct ui *u, enum ui_request r)
{
	int key = (int)r - REQ_UI__COUNT;
	if (r != REQ_UI_RESEND_ALL)
		dk.confirm = false;
	if (r == REQ_UI_BACK)
		ui_go(u, "desk");
	else if (r == REQ_UI_RESEND || (key == '\n'))
		dead_resend(u, false);
	else if (r == REQ_UI_RESEND_ALL)
		dead_resend(u, true);
	else if ((int)r >= REQ_UI__COUNT)
		su_scroll(key, &dk.sel, dk.page);
}

const struct screen screen_dead = {
	.name = "dead", .enter = dk_reset, .request = dead_request, .draw = dead_draw,
};

/* ---- staff -------------------------------------------------------------- */

/* The badges locked by five wrong PINs now, read from the store before the
 * staff list is drawn (a lock is not a fact of the staff row). */
#define LOCKED_MAX 32
static struct {
	char badge[LOCKED_MAX][64];
	int64_t until[LOCKED_MAX];
	int n;
} locked;

static int locked_one(const char *badge, int64_t until_ms, void *arg)
{
	(void)arg;
	if (locked.n == LOCKED_MAX)
		return 1;
	snprintf(locked.badge[locked.n], sizeof locked.badge[0], "%s", badge);
	locked.until[locked.n++] = until_ms;
	return 0;
}

/* The end of badge's lock, 0 when it is not locked. */
static int64_t locked_until(const char *badge)
{
	for (int i = 0; i < locked.n; i++)
		if (!strcmp(locked.badge[i], badge))
			return locked.until[i];
	return 0;
}

static char *staff_line(struct list *l, const void *row)
{
	const struct staff *st = row;
	int64_t until = locked_until(st->badge);
	char t[32], *lock = NULL, *line = NULL;
	if (until) {
		time_format_local(until, l->u->app->rules.offset_min, t, sizeof t);
		if (asprintf(&lock, _("locked until %s"), t + 11) < 0)
			return NULL;
	}
	bool bad;
	if (l->cols >= 60)
		bad = su_append(&line, st->badge, 15) || su_append(&line, st->name, 29) ||
		      su_append(&line, _(staff_role_name(st->role)), 14) ||
		      (!st->active &&
		       su_append(&line, _("(switched off)"), until ? 1 + ui_width(_("(switched off)")) : 0)) ||
		      su_append(&line, lock ? lock : "", 0);
	else
		bad = asprintf(&line, "%s%s%s %s", st->active ? "" : "✗ ", until ? "! " : "", st->badge, st->name) < 0;
	free(lock);
	if (bad) {
		if (l->cols >= 60)
			free(line);
		return NULL;
	}
	return line;
}

static int staff_each(const struct staff *st, void *arg)
{
	list_row(arg, st, st->badge);
	return 0;
}

static void staff_draw(struct ui *u, int y0, int rows, int cols)
{
	struct am_error e;
	struct list count = { u, 0, 0, 0, 0, staff_line };
	locked.n = 0;
	store_staff_locked_each(u->store, now_ms(), locked_one, NULL, &e);
	size_t page = dk.page;
	dk.page = 0;
	store_staff_each(u->store, staff_each, &count, &e);
	dk.page = page;
	list_frame(rows, count.n);
	struct list l = { u, y0, cols, 0, 0, staff_line };
	store_staff_each(u->store, staff_each, &l, &e);
	list_footer(y0 + rows - 1, cols, count.n);
}

static void staff_done(struct ui *u, const char *what, const char *badge, struct am_error *e)
{
	if (desk_event(u, json_pack("{s:s, s:s, s:s}", "desk", "staff", "action", what, "badge", badge), e)) {
		ui_fail(u, "%s", e->msg);
		return;
	}
	dk.pending = REQ_UI__COUNT;
	ui_set_field(u, NULL);
	ui_ok(u, "%s: %s", badge, _(what));
}

static void staff_field(struct ui *u, const char *field, const char *value)
{
	struct am_error e;
	struct staff st;
	if (!strcmp(field, "badge")) {
		if (!store_staff_get(u->store, value, &st, &e)) {
			ui_fail(u, _("%s is already on the staff: choose it and use F3 or F4"), value);
			return;
		}
		snprintf(dk.badge, sizeof dk.badge, "%s", value);
		ui_set_field(u, "name");
	} else if (!strcmp(field, "name")) {
		snprintf(dk.name, sizeof dk.name, "%s", value);
		ui_set_field(u, "role");
	} else if (!strcmp(field, "role")) {
		int r = value[0] >= '1' && value[0] <= '4' && !value[1] ? value[0] - '1' : staff_role_from_name(value);
		if (r < 0) {
			ui_fail(u, "%s", _("a role is 1 clerk, 2 courier, 3 supervisor or 4 sorting"));
			return;
		}
		dk.role = r;
		ui_set_field(u, "pin");
	} else if (!strcmp(field, "pin")) {
		if (dk.pending == REQ_UI_RESET_PIN) {
			if (store_staff_get(u->store, dk.badge, &st, &e) || store_staff_add(u->store, &st, value, &e)) {
				ui_fail(u, "%s", e.msg);
				return;
			}
			staff_done(u, N_("new PIN set"), st.badge, &e);
			return;
		}
		memset(&st, 0, sizeof st);
		snprintf(st.badge, sizeof st.badge, "%s", dk.badge);
		snprintf(st.name, sizeof st.name, "%s", dk.name);
		st.role = (enum staff_role)dk.role;
		st.active = true;
		if (store_staff_add(u->store, &st, value, &e)) {
			ui_fail(u, "%s", e.msg);
			return;
		}
		staff_done(u, N_("added"), st.badge, &e);
	}
}

static void staff_request(struct ui *u, enum ui_request r)
{
	int key = (int)r - REQ_UI__COUNT;
	struct am_error e;
	struct staff st;
	bool confirm = dk.confirm;
	dk.confirm = false;
	if (r == REQ_UI_BACK) {
		if (u->field >= 0) {
			dk.pending = REQ_UI__COUNT;
			ui_set_field(u, NULL);
		} else {
			ui_go(u, "desk");
		}
	} else if (r == REQ_UI_ADD) {
		dk.pending = REQ_UI_ADD;
		ui_set_field(u, "badge");
	} else if (r == REQ_UI_UNLOCK) {
		struct event_ctx ctx = ui_ctx(u);
		if (!dk.id[0]) {
			ui_fail(u, "%s", _("choose a person with the arrows first"));
			return;
		}
		if (store_staff_unlock(u->store, dk.id, &ctx, &e)) {
			ui_fail(u, "%s", e.msg);
			return;
		}
		ui_ok(u, _("badge %s is unlocked: it can log in again"), dk.id);
	} else if (r == REQ_UI_RESET_PIN || r == REQ_UI_DEACTIVATE) {
		if (!dk.id[0] || store_staff_get(u->store, dk.id, &st, &e)) {
			ui_fail(u, "%s", _("choose a person with the arrows first"));
			return;
		}
		snprintf(dk.badge, sizeof dk.badge, "%s", st.badge);
		if (r == REQ_UI_RESET_PIN) {
			dk.pending = REQ_UI_RESET_PIN;
			ui_set_field(u, "pin");
			return;
		}
		if (!strcmp(st.badge, u->user.badge)) {
			ui_fail(u, "%s", _("you cannot switch yourself off"));
			return;
		}
		if (!confirm) {
			dk.confirm = true;
			ui_note(u, st.active ? _("F3 again switches %s off: no more log-in")
							      : _("F3 again lets %s log in again"), st.name);
			return;
		}
		/* the PIN is kept: switching is a flag (upsert with the same hash is
		 * not possible from here), so off/on goes through the store's own */
		if (store_staff_set_active(u->store, st.badge, !st.active, &e)) {
			ui_fail(u, "%s", e.msg);
			return;
		}
		staff_done(u, st.active ? N_("switched off") : N_("switched on"), st.badge, &e);
	} else if ((int)r >= REQ_UI__COUNT && u->field < 0) {
		su_scroll(key, &dk.sel, dk.page);
	}
}

static void staff_enter(struct ui *u)
{
	dk_reset(u);
	dk.pending = REQ_UI__COUNT;
}

const struct screen screen_staff = {
	.name = "staff", .enter = staff_enter, .field = staff_field, .request = staff_request, .draw = staff_draw,
};
