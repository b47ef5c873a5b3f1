/*
 * ui.c - the engine of the terminal UI.
 *
 * One poll() loop reads the keyboard (and, as they are plugged in, other
 * sources); the current screen's form gives the fields in scan order and
 * the keys; its C side gets each validated field and each request and
 * draws the body.  Layout classes: handheld (20x16 and up) and desk (80x24
 * and up).  An error is a block that stays until a key or the next scan.
 */
#include <fcntl.h>
#include <form.h>
#include <panel.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>
#include "amanat/classify.h"
#include "amanat/codes.h"
#include "amanat/date_input.h"
#include "amanat/i18n.h"
#include "amanat/scan.h"
#include "amanat/spawn.h"
#include "amanat/sync.h"
#include "amanat/timeutil.h"
#include "ui_internal.h"

#define MIN_COLS 20
#define MIN_ROWS 16

static FIELD *in_fields[2];
static FORM *in_form;
static WINDOW *in_win;
static WINDOW *err_win;
/* What is in the input field (malloc'd, NULL when empty): survives a
 * redraw and a resize. */
static char *typed;
/* Keyboard-wedge scanners send keys 7-16 ms apart, people 100 ms and more:
 * a burst of at least 4 keys under 30 ms apart ending in Enter is a scan,
 * anything else was typed by hand (allowed, and recorded as typed). */
static struct burst burst;
/* Keys on a screen without an input field wait 40 ms: a scanner's burst
 * there is a scan (never menu choices), a single key is a person's. */
#define PENDING_MAX 128
#define PENDING_WAIT_MS 40
/* Keys under BURST_GAP_MS apart that are not menu choices (pending_machine)
 * were not typed by a person: they wait this long for the scanner's Enter,
 * then are dropped, never taken as menu choices (a scanner that sends its
 * Enter late, a code with no Enter). */
#define PENDING_SCAN_WAIT_MS 1500
static wint_t pending[PENDING_MAX];
static int n_pending;

/* The field's text without the padding; malloc'd. */
static char *field_text(void)
{
	form_driver(in_form, REQ_VALIDATION);
	char *t = strdup(field_buffer(in_fields[0], 0));
	if (t) {
		char *end = t + strlen(t);
		while (end > t && end[-1] == ' ')
			*--end = '\0';
	}
	return t;
}

static void typed_clear(void)
{
	free(typed);
	typed = NULL;
}

/* A secret field (a PIN) shows one * per character typed, never the text. */
static bool secret_field;

static void mask_secret(void)
{
	if (!in_form || !secret_field || !in_win)
		return;
	int width = getmaxx(in_win), n = typed ? (int)mbstowcs(NULL, typed, 0) : 0;
	wmove(in_win, 0, 0);
	for (int i = 0; i < width; i++)
		waddch(in_win, (i < n ? '*' : ' ') | A_UNDERLINE);
	wmove(in_win, 0, n < width ? n : width - 1);
	wsyncup(in_win);	/* stdscr must know these cells changed */
}

static void sync_typed(void)
{
	if (!in_form)
		return;
	typed_clear();
	typed = field_text();
	if (typed && !*typed)
		typed_clear();
	mask_secret();
}
static PANEL *err_panel;

/* ---- messages and beeps ------------------------------------------------ */

/* beep_command: a program and its arguments split at spaces, run with "ok"
 * or "error" added, without a shell and without waiting for it (SIGCHLD is
 * ignored: the children reap themselves). */
static void run_beeper(struct ui *u, const char *kind)
{
	const char *cmd = config_get(u->app->cfg, "beep_command", NULL);
	if (!cmd || !*cmd)
		return;
	/* No shell: the words of the line are the program and its arguments,
	 * then "ok" or "error" (spawn.h). */
	char *line = strdup(cmd);
	const char *argv[16];
	int argc = 0;
	if (!line)
		return;
	for (char *save = NULL, *w = strtok_r(line, " \t", &save); w && argc < 14; w = strtok_r(NULL, " \t", &save))
		argv[argc++] = w;
	argv[argc++] = kind;
	argv[argc] = NULL;
	struct am_error e;
	if (argc > 1)
		spawn_run(argv, SPAWN_QUIET | SPAWN_NOWAIT, NULL, &e);
	free(line);
}

/* Bells never stop the loop: the first rings now, the rest from the loop. */
static int bells_due;
static int64_t next_bell_ms;

static char *format(const char *fmt, va_list ap)
{
	char *s = NULL;
	if (vasprintf(&s, fmt, ap) < 0)
		return NULL;
	return s;
}

/* A formatted string (malloc'd), NULL when memory is out. */
static char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = format(fmt, ap);
	va_end(ap);
	return s;
}

/* The code being handled, kept with what is said about it: a terminal too
 * small for the screen still shows "✓ …8737KZ" (draw_small_outcome). */
static void said_about(struct ui *u, bool code)
{
	const char *c = u->read_code ? u->read_code : u->read_raw;
	free(u->said_code);
	u->said_code = code && c && *c ? strdup(c) : NULL;
}

void ui_fail(struct ui *u, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = format(fmt, ap);
	va_end(ap);
	free(u->alarm);
	u->alarm = s ? s : strdup("✗");
	/* every error shows the code as it was read */
	if (u->alarm && u->read_raw && *u->read_raw && !strstr(u->alarm, u->read_raw)) {
		char *all = xasprintf("%s - %s %s", u->alarm, _("read:"), u->read_raw);
		if (all) {
			free(u->alarm);
			u->alarm = all;
		}
	}
	free(u->note);
	u->note = NULL;
	u->note_ok = false;
	said_about(u, true);
	/* a long, distinct signal: three bells, 120 ms apart */
	beep();
	bells_due = 2;
	next_bell_ms = now_ms() + 120;
	run_beeper(u, "error");
	u->dirty = true;
}

static void set_note(struct ui *u, const char *fmt, va_list ap)
{
	free(u->note);
	u->note = format(fmt, ap);
	u->note_ok = false;
	said_about(u, false);
	u->dirty = true;
}

void ui_ok(struct ui *u, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	set_note(u, fmt, ap);
	va_end(ap);
	u->note_ok = true;
	said_about(u, true);
	free(u->alarm);
	u->alarm = NULL;
	beep();			/* one short bell */
	run_beeper(u, "ok");
}

void ui_note(struct ui *u, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	set_note(u, fmt, ap);
	va_end(ap);
}

static void acknowledge(struct ui *u)
{
	if (u->alarm)
		said_about(u, false);
	free(u->alarm);
	u->alarm = NULL;
	u->dirty = true;
}

const char *ui_event_label(enum event_type t)
{
	switch (t) {
	case EV_REGISTERED: return _("on a register");
	case EV_HANDED_TO_POINT: return _("at the point, not accepted");
	case EV_ACCEPTED: return _("matched");
	case EV_OUT_FOR_DELIVERY: return _("to the courier");
	case EV_PLACED: return _("placed");
	case EV_COLLECTED: return _("collected");
	case EV_EXPIRED_REMOVED: return _("removed");
	case EV_RETURNED_TO_POINT: return _("back at the point");
	case EV_HANDED_BACK: return _("handed back");
	case EV_LOST: return _("lost: act drawn up");
	case EV_CANCELLED: return _("cancelled");
	case EV_DELAYED: return _("new date");
	case EV_DAMAGED: return _("damaged");
	case EV_CELL_CHANGED: return _("another cell");
	case EV_SCAN_UNEXPECTED: return _("not on the register");
	case EV_BADGE_LOCKED: return _("badge locked: 5 wrong PINs");
	case EV_BADGE_UNLOCKED: return _("badge unlocked");
	case EV_NOTE: return _("note");
	case EV_PRINTED: return _("printed");
	case EV_REGISTER_FINISHED: return _("register finished");
	case EV_ACT_DRAWN: return _("act drawn up");
	case EV_FORCE_MAJEURE: return _("force majeure started");
	case EV_FORCE_MAJEURE_ENDED: return _("force majeure ended");
	case EV_FORCE_MAJEURE_DOCUMENT: return _("force majeure: document");
	case EV_FORCE_MAJEURE_NOTIFIED: return _("force majeure: notice sent");
	case EV_SHIFT_OPENED: return _("shift opened");
	case EV_SHIFT_CLOSED: return _("shift closed");
	case EV_DEADLINE_MISSED: return _("deadline breached");
	case EV_DEADLINE_CLOSED_LATE: return _("closed late");
	case EV_BROUGHT_BACK: return _("brought back");
	case EV_OUTBOX_RESENT: return _("re-sent upstream");
	case EV__COUNT: break;
	}
	return event_name(t);	/* every type has its words above: -Wswitch says when one is added */
}

const char *ui_event_new_date(const struct event_row *r, char *buf, size_t len)
{
	const char *until = r->type == EV_DELAYED && r->payload ? strstr(r->payload, "\"until\":\"") : NULL;
	char iso[11];
	if (!until || strlen(until) < 19)
		return NULL;
	snprintf(iso, sizeof iso, "%.10s", until + 9);
	return date_input_shown(iso, buf, len) == 0 ? buf : NULL;	/* as people write it */
}

struct recent {
	struct ui *u;
	int y, rows, cols, n;
	char date[16];
};

static int recent_line(const struct event_row *r, void *arg)
{
	struct recent *c = arg;
	char t[32], *line = NULL;
	const char *mark = r->type == EV_LOST || r->type == EV_DAMAGED || r->type == EV_SCAN_UNEXPECTED ? "!" : "✓";
	time_format_local(r->at_ms, c->u->app->rules.offset_min, t, sizeof t);
	const char *what = ui_event_new_date(r, c->date, sizeof c->date);	/* the new date is the point */
	if (!what)
		what = ui_event_label(r->type);
	int ok;
	if (c->cols >= 60) {
		ok = asprintf(&line, "%s %s  %s  %s", mark, t + 11, r->waybill, what);
	} else {
		line = ui_code_line(mark, r->waybill, what, what == c->date ? what : ui_event_short(r->type), c->cols);
		ok = line ? 0 : -1;
	}
	if (ok >= 0)
		ui_text(c->y + c->n, 0, c->cols, line);
	free(line);
	c->n++;
	return c->n >= c->rows;
}

int ui_draw_recent(struct ui *u, uint32_t types, int y, int rows, int cols)
{
	struct am_error e;
	struct recent c = { u, y, rows, cols, 0, "" };
	if (rows <= 0)
		return 0;
	store_recent_events(u->store, ui_ctx(u).actor, u->shift.opened_ms, types, rows, recent_line, &c, &e);
	return c.n;
}

bool ui_take_envelope(struct ui *u, const char *waybill, char *out, size_t len, const char *next)
{
	struct envelope v;
	struct am_error e;
	if (store_envelope_get(u->store, waybill, &v, &e)) {
		ui_fail(u, "%s", e.msg);
		return false;
	}
	snprintf(out, len, "%s", waybill);
	if (next)
		ui_set_field(u, next);
	return true;
}

void ui_back_to_menu(struct ui *u, enum ui_request r)
{
	/* a screen the supervisor's desk opened goes back to the desk */
	bool desk = u->came_from && !strcmp(u->came_from->name, "desk");
	if (r == REQ_UI_BACK || r == REQ_UI_DONE)
		ui_go(u, desk ? "desk" : "menu");
}

struct event_ctx ui_ctx(const struct ui *u)
{
	struct event_ctx c = { u->user.badge[0] ? u->user.badge : u->app->actor, u->app->place, 0, u->input };
	return c;
}

/* ---- the input field (formw) ------------------------------------------- */

/* Take the input field down; *keep (when given) gets its text (malloc'd). */
static void input_free(char **keep)
{
	if (keep)
		*keep = in_form ? field_text() : NULL;
	if (in_form) {
		unpost_form(in_form);
		free_form(in_form);
		in_form = NULL;
	}
	if (in_fields[0]) {
		free_field(in_fields[0]);
		in_fields[0] = NULL;
	}
	if (in_win) {
		delwin(in_win);
		in_win = NULL;
	}
}

static void input_make(struct ui *u, int y, int x, int width, const char *text)
{
	input_free(NULL);
	if (u->field < 0 || width < 2)
		return;
	const struct form_field *fd = &u->def.fields[u->field];
	in_fields[0] = new_field(1, width, 0, 0, 0, 0);
	in_fields[1] = NULL;
	if (!in_fields[0])
		return;
	field_opts_off(in_fields[0], O_AUTOSKIP | O_STATIC | O_BLANK);
	set_max_field(in_fields[0], fd->max + 16);
	set_field_back(in_fields[0], A_UNDERLINE);
	secret_field = fd->kind == FIELD_SECRET;
	if (secret_field)
		field_opts_off(in_fields[0], O_PUBLIC);
	in_form = new_form(in_fields);
	in_win = derwin(stdscr, 1, width, y, x);
	if (!in_form || !in_win) {
		input_free(NULL);
		return;
	}
	set_form_win(in_form, stdscr);
	set_form_sub(in_form, in_win);
	post_form(in_form);
	if (text && *text) {
		set_field_buffer(in_fields[0], 0, text);
		form_driver(in_form, REQ_END_LINE);
	}
	mask_secret();
}

/* ---- date fields: a date shown, moved with the arrows ------------------ */

/* The field shows a date it was given (today, or a step from it), not one
 * typed: the first key typed replaces it. */
static bool date_shown;

/* A date field (kind date), or a date and time (validate=datetime). */
static bool date_field(const struct ui *u, bool *with_time)
{
	if (u->field < 0)
		return false;
	const struct form_field *fd = &u->def.fields[u->field];
	*with_time = !strcmp(fd->validate, "datetime");
	return fd->kind == FIELD_DATE || *with_time;
}

static int64_t today_local(const struct ui *u)
{
	return (now_ms() + u->app->rules.offset_min * 60000LL) / 86400000LL;
}

/* A date field starts with today's date (and the time now): dd.mm.yyyy. */
static void date_prefill(struct ui *u)
{
	bool with_time;
	char day[16], t[32], *text = NULL;
	date_shown = false;
	if (!date_field(u, &with_time))
		return;
	date_input_format(today_local(u), day, sizeof day);
	time_format_local(now_ms(), u->app->rules.offset_min, t, sizeof t);	/* 2026-03-20 12:00 */
	if (asprintf(&text, "%s%s%.6s", day, with_time ? " " : "", with_time ? t + 11 : "") < 0)
		return;
	typed = text;
	date_shown = true;
}

/* Up/Down a day later/earlier, PgUp/PgDn a month, on a date field; a
 * field from=today (a new delivery date) stops at today: a step that would
 * go before it lands on today, with what followed the date kept. */
static bool date_step(struct ui *u, int key)
{
	bool with_time;
	int days = key == KEY_UP ? 1 : key == KEY_DOWN ? -1 : 0;
	int months = key == KEY_PPAGE ? 1 : key == KEY_NPAGE ? -1 : 0;
	if (!in_form || (!days && !months) || !date_field(u, &with_time))
		return false;
	char *cur = field_text(), out[64] = "", date[16];
	int64_t today = today_local(u), day;
	int rc = date_input_step(cur ? cur : "", today, days, months, out, sizeof out);
	free(cur);
	snprintf(date, sizeof date, "%.*s", (int)strcspn(out, " "), out);	/* dd.mm.yyyy */
	if (!rc && u->def.fields[u->field].from_today && date_input_parse(date, today, &day, NULL, 0) == 0 && day < today) {
		char stepped[64];
		snprintf(stepped, sizeof stepped, "%s", out);
		rc = date_input_step(stepped, today, (int)(today - day), 0, out, sizeof out);
	}
	if (rc) {
		ui_note(u, "%s", _("a date is written 21.03.2026"));
		return true;
	}
	set_field_buffer(in_fields[0], 0, out);
	form_driver(in_form, REQ_END_LINE);
	date_shown = true;
	return true;
}

/* ---- screens and fields ------------------------------------------------ */

void ui_set_field(struct ui *u, const char *name)
{
	u->field = name ? form_field_index(&u->def, name) : -1;
	typed_clear();
	date_prefill(u);
	u->dirty = true;
}

void ui_go(struct ui *u, const char *name)
{
	const struct screen *s = screen_by_name(name);
	struct am_error e = { "" };
	struct form_def def;
	if (!s || form_load(name, &def, &e)) {
		ui_fail(u, "%s: %s", name, e.msg[0] ? e.msg : _("no such screen"));
		return;
	}
	/* A new screen starts from nothing but the store: the previous one's
	 * working state goes with it. */
	void *state = calloc(1, s->state_size ? s->state_size : 1);
	if (!state) {
		form_free(&def);
		ui_fail(u, "%s", _("out of memory"));
		return;
	}
	form_free(&u->def);
	u->def = def;
	if (u->scr && u->scr->leave && u->state)
		u->scr->leave(u);
	free(u->state);
	u->state = state;
	if (u->scr != s)
		u->came_from = u->scr;
	u->scr = s;
	u->show_help = false;
	u->help_scroll = 0;
	u->field = u->def.n_fields ? 0 : -1;
	typed_clear();
	date_prefill(u);
	u->scroll = u->menu_sel = 0;
	free(u->note);
	u->note = NULL;
	u->note_ok = false;
	said_about(u, false);
	if (s->enter)
		s->enter(u);
	u->dirty = true;
}

static void request(struct ui *u, enum ui_request r)
{
	if (r == REQ_UI_QUIT) {
		u->quit = true;
		return;
	}
	if (r == REQ_UI_HELP) {
		u->show_help = !u->show_help;
		u->dirty = true;
		return;
	}
	if (u->scr->request)
		u->scr->request(u, r);
	u->dirty = true;
}

/* ---- drawing ----------------------------------------------------------- */

/* A key's label as people read it: the form's own, else the request's. */
static const char *key_label_whole(const struct form_key *k)
{
	return k->label && *k->label ? _(k->label) : ui_request_label(k->request);
}

/* The same in the legend: on a handheld its short form where the
 * catalogues have one ("Unlock" -> "Ашу"). */
static const char *key_label(const struct ui *u, const struct form_key *k)
{
	const char *msgid = k->label && *k->label ? k->label : ui_request_msgid(k->request);
	if (u->layout == LAYOUT_HANDHELD && ui_has_short(msgid))
		return i18n_short("handheld", msgid);
	return _(msgid);
}

void ui_age(int64_t ms, char *buf, size_t len)
{
	int64_t min = ms / MS_PER_MINUTE;
	if (min < 60)
		snprintf(buf, len, _("%lldm"), (long long)min);
	else if (min < (int64_t)48 * 60)
		snprintf(buf, len, _("%lldh"), (long long)(min / 60));
	else
		snprintf(buf, len, _("%lldd"), (long long)(min / 1440));
}

static void draw_status(struct ui *u)
{
	size_t depth = 0, dead = 0;
	int64_t oldest = 0;
	struct am_error e;
	char right[64], age[16] = "", clock[32], *left = NULL;
	store_outbox_stats(u->store, &depth, &oldest, &dead, &e);
	if (depth)
		ui_age(now_ms() - oldest, age, sizeof age);
	time_format_local(now_ms(), u->app->rules.offset_min, clock, sizeof clock);
	if (u->layout == LAYOUT_DESK) {
		static const char *const langs[] = { "kk", "ҚАЗ", "ru", "РУС", "en", "ENG" };
		const char *lang = "ҚАЗ";
		for (int i = 0; i < 6; i += 2)
			if (!strcmp(i18n_language(), langs[i]))
				lang = langs[i + 1];
		snprintf(right, sizeof right, "⇡%zu%s%s · %s · %s", depth, age[0] ? " " : "", age, clock + 11, lang);
		if (u->user.badge[0])
			left = xasprintf("amanat · %s · %s (%s)", u->app->place, u->user.name,
					 _(staff_role_name(u->user.role)));
		else
			left = xasprintf("amanat · %s", u->app->place);
	} else {
		/* Where the courier is (a postomat's code) is never cut: the
		 * outbox's age gives way first, then a count of five digits
		 * and more shows as 9999+.  A title takes its short form when
		 * the long one does not fit ("Тапсыруды қабылдау" -> "Қабылдау"). */
		const char *where = u->scr->status ? u->scr->status(u) : NULL;
		for (int step = 0; step < 3; step++) {
			if (step == 0)
				snprintf(right, sizeof right, "⇡%zu%s%s", depth, age[0] ? " " : "", age);
			else if (step == 1)
				snprintf(right, sizeof right, "⇡%zu", depth);
			else if (depth > 9999)
				snprintf(right, sizeof right, "⇡9999+");
			int room = u->cols - ui_width(right) - 1;
			free(left);
			left = xasprintf("%s", where && *where ? where : ui_fit_label(u->def.title, room));
			if (!left || ui_width(left) <= room)
				break;
		}
	}
	const char *warn = NULL;	/* the handheld's scanner warning, on the rule under the line */
	if (u->scanner_state && u->layout == LAYOUT_HANDHELD) {
		/* 20 columns hold the postomat's code or the warning, not
		 * both: the code keeps the status line (where the courier is
		 * never moves), the warning takes the rule under it, in whole
		 * words ("⚠ сканер ажыратылды", or its short form) */
		warn = ui_width(u->scanner_state) + 2 <= u->cols ? u->scanner_state
		     : C_("handheld", "scanner disconnected");
	} else if (u->scanner_state) {	/* the scanner is missing: say it where it is always seen */
		/* a short handheld (40x8, no rule): beside the postomat's code
		 * when both fit ("PM-ALM-0042 ⚠ сканер ажыратылды") */
		const char *where = u->layout == LAYOUT_COMPACT && u->scr->status ? u->scr->status(u) : NULL;
		const char *forms[2] = { u->scanner_state, C_("handheld", "scanner disconnected") };
		char *both = NULL;
		for (int i = 0; where && *where && i < 2 && !both; i++) {
			both = xasprintf("%s ⚠ %s", where, forms[i]);
			if (both && ui_width(both) > u->cols - ui_width(right) - 1) {
				free(both);
				both = NULL;
			}
		}
		free(left);
		left = both ? both : xasprintf("⚠ %s", u->scanner_state);
		/* a handheld: its short form ("⚠ сканер жоқ", never "⚠ сканер…"),
		 * and the ⇡ count without its age when even that does not fit */
		if (!both && left && ui_width(left) > u->cols - ui_width(right) - 1) {
			free(left);
			left = xasprintf("⚠ %s", C_("handheld", "scanner disconnected"));
			if (left && ui_width(left) > u->cols - ui_width(right) - 1)
				snprintf(right, sizeof right, "⇡%zu", depth);
		}
	}
	int rw = ui_width(right);
	ui_text(0, 0, u->cols - rw - 1, left ? left : "");
	ui_text(0, u->cols - rw, rw, right);
	free(left);
	if (u->layout != LAYOUT_COMPACT)
		ui_hline(1, u->cols);
	if (warn) {
		char *w = xasprintf("⚠ %s", warn);
		attron(A_REVERSE);
		ui_text(1, 0, u->cols, w ? w : "⚠");
		attroff(A_REVERSE);
		free(w);
	}
}

/* A key in the legend: "F9 Print", or its name alone. */
static char *legend_item(const struct ui *u, const struct form_key *k, bool labeled)
{
	return labeled ? xasprintf("%s %s", k->key_name, key_label(u, k)) : xasprintf("%s", k->key_name);
}

/* Esc and F1 keep their labels always: F1 is where every key is explained. */
static bool always_labeled(const struct form_key *k)
{
	return k->key == 27 || k->key == KEY_F(1);
}

/* Lay the legend out from row y0 (drawing it when draw): the first
 * n_labeled keys (and Esc, F1) with labels, the rest by name alone.
 * Returns the rows it needs. */
static int legend_layout(struct ui *u, int n_labeled, int y0, bool draw)
{
	int rows = 1, x = 0, gap = u->layout == LAYOUT_DESK ? 2 : 1;
	for (int i = 0; i < u->def.n_keys; i++) {
		const struct form_key *k = &u->def.keys[i];
		char *item = legend_item(u, k, i < n_labeled || always_labeled(k));
		if (!item)
			break;
		int w = ui_width(item);
		if (x && x + w > u->cols) {
			rows++;
			x = 0;
		}
		if (draw && y0 + rows - 1 < u->rows)
			ui_text(y0 + rows - 1, x, u->cols - x, item);
		free(item);
		x += w + gap;
	}
	return rows;
}

/* How many keys keep their labels: all when they fit in the legend's rows
 * (a desk 2, a handheld 4, a short handheld 2), else as many as fit and the
 * rest show by name (F1 lists them all with their labels). */
static int legend_labeled(struct ui *u, int *rows)
{
	int most = u->layout == LAYOUT_HANDHELD ? 4 : 2, n = u->def.n_keys;
	while (n > 0 && legend_layout(u, n, 0, false) > most)
		n--;
	*rows = legend_layout(u, n, 0, false);
	if (n < u->def.n_keys && u->rows >= 16)	/* room for four rows: every key should say what it does */
		ui_fit_report("a key without its label", u->def.name, u->cols);
	if (*rows > most) {
		ui_fit_report("a key beyond the legend", u->def.name, u->cols);
		*rows = most;
	}
	return n;
}

/* The error block's parts: " - " separates them (the title first); a long
 * title without parts is split at its first ": " ("reason: detail"). */
static int alarm_parts(const char *msg, char ***out)
{
	char *copy = strdup(msg), *p = copy;
	char **parts = NULL;
	int n = 0;
	*out = NULL;
	if (!copy)
		return 0;
	while (*p) {
		char *cut = strstr(p, " - ");
		size_t skip = 3;
		if (!cut && n == 0 && ui_width(p) > 40 && (cut = strstr(p, ": ")))
			skip = 2;
		if (cut)
			*cut = '\0';
		char **grown = realloc(parts, (size_t)(n + 1) * sizeof *grown);
		if (!grown)
			break;
		parts = grown;
		parts[n] = xasprintf("%s%s", n == 0 ? "✗ " : "", p);
		if (!parts[n])
			break;
		n++;
		if (!cut)
			break;
		p = cut + skip;
	}
	free(copy);
	*out = parts;
	return n;
}

/* The error block's lines: its parts wrapped (display columns), then how
 * to close it, always the last of w; lines counts them all. */
struct error_lines {
	struct wrapped w[8];
	int n_w, lines, title_lines;
};

static void error_wrap(const struct ui *u, int cols, struct error_lines *el)
{
	char **parts;
	int n_parts = alarm_parts(u->alarm, &parts);
	memset(el, 0, sizeof *el);
	for (int i = 0; i < n_parts; i++) {
		if (el->n_w < 7) {
			el->lines += ui_wrap(parts[i], cols, &el->w[el->n_w++]);
			if (i == 0)
				el->title_lines = el->lines;
		}
		free(parts[i]);
	}
	free(parts);
	el->lines += ui_wrap(_("Enter/scan: close"), cols, &el->w[el->n_w++]);
}

static void error_lines_free(struct error_lines *el)
{
	for (int i = 0; i < el->n_w; i++)
		ui_wrap_free(&el->w[i]);
	el->n_w = 0;
}

/* The error block: h rows from row y0, over the body (never over the
 * prompt: draw() gives it only the rows the prompt does not take). */
static void draw_error(struct ui *u, struct error_lines *el, int y0, int cols, int h)
{
	struct wrapped *w = el->w;
	int n_w = el->n_w, lines = el->lines;
	if (err_panel) {
		del_panel(err_panel);
		err_panel = NULL;
	}
	if (err_win)
		delwin(err_win);
	err_win = h > 0 ? newwin(h, cols, y0, 0) : NULL;
	if (err_win) {
		err_panel = new_panel(err_win);
		wbkgd(err_win, A_REVERSE);
		werase(err_win);
		for (int r = 0; r < h; r++)
			mvwhline(err_win, r, 0, ' ', cols);
		/* The lines that say how to close always show; the message fills
		 * what is left of the block from the top. */
		int pad = h >= lines + 2 ? 1 : 0, room = h - 2 * pad;
		int close_n = w[n_w - 1].n, msg_room = room - close_n, y = pad, row = 0;
		for (int i = 0; i < n_w; i++)
			for (int j = 0; j < w[i].n; j++, row++) {
				bool closing = i == n_w - 1;
				if (!closing && row >= msg_room) {
					if (row == msg_room)
						ui_fit_report("error lines beyond the block", u->alarm, cols);
					continue;
				}
				if (row < el->title_lines)
					wattron(err_win, A_BOLD);
				mvwaddwstr(err_win, y++, 0, w[i].line[j]);
				wattroff(err_win, A_BOLD);
			}
		show_panel(err_panel);
	}
}

/* F1: what the screen is for, and every key of its form; the arrows scroll. */
static void draw_help(struct ui *u, int y0, int rows)
{
	struct wrapped all = { NULL, 0, false };
	struct wrapped help;
	ui_wrap(u->def.help && *u->def.help ? _(u->def.help) : "", u->cols, &help);
	int total = help.n + u->def.n_keys;
	if (u->help_scroll > total - rows)
		u->help_scroll = total - rows > 0 ? total - rows : 0;
	int y = y0;
	for (int i = u->help_scroll; i < total && y < y0 + rows; i++) {
		if (i < help.n) {
			mvaddwstr(y++, 0, help.line[i]);
			continue;
		}
		const struct form_key *k = &u->def.keys[i - help.n];
		char *item = xasprintf("%-4s %s", k->key_name, key_label_whole(k));	/* F1: whole */
		if (item)
			ui_text(y++, 0, u->cols, item);
		free(item);
	}
	if (total > rows && u->help_scroll + rows < total)
		mvaddstr(y0 + rows - 1, u->cols - 1, "↓");
	ui_wrap_free(&help);
	ui_wrap_free(&all);
}

/* What the last scan or key came to, on a terminal too small for the
 * screen, from row 0: whole when it wraps into rows without cutting a word,
 * else one row, its mark and the code's tail ("✓ …8737KZ"), inverted for
 * an error.  A scan confirmed says so at any size; the whole line is there
 * again when the terminal grows.  Returns the rows used. */
static int draw_small_outcome(const struct ui *u, int rows, int cols)
{
	static const char *const marks[] = { "✓", "=", "!", "✗" };
	const char *msg = u->alarm ? u->alarm : u->note, *mark = u->alarm ? "✗" : u->note_ok ? "✓" : "";
	if (!msg || !*msg || rows < 1)
		return 0;
	for (int i = 0; i < 4; i++) {
		size_t len = strlen(marks[i]);
		if (!strncmp(msg, marks[i], len) && msg[len] == ' ') {	/* the message has its own */
			mark = marks[i];
			msg += len + 1;
		}
	}
	char *whole = xasprintf("%s%s%s", mark, *mark ? " " : "", msg), *line = NULL;
	struct wrapped w = { NULL, 0, false };
	if (whole)
		ui_wrap(whole, cols, &w);
	int used = 0;
	if (u->alarm)
		attron(A_REVERSE);
	if (w.n > 0 && w.n <= rows && !w.cut_word) {
		for (; used < w.n; used++)
			mvaddwstr(used, 0, w.line[used]);
	} else {
		int room = cols - (*mark ? ui_width(mark) + 1 : 0);
		char *tail = u->said_code ? ui_cut_left(u->said_code, room) : ui_cut(msg, room);
		line = tail ? xasprintf("%s%s%s", mark, *mark ? " " : "", tail) : NULL;
		free(tail);
		ui_text(0, 0, cols, line ? line : mark);
		used = 1;
	}
	attroff(A_REVERSE);
	free(line);
	free(whole);
	ui_wrap_free(&w);
	return used;
}

static void draw(struct ui *u, const char *keep_input)
{
	erase();
	getmaxyx(stdscr, u->rows, u->cols);
	bool compact = u->rows < MIN_ROWS && u->rows >= 8 && u->cols >= 40;
	if ((u->cols < MIN_COLS || u->rows < MIN_ROWS) && !compact) {
		/* too small: say so, in as much room as there is */
		input_free(NULL);
		if (err_panel) {
			hide_panel(err_panel);
		}
		/* what the last scan came to first (it says so at any size),
		 * then why the screen is not there, wrapped into what rows
		 * there are: even at 10x5 it says so */
		int y = draw_small_outcome(u, u->rows > 2 ? u->rows - 2 : u->rows, u->cols);
		const char *msg[] = { _("Terminal too small"), _("need 20x16 or 40x8"), _("enlarge it") };
		for (int i = 0; i < 3 && y < u->rows; i++) {
			struct wrapped w;
			ui_wrap(msg[i], u->cols, &w);
			for (int j = 0; j < w.n && y < u->rows; j++)
				mvaddnwstr(y++, 0, w.line[j], u->cols);
			ui_wrap_free(&w);
		}
		if (typed && u->field >= 0 && u->rows >= 2 && u->cols >= 4) {
			/* what is typed for the hidden field, on the last row:
			 * its end, as the field would show it (a PIN as stars) */
			char *tail = NULL, *line = NULL;
			if (u->def.fields[u->field].kind == FIELD_SECRET) {
				size_t n = mbstowcs(NULL, typed, 0);
				if (n != (size_t)-1 && (tail = malloc(n + 1))) {
					memset(tail, '*', n);
					tail[n] = '\0';
				}
			}
			char *shown = ui_cut_left(tail ? tail : typed, u->cols - 2);
			line = shown ? xasprintf("▶ %s", shown) : NULL;
			move(u->rows - 1, 0);
			clrtoeol();
			ui_text(u->rows - 1, 0, u->cols, line ? line : "▶");
			free(shown);
			free(tail);
			free(line);
		}
		wnoutrefresh(stdscr);
		update_panels();
		doupdate();
		return;
	}
	u->layout = compact ? LAYOUT_COMPACT : (u->cols >= 80 && u->rows >= 24) ? LAYOUT_DESK : LAYOUT_HANDHELD;
	/* "▶ prompt: input" on one row when it leaves the input room for a
	 * waybill; else the prompt on its own lines, the input under it */
	bool inline_prompt = u->layout != LAYOUT_HANDHELD;
	if (inline_prompt && u->field >= 0) {
		const struct form_field *f = &u->def.fields[u->field];
		char *p = xasprintf("▶ %s: ", f->prompt && *f->prompt ? _(f->prompt) : f->name);
		inline_prompt = p && ui_width(p) + 15 <= u->cols;
		free(p);
	}
	int rule = compact ? 0 : 1;			/* the lines under the status and above the keys */
	draw_status(u);
	int lrows, labeled = legend_labeled(u, &lrows);
	/* The prompt and the confirmation wrap (a word is never cut): on a
	 * handheld the prompt takes its lines and the input the next one. */
	char *prompt = NULL;
	struct wrapped pw = { NULL, 0, false }, nw = { NULL, 0, false };
	if (u->field >= 0) {
		const struct form_field *fd = &u->def.fields[u->field];
		prompt = xasprintf("▶ %s%s", fd->prompt && *fd->prompt ? _(fd->prompt) : fd->name, inline_prompt ? ": " : "");
		if (!inline_prompt && prompt)
			ui_wrap(prompt, u->cols, &pw);
		if (pw.n > 2 && fd->prompt && ui_has_short(fd->prompt)) {	/* its short form */
			ui_wrap_free(&pw);
			free(prompt);
			prompt = xasprintf("▶ %s", i18n_short("handheld", fd->prompt));
			if (prompt)
				ui_wrap(prompt, u->cols, &pw);
		}
	}
	int prompt_rows = u->field < 0 ? 0 : inline_prompt ? 1 : (pw.n > 2 ? 2 : pw.n < 1 ? 1 : pw.n) + 1;
	if (u->note && !u->alarm)
		ui_wrap(u->note, u->cols, &nw);
	int note_rows = nw.n < 1 ? 1 : nw.n > 3 ? 3 : nw.n;
	if (nw.n > 3)
		ui_fit_report("a confirmation over 3 lines", u->note, u->cols);
	if (pw.n > 2)
		ui_fit_report("a prompt over 2 lines", prompt, u->cols);
	int body_top = 1 + rule;
	int body_rows = u->rows - body_top - lrows - rule - prompt_rows - note_rows;
	int y = body_top;
	if (u->layout == LAYOUT_DESK) {
		ui_text(y++, 0, u->cols, *u->def.title ? _(u->def.title) : "");
		body_rows--;
	}
	if (u->show_help)
		draw_help(u, y, body_rows);
	else if (u->scr->draw)
		u->scr->draw(u, y, body_rows, u->cols);
	int py = u->rows - lrows - rule - prompt_rows, err_h = 0, err_y = body_top;
	bool prompt_moved = false;
	struct error_lines el;
	memset(&el, 0, sizeof el);
	if (u->alarm) {
		error_wrap(u, u->cols, &el);
		if (u->field < 0) {
			int room = u->rows - body_top - lrows;
			if (el.lines > room)
				room = u->rows - body_top;	/* a long message may cover the keys too */
			err_h = el.lines + 2 > room ? room : el.lines + 2;
		} else {
			/* What is asked stays whole in sight: the block takes the
			 * rows above the prompt; a message that needs more moves
			 * the prompt and its input down under the block, over the
			 * keys (an F-key still acts), and one that needs more
			 * still takes the rule under the status line too. */
			int above = py - body_top, most = u->rows - body_top - prompt_rows;
			if (el.lines + 2 <= above) {
				err_h = el.lines + 2;
			} else if (el.lines <= above) {
				err_h = el.lines;
			} else {
				if (el.lines > most) {
					err_y -= rule;
					most += rule;
				}
				err_h = el.lines < most ? el.lines : most;
				py = err_y + err_h;
				prompt_moved = true;
			}
		}
	}
	for (int i = 0; i < nw.n && i < note_rows; i++) {
		move(py - note_rows + i, 0);
		clrtoeol();
		mvaddwstr(py - note_rows + i, 0, nw.line[i]);
	}
	if (rule)
		ui_hline(u->rows - lrows - 1, u->cols);
	legend_layout(u, labeled, u->rows - lrows, true);
	if (u->field >= 0) {
		for (int i = 0; prompt_moved && i < prompt_rows; i++) {
			move(py + i, 0);	/* the keys under it make room */
			clrtoeol();
		}
		if (inline_prompt) {
			ui_text(py, 0, u->cols, prompt ? prompt : "▶");
			int w = prompt ? ui_width(prompt) : 2;
			input_make(u, py, w, u->cols - w - 1, keep_input);
		} else {
			for (int i = 0; i < prompt_rows - 1 && i < pw.n; i++)
				mvaddwstr(py + i, 0, pw.line[i]);
			input_make(u, py + prompt_rows - 1, 0, u->cols - 1, keep_input);
		}
	} else {
		input_free(NULL);
	}
	free(prompt);
	ui_wrap_free(&pw);
	ui_wrap_free(&nw);
	if (u->alarm)
		draw_error(u, &el, err_y, u->cols, err_h);
	else if (err_panel)
		hide_panel(err_panel);
	error_lines_free(&el);
	wnoutrefresh(stdscr);
	update_panels();
	if (in_form && !u->alarm) {
		pos_form_cursor(in_form);
		mask_secret();
	}
	doupdate();
	u->dirty = false;
}

/* ---- keys -------------------------------------------------------------- */

/* The keys held back on a screen without a field, as text (malloc'd). */
static char *pending_text(void)
{
	char *out = malloc((size_t)n_pending * MB_CUR_MAX + 1);
	size_t o = 0;
	if (!out)
		return NULL;
	for (int i = 0; i < n_pending; i++) {
		size_t n = wcrtomb(out + o, (wchar_t)pending[i], NULL);
		if (n != (size_t)-1)
			o += n;
	}
	out[o] = '\0';
	return out;
}

/* Keys held on a screen without a field came faster than a person types
 * and are not menu choices: four or more, or a letter among them ("A05").
 * A few digits sent at once (a person's remote session, a test driving the
 * menus) stay menu choices. */
static bool pending_machine(void)
{
	if (n_pending < 2 || burst.slow)
		return false;
	if (n_pending >= BURST_MIN_KEYS)
		return true;
	for (int i = 0; i < n_pending; i++)
		if (pending[i] < '0' || pending[i] > '9')
			return true;
	return false;
}

/* A field with no input drawn (the terminal is too small for the screen). */
static bool hidden_field(const struct ui *u)
{
	return !in_form && u->field >= 0;
}

/* A person's keys for a hidden field go into what is typed, as they would
 * into the field: the terminal grown back shows them there, Enter takes
 * them (a resize never loses what was typed, design.md). */
static void hidden_type(struct ui *u, const wint_t *keys, int n)
{
	if (date_shown) {	/* typing replaces the date shown */
		typed_clear();
		date_shown = false;
	}
	size_t len = typed ? strlen(typed) : 0;
	char *grown = realloc(typed, len + (size_t)n * MB_CUR_MAX + 1);
	if (!grown)
		return;
	typed = grown;
	for (int i = 0; i < n; i++) {
		size_t k = keys[i] >= 32 ? wcrtomb(typed + len, (wchar_t)keys[i], NULL) : (size_t)-1;
		if (k != (size_t)-1)
			len += k;
	}
	typed[len] = '\0';
	if (!*typed)
		typed_clear();
	u->dirty = true;
}

/* Backspace on a hidden field: its last character goes. */
static void hidden_erase(struct ui *u)
{
	size_t n;
	wchar_t *w = NULL;
	date_shown = false;
	if (!typed || (n = mbstowcs(NULL, typed, 0)) == (size_t)-1 || !(w = calloc(n + 1, sizeof *w))) {
		typed_clear();
	} else {
		mbstowcs(w, typed, n + 1);
		w[n ? n - 1 : 0] = L'\0';
		size_t bytes = wcstombs(typed, w, strlen(typed) + 1);
		if (bytes == (size_t)-1 || bytes == 0)
			typed_clear();
	}
	free(w);
	u->dirty = true;
}

/* The held keys were a person's: the screen gets them one by one. */
static void flush_pending(struct ui *u)
{
	int n = n_pending;
	n_pending = 0;
	if (hidden_field(u)) {
		hidden_type(u, pending, n);
		return;
	}
	for (int i = 0; i < n; i++)
		if (u->scr->request) {
			u->scr->request(u, REQ_UI__COUNT + (int)pending[i]);
			u->dirty = true;
		}
}

/* A scan field with no input drawn: the terminal is too small for the
 * screen.  A wedge scanner's burst there is still a scan for that field. */
static bool hidden_scan_field(const struct ui *u)
{
	return !in_form && u->field >= 0 && u->def.fields[u->field].kind == FIELD_SCAN;
}

static void take_hidden_scan(struct ui *u, const char *code)
{
	u->dirty = true;
	if (!config_get_bool(u->app->cfg, "scanner.wedge", true)) {
		ui_fail(u, "%s", _("a keyboard scanner is switched off here (scanner.wedge): use the serial scanner or type the code"));
		return;
	}
	ui_submit(u, code, false);
}

static void on_key(struct ui *u, int rc, wint_t ch)
{
	u->last_key_ms = now_ms();
	if (u->show_help) {
		/* the help scrolls with the arrows; F1 closes it, and any other
		 * key closes it and then does its job */
		if (rc == KEY_CODE_YES && (ch == KEY_DOWN || ch == KEY_UP || ch == KEY_NPAGE || ch == KEY_PPAGE)) {
			int step = ch == KEY_NPAGE || ch == KEY_PPAGE ? 5 : 1;
			u->help_scroll += ch == KEY_DOWN || ch == KEY_NPAGE ? step : -step;
			if (u->help_scroll < 0)
				u->help_scroll = 0;
			u->dirty = true;
			return;
		}
		if (!(rc == KEY_CODE_YES && (ch == KEY_F(1) || ch == KEY_RESIZE))) {
			u->show_help = false;
			u->dirty = true;
			if (ch == 27 || ch == '\n')
				return;
		}
	}
	if (u->alarm && rc != KEY_CODE_YES) {
		/* Enter or Esc acknowledges the error and does nothing else; a
		 * scan (text then Enter) acknowledges it and is taken as itself. */
		if (ch == '\n' || ch == '\r' || ch == 27) {
			acknowledge(u);
			return;
		}
		acknowledge(u);
	} else if (u->alarm && ch != KEY_RESIZE) {
		/* An F-key or another special key acknowledges the error AND does
		 * its job: F2 over an error still marks the next scan damaged. */
		acknowledge(u);
	}
	if (!in_form && n_pending && !pending_machine() && (rc == KEY_CODE_YES ? ch != KEY_RESIZE && ch != KEY_ENTER : ch == 27)) {
		/* a person's menu digit still held (keys typed ahead, read in
		 * one go): it goes first, so that "1 F9" gives F9 to the screen
		 * the 1 opens, not to the menu */
		flush_pending(u);
	}
	if (rc == KEY_CODE_YES) {
		if (ch == KEY_RESIZE) {
			u->dirty = true;
			return;
		}
		for (int i = 0; i < u->def.n_keys; i++)
			if ((int)ch == u->def.keys[i].key) {
				request(u, u->def.keys[i].request);
				return;
			}
		if (ch >= KEY_F(1) && ch <= KEY_F(12)) {
			/* An F-key this screen does not have: said, never silent.
			 * The screen still sees a key (a second press it waits
			 * for is off, as after any other key).  A line of
			 * guidance still standing ("F8, Enter or your badge:
			 * close", "scan the damaged envelope") says what is
			 * awaited and stays: a bell answers the key instead. */
			char *guide = u->note && !u->note_ok ? strdup(u->note) : NULL;
			if (u->scr->request)
				u->scr->request(u, REQ_UI__COUNT + (int)ch);
			if (guide && u->note && !u->note_ok && !strcmp(guide, u->note))
				beep();
			else if (!u->alarm)
				ui_note(u, _("F%d does nothing here: the keys are below (F1 explains)"), (int)(ch - KEY_F0));
			free(guide);
			u->dirty = true;
			return;
		}
		if (ch == KEY_ENTER) {
			ch = '\n';
		} else if (in_form) {
			if (date_step(u, (int)ch)) {
				sync_typed();
				u->dirty = true;
				return;
			}
			date_shown = false;	/* edited by hand from here */
			switch (ch) {
			case KEY_BACKSPACE: form_driver(in_form, REQ_DEL_PREV); break;
			case KEY_DC: form_driver(in_form, REQ_DEL_CHAR); break;
			case KEY_LEFT: form_driver(in_form, REQ_PREV_CHAR); break;
			case KEY_RIGHT: form_driver(in_form, REQ_NEXT_CHAR); break;
			case KEY_HOME: form_driver(in_form, REQ_BEG_LINE); break;
			case KEY_END: form_driver(in_form, REQ_END_LINE); break;
			default:	/* arrows and the like: the screen's lists */
				if (u->scr->request)
					u->scr->request(u, REQ_UI__COUNT + (int)ch);
				u->dirty = true;
				break;
			}
			sync_typed();
			return;
		} else if (ch == KEY_BACKSPACE && hidden_field(u)) {
			if (n_pending)
				flush_pending(u);
			hidden_erase(u);
			return;
		} else {
			if (u->scr->request)
				u->scr->request(u, REQ_UI__COUNT + (int)ch);
			u->dirty = true;
			return;
		}
	}
	if (ch == 27) {
		for (int i = 0; i < u->def.n_keys; i++)
			if (u->def.keys[i].key == 27) {
				request(u, u->def.keys[i].request);
				return;
			}
		return;
	}
	if (ch == '\n' || ch == '\r') {
		if (!in_form && n_pending) {
			/* keys on a screen without a field: a burst is a scan,
			 * and so are keys too fast for a person whose Enter came late */
			if (burst_is_scan(&burst, now_ms()) || pending_machine()) {
				char *code = pending_text();
				n_pending = 0;
				burst_reset(&burst);
				if (code && hidden_scan_field(u))
					take_hidden_scan(u, code);
				else if (code)
					ui_stray_scan(u, code);
				free(code);
				return;
			}
			flush_pending(u);
		}
		if (hidden_field(u) && typed) {
			/* typed by hand for a field the terminal is too small
			 * to show: taken as the field would take it */
			char *value = typed;
			typed = NULL;
			date_shown = false;
			burst_reset(&burst);
			u->dirty = true;
			ui_submit(u, value, true);
			free(value);
			return;
		}
		if (in_form && !typed && u->scr->request) {
			/* Enter on an empty field: the screen may pick from its list */
			u->scr->request(u, REQ_UI__COUNT + '\n');
			u->dirty = true;
			return;
		}
		if (in_form) {
			bool by_hand = !burst_is_scan(&burst, now_ms());
			char *value = NULL;
			input_free(&value);
			typed_clear();
			burst_reset(&burst);
			u->dirty = true;
			bool scan_field = u->field >= 0 && u->def.fields[u->field].kind == FIELD_SCAN;
			if (scan_field && !by_hand && !config_get_bool(u->app->cfg, "scanner.wedge", true)) {
				/* keyboard-wedge scanners are switched off on this desk */
				ui_fail(u, "%s", _("a keyboard scanner is switched off here (scanner.wedge): use the serial scanner or type the code"));
				free(value);
				return;
			}
			int field = u->field;
			bool with_time;
			ui_submit(u, value ? value : "", by_hand);
			if (u->alarm && u->field == field && date_field(u, &with_time) && value && !typed) {
				/* a date refused stays shown: moved with the arrows or typed over */
				typed = value;
				value = NULL;
				date_shown = true;
			}
			free(value);
		} else if (u->scr->request) {
			u->scr->request(u, REQ_UI__COUNT + '\n');
			u->dirty = true;
		}
		return;
	}
	if (ch == 127 || ch == 8) {
		if (hidden_field(u)) {
			if (n_pending)
				flush_pending(u);
			hidden_erase(u);
			return;
		}
		if (in_form) {
			date_shown = false;
			form_driver(in_form, REQ_DEL_PREV);
			sync_typed();
		}
		return;
	}
	if (ch == 12) {		/* Ctrl-L */
		clearok(curscr, TRUE);
		u->dirty = true;
		return;
	}
	if (in_form && ch >= 32) {
		if (date_shown) {	/* typing replaces the date shown */
			form_driver(in_form, REQ_CLR_FIELD);
			date_shown = false;
			typed_clear();
		}
		if (!typed)
			burst_reset(&burst);
		burst_key(&burst, now_ms());
		form_driver_w(in_form, OK, (wchar_t)ch);
		sync_typed();
		return;
	}
	if (!in_form && ch >= 32 && n_pending < PENDING_MAX) {
		/* wait: a scanner's burst must not reach a menu as digits */
		if (!n_pending)
			burst_reset(&burst);
		burst_key(&burst, now_ms());
		pending[n_pending++] = ch;
		return;
	}
	if (!in_form && u->scr->request) {	/* menus: arrows */
		u->scr->request(u, REQ_UI__COUNT + (int)ch);
		u->dirty = true;
	}
}

/* ---- scans from a serial scanner --------------------------------------- */

static void on_scan(struct ui *u, const struct scan_event *ev)
{
	u->last_key_ms = now_ms();
	switch (ev->kind) {
	case SCAN_EV_CODE:
		acknowledge(u);		/* the next scan acknowledges an error */
		if (u->field < 0 || u->def.fields[u->field].kind != FIELD_SCAN) {
			ui_stray_scan(u, ev->code);
			return;
		}
		input_free(NULL);
		typed_clear();
		u->dirty = true;
		ui_submit(u, ev->code, false);
		break;
	case SCAN_EV_DUPLICATE:
		ui_note(u, _("= %s again (double trigger): counted once"), ev->code);
		break;
	case SCAN_EV_ERROR:
	case SCAN_EV_PARTIAL:
		ui_fail(u, "%s", ev->message);
		break;
	case SCAN_EV_DISCONNECTED:
		u->scanner_state = _("scanner disconnected");
		ui_fail(u, "%s", ev->message);
		break;
	case SCAN_EV_CONNECTED:
		u->scanner_state = NULL;
		ui_note(u, "%s", ev->message);
		break;
	}
}

/* ---- the loop ---------------------------------------------------------- */

static volatile sig_atomic_t got_signal;
static void on_signal(int sig)
{
	got_signal = sig;
}

int ui_run(struct app *a, struct am_error *e)
{
	struct ui u;
	memset(&u, 0, sizeof u);
	u.app = a;
	u.store = a->store;
	u.field = -1;
	i18n_init(a->lang, NULL);
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return am_fail(e, AM_ENV, _("the terminal UI needs a terminal; use the commands (amanat --help) in scripts"));
	signal(SIGCHLD, SIG_IGN);	/* beeper children reap themselves */
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	if (!initscr())
		return am_fail(e, AM_ENV, _("cannot start the terminal UI (is TERM set?)"));
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	nodelay(stdscr, TRUE);
	if (has_colors()) {
		start_color();
		use_default_colors();
	}
	u.last_key_ms = now_ms();
	struct scanner *sc = NULL;
	if (config_get(a->cfg, "scanner.port", NULL) && config_get_bool(a->cfg, "scanner.enabled", true)) {
		struct am_error se;
		sc = scanner_open(a->cfg, NULL, &se);
		if (!sc) {
			endwin();
			return am_fail(e, AM_ENV, "%s", se.msg);
		}
		if (!scanner_connected(sc))
			u.scanner_state = _("scanner disconnected");
	}
	if (config_get(a->cfg, "sync.url", NULL)) {
		struct am_error se;
		u.sync = sync_new(a, &se);	/* without it the UI still works offline */
	}
	ui_go(&u, "login");
	int64_t last_minute = 0;
	long idle_min = config_get_long(a->cfg, "idle_lock", 10);
	bool sweep_due = false;
	while (!u.quit && !got_signal) {
		int64_t now = now_ms();
		if (now / MS_PER_MINUTE != last_minute) {	/* the clock on the status line */
			last_minute = now / MS_PER_MINUTE;
			u.dirty = true;
			sweep_due = true;	/* after the draw: the first screen shows first */
		}
		if (u.user.badge[0] && idle_min > 0 && now - u.last_key_ms > idle_min * MS_PER_MINUTE) {
			memset(&u.user, 0, sizeof u.user);
			ui_go(&u, "login");
			ui_note(&u, "%s", _("locked after idle time: log in again"));
		}
		if (bells_due && now >= next_bell_ms) {
			beep();
			bells_due--;
			next_bell_ms = now + 120;
		}
		if (n_pending && pending_machine() && now - burst.last_ms >= PENDING_SCAN_WAIT_MS) {
			char *code = pending_text();
			n_pending = 0;
			burst_reset(&burst);
			ui_fail(&u, _("%s came without Enter: ignored. Scan it again"), code ? code : "");
			free(code);
		} else if (n_pending && !pending_machine() && now - burst.last_ms >= PENDING_WAIT_MS)
			flush_pending(&u);	/* no Enter came: a person's keys */
		if (u.dirty) {
			char *keep = typed ? strdup(typed) : NULL;
			input_free(NULL);
			draw(&u, keep);
			free(keep);
		}
		if (sweep_due) {	/* a breach is written on the first tick that sees it */
			struct event_ctx dc = ui_ctx(&u);
			struct am_error de;
			size_t n_missed = 0;
			dc.input = NULL;
			sweep_due = false;
			if (store_deadlines_sweep(u.store, &dc, &n_missed, &de) == 0 && n_missed) {
				u.dirty = true;		/* and shown at once */
				continue;
			}
		}
		/* Keys curses already holds first; poll only when there are none. */
		wint_t ch;
		int rc = get_wch(&ch);
		if (rc != ERR) {
			on_key(&u, rc, ch);
			if (!u.dirty && in_form) {
				pos_form_cursor(in_form);
				mask_secret();
				wnoutrefresh(stdscr);
				doupdate();
			}
			continue;
		}
		/* one poll: the keyboard, the scanner, and the sockets of the sync */
		struct pollfd pfd[2 + 8] = { { STDIN_FILENO, POLLIN, 0 }, { sc ? scanner_pollfd(sc) : -1, POLLIN, 0 } };
		int n_sync = u.sync ? sync_fds(u.sync, pfd + 2, 8) : 0;
		int timeout = u.import ? 0 : n_pending ? PENDING_WAIT_MS : 1000;	/* a register loading: no wait */
		if (bells_due) {
			int64_t t = next_bell_ms - now_ms();
			timeout = t < 0 ? 0 : t < timeout ? (int)t : timeout;
		}
		if (sc) {
			int t = scanner_timeout_ms(sc, now_ms());
			if (t >= 0 && t < timeout)
				timeout = t;
		}
		if (u.sync) {
			int t = sync_timeout_ms(u.sync, now_ms());
			if (t >= 0 && t < timeout)
				timeout = t;
		}
		int n = poll(pfd, (nfds_t)2 + (nfds_t)n_sync, timeout);
		/* the WAL checkpoint (an fsync) only after a second of nothing:
		 * never inside a scanner's burst of keys, never on a scan's commit */
		static int64_t last_activity;
		if (n > 0)
			last_activity = now_ms();
		else if (n == 0 && now_ms() - last_activity >= 1000)
			store_idle(u.store);
		/* another process wrote (a desk, the CLI, the sync timer): the
		 * screen shows the store, so it is drawn again from it */
		if (n == 0 && store_changed_elsewhere(u.store))
			u.dirty = true;
		if (n > 0 && (pfd[0].revents & (POLLHUP | POLLERR)) && !(pfd[0].revents & POLLIN))
			break;
		if (u.sync) {
			size_t before = 0, after = 0, dead;
			int64_t oldest;
			struct am_error se;
			store_outbox_stats(u.store, &before, &oldest, &dead, &se);
			int rounds = sync_rounds(u.sync, NULL);
			sync_handle(u.sync, pfd + 2, n_sync, now_ms());
			store_outbox_stats(u.store, &after, &oldest, &dead, &se);
			if (after != before || sync_rounds(u.sync, NULL) != rounds)
				u.dirty = true;	/* the ⇡ count changed, or a round brought registers, the feed */
		}
		if (sc) {
			struct scan_event ev;
			scanner_handle(sc, (short)(pfd[1].fd >= 0 ? pfd[1].revents : 0), now_ms());
			while (scanner_next(sc, &ev))
				on_scan(&u, &ev);
		}
		ui_import_step(&u);	/* a loading register's next slice, after the keys and scans */
	}
	ui_import_finish(&u);
	input_free(NULL);
	scanner_close(sc);
	sync_free(u.sync);
	if (u.scr && u.scr->leave && u.state)
		u.scr->leave(&u);
	free(u.state);
	form_free(&u.def);
	free(u.alarm);
	free(u.note);
	free(u.said_code);
	if (err_panel)
		del_panel(err_panel);
	if (err_win)
		delwin(err_win);
	err_panel = NULL;
	err_win = NULL;
	endwin();
	return 0;
}
