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
#include "amanat/codes.h"
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
static char typed[256];		/* what is in the field: survives a resize */
/* Keyboard-wedge scanners send keys 7-16 ms apart, people 100 ms and more:
 * a burst of at least 4 keys under 30 ms apart is a scan, anything else was
 * typed by hand (allowed, and recorded as typed). */
static int burst_keys;
static bool burst_slow;
static int64_t burst_last;

static void burst_key(void)
{
	int64_t now = now_ms();
	if (!typed[0]) {
		burst_keys = 0;
		burst_slow = false;
	} else if (now - burst_last > 30) {
		burst_slow = true;
	}
	burst_keys++;
	burst_last = now;
}

static void sync_typed(void)
{
	if (!in_form)
		return;
	form_driver(in_form, REQ_VALIDATION);
	snprintf(typed, sizeof typed, "%s", field_buffer(in_fields[0], 0));
	char *end = typed + strlen(typed);
	while (end > typed && end[-1] == ' ')
		*--end = '\0';
}
static PANEL *err_panel;

/* ---- text helpers ------------------------------------------------------ */

int ui_width(const char *s)
{
	wchar_t w[256];
	size_t n = mbstowcs(w, s, 255);
	if (n == (size_t)-1)
		return (int)strlen(s);
	int cols = wcswidth(w, n);
	return cols < 0 ? (int)n : cols;
}

void ui_text(int y, int x, int width, const char *s)
{
	wchar_t w[256];
	size_t n = mbstowcs(w, s, 255);
	if (width <= 0)
		return;
	if (n == (size_t)-1) {
		mvaddnstr(y, x, s, width);
		return;
	}
	int used = 0;
	size_t i;
	for (i = 0; i < n; i++) {
		int cw = wcwidth(w[i]);
		if (cw < 0)
			cw = 1;
		if (used + cw > width)
			break;
		used += cw;
	}
	mvaddnwstr(y, x, w, (int)i);
}

void ui_hline(int y, int cols)
{
	move(y, 0);
	for (int i = 0; i < cols; i++)
		addstr("─");
}

/* ---- messages and beeps ------------------------------------------------ */

static void run_beeper(struct ui *u, const char *kind)
{
	const char *cmd = config_get(u->app->cfg, "beep_command", NULL);
	if (!cmd || !*cmd)
		return;
	/* The beeper is a program run with "ok" or "error", never a shell line. */
	const char *argv[] = { cmd, kind, NULL };
	struct am_error e;
	spawn_run(argv, SPAWN_QUIET | SPAWN_NOWAIT, NULL, &e);
}

void ui_fail(struct ui *u, const char *fmt, ...)
{
	char buf[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	/* The block shows the message in parts: " - " separates them (the
	 * title first); word-wrapped to the screen's width when drawn. */
	memset(u->error, 0, sizeof u->error);
	u->n_error = 0;
	char *p = buf;
	while (*p && u->n_error < 3) {
		char *cut = u->n_error < 2 ? strstr(p, " - ") : NULL;
		if (!cut && u->n_error == 0 && strlen(p) > 40) {
			cut = strstr(p, ": ");	/* "reason: detail" */
			if (cut) {
				*cut = '\0';
				snprintf(u->error[u->n_error++], sizeof u->error[0], "%s", p);
				p = cut + 2;
				continue;
			}
		}
		if (cut)
			*cut = '\0';
		snprintf(u->error[u->n_error++], sizeof u->error[0], "%s", p);
		if (!cut)
			break;
		p = cut + 3;
	}
	u->info[0] = '\0';
	/* a long, distinct signal: three bells */
	beep();
	napms(120);
	beep();
	napms(120);
	beep();
	run_beeper(u, "error");
	u->dirty = true;
}

void ui_ok(struct ui *u, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(u->info, sizeof u->info, fmt, ap);
	va_end(ap);
	u->n_error = 0;
	beep();			/* one short bell */
	run_beeper(u, "ok");
	u->dirty = true;
}

void ui_log(struct ui *u, const char *mark, const char *fmt, ...)
{
	va_list ap;
	memmove(&u->log[1], &u->log[0], sizeof u->log[0] * (UI_LOG_MAX - 1));
	snprintf(u->log[0].mark, sizeof u->log[0].mark, "%s", mark);
	va_start(ap, fmt);
	vsnprintf(u->log[0].text, sizeof u->log[0].text, fmt, ap);
	va_end(ap);
	if (u->n_log < UI_LOG_MAX)
		u->n_log++;
}

int ui_draw_log(const struct ui *u, int y, int rows, int cols)
{
	int i;
	for (i = 0; i < u->n_log && i < rows; i++) {
		char line[120];
		snprintf(line, sizeof line, "%s %s", u->log[i].mark, u->log[i].text);
		ui_text(y + i, 0, cols, line);
	}
	return i;
}

bool ui_take_envelope(struct ui *u, const char *waybill, const char *next)
{
	struct envelope v;
	struct am_error e;
	if (store_envelope_get(u->store, waybill, &v, &e)) {
		ui_fail(u, "%s", e.msg);
		return false;
	}
	snprintf(u->waybill, sizeof u->waybill, "%s", waybill);
	if (next)
		ui_set_field(u, next);
	return true;
}

void ui_back_to_menu(struct ui *u, enum ui_request r)
{
	if (r == REQ_UI_BACK || r == REQ_UI_DONE)
		ui_go(u, "menu");
}

struct event_ctx ui_ctx(const struct ui *u)
{
	struct event_ctx c = { u->user.badge[0] ? u->user.badge : u->app->actor, u->app->place, 0, u->input };
	return c;
}

/* ---- the input field (formw) ------------------------------------------- */

static void input_free(char *keep, size_t len)
{
	if (keep) {
		keep[0] = '\0';
		if (in_form) {
			form_driver(in_form, REQ_VALIDATION);
			snprintf(keep, len, "%s", field_buffer(in_fields[0], 0));
			char *end = keep + strlen(keep);
			while (end > keep && end[-1] == ' ')
				*--end = '\0';
		}
	}
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
	input_free(NULL, 0);
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
	if (fd->kind == FIELD_SECRET)
		field_opts_off(in_fields[0], O_PUBLIC);
	in_form = new_form(in_fields);
	in_win = derwin(stdscr, 1, width, y, x);
	if (!in_form || !in_win) {
		input_free(NULL, 0);
		return;
	}
	set_form_win(in_form, stdscr);
	set_form_sub(in_form, in_win);
	post_form(in_form);
	if (text && *text) {
		set_field_buffer(in_fields[0], 0, text);
		form_driver(in_form, REQ_END_LINE);
	}
}

/* ---- screens and fields ------------------------------------------------ */

void ui_set_field(struct ui *u, const char *name)
{
	u->field = name ? form_field_index(&u->def, name) : -1;
	typed[0] = '\0';
	u->dirty = true;
}

void ui_go(struct ui *u, const char *name)
{
	const struct screen *s = screen_by_name(name);
	struct am_error e = { "" };
	if (!s || form_load(name, &u->def, &e)) {
		ui_fail(u, "%s: %s", name, e.msg[0] ? e.msg : _("no such screen"));
		return;
	}
	u->scr = s;
	u->show_help = false;
	u->field = u->def.n_fields ? 0 : -1;
	typed[0] = '\0';
	u->reg[0] = u->postomat[0] = u->waybill[0] = u->courier[0] = u->text[0] = '\0';
	u->damaged_mode = u->show_remaining = false;
	u->n_damaged = u->n_log = u->scroll = u->menu_sel = 0;
	u->info[0] = '\0';
	if (s->enter)
		s->enter(u);
	u->dirty = true;
}

static bool valid_field(struct ui *u, const struct form_field *fd, char *value)
{
	char why[200];
	const char *v = fd->validate;
	if (fd->kind == FIELD_SCAN) {
		/* A wedge scanner under a Cyrillic layout types the letters on the
		 * same keys: map them back before anything looks at the code. */
		char mapped[256];
		wedge_unmap(value, mapped, sizeof mapped);
		snprintf(value, 256, "%s", mapped);
	}
	if (!*value)	/* Enter on an empty field: nothing to do, no alarm */
		return false;
	if (!strcmp(v, "waybill") && waybill_validate(&u->app->rules.waybill, value, why, sizeof why)) {
		ui_fail(u, _("%s: %s"), _("not a valid waybill"), why);
		return false;
	}
	int64_t d;
	if ((!strcmp(v, "date") || fd->kind == FIELD_DATE) && date_parse(value, &d)) {
		ui_fail(u, "%s", _("a date is written 2026-03-21"));
		return false;
	}
	return true;
}

static void submit(struct ui *u, char *value)
{
	if (u->field < 0 || !u->scr->field)
		return;
	const struct form_field *fd = &u->def.fields[u->field];
	if (!valid_field(u, fd, value))
		return;
	u->scr->field(u, fd->name, value);
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

static void age_text(int64_t ms, char *buf, size_t len)
{
	int64_t min = ms / MS_PER_MINUTE;
	if (min < 60)
		snprintf(buf, len, _("%lldm"), (long long)min);
	else if (min < 48 * 60)
		snprintf(buf, len, _("%lldh"), (long long)(min / 60));
	else
		snprintf(buf, len, _("%lldd"), (long long)(min / 1440));
}

static void draw_status(struct ui *u)
{
	size_t depth = 0, dead = 0;
	int64_t oldest = 0;
	struct am_error e;
	char right[64], age[16] = "", clock[32], left[160];
	store_outbox_stats(u->store, &depth, &oldest, &dead, &e);
	if (depth)
		age_text(now_ms() - oldest, age, sizeof age);
	time_format_local(now_ms(), u->app->rules.offset_min, clock, sizeof clock);
	if (u->layout == LAYOUT_DESK) {
		static const char *const langs[] = { "kk", "ҚАЗ", "ru", "РУС", "en", "ENG" };
		const char *lang = "ҚАЗ";
		for (int i = 0; i < 6; i += 2)
			if (!strcmp(i18n_language(), langs[i]))
				lang = langs[i + 1];
		snprintf(right, sizeof right, "⇡%zu%s%s · %s · %s", depth, age[0] ? " " : "", age, clock + 11, lang);
		if (u->user.badge[0])
			snprintf(left, sizeof left, "amanat · %s · %s (%s)", u->app->place, u->user.name,
				 _(staff_role_name(u->user.role)));
		else
			snprintf(left, sizeof left, "amanat · %s", u->app->place);
	} else {
		snprintf(right, sizeof right, "⇡%zu%s%s", depth, age[0] ? " " : "", age);
		snprintf(left, sizeof left, "%s", u->postomat[0] ? u->postomat : _(u->def.title));
	}
	if (u->scanner_state[0])	/* the scanner is missing: say it where it is always seen */
		snprintf(left, sizeof left, "⚠ %s", u->scanner_state);
	int rw = ui_width(right);
	ui_text(0, 0, u->cols - rw - 1, left);
	ui_text(0, u->cols - rw, rw, right);
	if (u->layout != LAYOUT_COMPACT)
		ui_hline(1, u->cols);
}

static int legend_rows(struct ui *u)
{
	if (u->layout != LAYOUT_HANDHELD)
		return 1;
	int rows = 1, x = 0;
	for (int i = 0; i < u->def.n_keys; i++) {
		const struct form_key *k = &u->def.keys[i];
		char item[64];
		snprintf(item, sizeof item, "%s %s", k->key_name, k->label[0] ? _(k->label) : ui_request_label(k->request));
		int w = ui_width(item) + 1;
		if (x && x + w > u->cols) {
			rows++;
			x = 0;
		}
		x += w;
	}
	return rows > 3 ? 3 : rows;
}

static void draw_legend(struct ui *u, int y0)
{
	int y = y0, x = 0;
	for (int i = 0; i < u->def.n_keys; i++) {
		const struct form_key *k = &u->def.keys[i];
		char item[64];
		snprintf(item, sizeof item, "%s %s", k->key_name, k->label[0] ? _(k->label) : ui_request_label(k->request));
		int w = ui_width(item);
		if (x && x + w > u->cols) {
			if (u->layout != LAYOUT_HANDHELD || y + 1 >= u->rows)
				break;
			y++;
			x = 0;
		}
		ui_text(y, x, u->cols - x, item);
		x += w + (u->layout == LAYOUT_DESK ? 2 : 1);
	}
}

/* Word-wrap s into lines of at most cols columns; returns the count. */
static int wrap(const char *s, int cols, wchar_t out[][128], int max)
{
	wchar_t w[400];
	size_t n = mbstowcs(w, s, 399);
	int lines = 0;
	if (n == (size_t)-1)
		return 0;
	size_t i = 0;
	while (i < n && lines < max) {
		size_t start = i, last_space = 0;
		int width = 0;
		while (i < n && width + (wcwidth(w[i]) > 0 ? wcwidth(w[i]) : 1) <= cols && i - start < 127) {
			if (w[i] == L' ')
				last_space = i;
			width += wcwidth(w[i]) > 0 ? wcwidth(w[i]) : 1;
			i++;
		}
		if (i < n && last_space > start)
			i = last_space + 1;
		size_t len = i - start;
		while (len && w[start + len - 1] == L' ')
			len--;
		wmemcpy(out[lines], w + start, len);
		out[lines][len] = L'\0';
		lines++;
	}
	return lines;
}

static void draw_error(struct ui *u, int y0, int cols, int max_rows)
{
	wchar_t lines[12][128];
	int n = 0, title_lines = 0;
	for (int i = 0; i < u->n_error && n < 10; i++) {
		char part[128];
		snprintf(part, sizeof part, "%s%s", i == 0 ? "✗ " : "", u->error[i]);
		n += wrap(part, cols, lines + n, 10 - n);
		if (i == 0)
			title_lines = n;
	}
	n += wrap(_("Enter/scan: close"), cols, lines + n, 12 - n);
	int h = n + 2 > max_rows ? max_rows : n + 2;
	if (err_panel) {
		del_panel(err_panel);
		err_panel = NULL;
	}
	if (err_win)
		delwin(err_win);
	err_win = newwin(h, cols, y0, 0);
	if (!err_win)
		return;
	err_panel = new_panel(err_win);
	wbkgd(err_win, A_REVERSE);
	werase(err_win);
	for (int r = 0; r < h; r++)
		mvwhline(err_win, r, 0, ' ', cols);
	for (int i = 0; i < n && i + 1 < h; i++) {
		if (i < title_lines)
			wattron(err_win, A_BOLD);
		mvwaddwstr(err_win, i + (h > n + 1 ? 1 : 0), 0, lines[i]);
		wattroff(err_win, A_BOLD);
	}
	show_panel(err_panel);
}

/* F1: what the screen is for, and every key of its form. */
static void draw_help(struct ui *u, int y0, int rows)
{
	wchar_t lines[12][128];
	int y = y0, n = u->def.help[0] ? wrap(_(u->def.help), u->cols, lines, 8) : 0;
	for (int i = 0; i < n && y < y0 + rows; i++)
		mvaddwstr(y++, 0, lines[i]);
	for (int i = 0; i < u->def.n_keys && y < y0 + rows; i++) {
		char item[96];
		const struct form_key *k = &u->def.keys[i];
		snprintf(item, sizeof item, "%-4s %s", k->key_name, k->label[0] ? _(k->label) : ui_request_label(k->request));
		ui_text(y++, 0, u->cols, item);
	}
}

static void draw(struct ui *u, const char *keep_input)
{
	erase();
	getmaxyx(stdscr, u->rows, u->cols);
	bool compact = u->rows < MIN_ROWS && u->rows >= 8 && u->cols >= 40;
	if ((u->cols < MIN_COLS || u->rows < MIN_ROWS) && !compact) {
		/* too small: say so, in as much room as there is */
		input_free(NULL, 0);
		if (err_panel) {
			hide_panel(err_panel);
		}
		const char *msg[] = { _("Terminal too small"), _("need 20x16 or 40x8"), _("enlarge it") };
		for (int i = 0; i < 3 && i < u->rows; i++)
			ui_text(i, 0, u->cols, msg[i]);
		wnoutrefresh(stdscr);
		update_panels();
		doupdate();
		return;
	}
	u->layout = compact ? LAYOUT_COMPACT : (u->cols >= 80 && u->rows >= 24) ? LAYOUT_DESK : LAYOUT_HANDHELD;
	bool inline_prompt = u->layout != LAYOUT_HANDHELD;	/* "▶ prompt: input" on one row */
	int rule = compact ? 0 : 1;			/* the lines under the status and above the keys */
	draw_status(u);
	int lrows = legend_rows(u);
	int prompt_rows = u->field < 0 ? 0 : (inline_prompt ? 1 : 2);
	int body_top = 1 + rule;
	int body_rows = u->rows - body_top - lrows - rule - prompt_rows - 1;
	int y = body_top;
	if (u->layout == LAYOUT_DESK) {
		ui_text(y++, 0, u->cols, _(u->def.title));
		body_rows--;
	}
	if (u->show_help)
		draw_help(u, y, body_rows);
	else if (u->scr->draw)
		u->scr->draw(u, y, body_rows, u->cols);
	int py = u->rows - lrows - rule - prompt_rows;
	if (u->info[0] && !u->n_error)
		ui_text(py - 1, 0, u->cols, u->info);
	if (rule)
		ui_hline(u->rows - lrows - 1, u->cols);
	draw_legend(u, u->rows - lrows);
	if (u->field >= 0) {
		const struct form_field *fd = &u->def.fields[u->field];
		char prompt[128];
		snprintf(prompt, sizeof prompt, "▶ %s%s", fd->prompt[0] ? _(fd->prompt) : fd->name,
			 inline_prompt ? ": " : "");
		ui_text(py, 0, u->cols, prompt);
		if (inline_prompt) {
			int pw = ui_width(prompt);
			input_make(u, py, pw, u->cols - pw - 1, keep_input);
		} else {
			input_make(u, py + 1, 0, u->cols - 1, keep_input);
		}
	} else {
		input_free(NULL, 0);
	}
	if (u->n_error)
		draw_error(u, body_top, u->cols, u->rows - body_top - lrows - rule);
	else if (err_panel)
		hide_panel(err_panel);
	wnoutrefresh(stdscr);
	update_panels();
	if (in_form && !u->n_error)
		pos_form_cursor(in_form);
	doupdate();
	u->dirty = false;
}

/* ---- keys -------------------------------------------------------------- */

static void on_key(struct ui *u, int rc, wint_t ch)
{
	u->last_key_ms = now_ms();
	if (u->show_help && !(rc == KEY_CODE_YES && (ch == KEY_F(1) || ch == KEY_RESIZE))) {
		u->show_help = false;	/* any key closes the help */
		u->dirty = true;
		if (ch == 27 || ch == '\n')
			return;
	}
	if (u->n_error) {
		/* A key acknowledges the error; a scan (text then Enter) also
		 * acknowledges it and is then taken as the next scan. */
		if (rc == KEY_CODE_YES || ch == '\n' || ch == '\r' || ch == 27) {
			u->n_error = 0;
			u->dirty = true;
			return;
		}
		u->n_error = 0;
		u->dirty = true;
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
		if (ch == KEY_ENTER) {
			ch = '\n';
		} else if (in_form) {
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
		char value[256] = "";
		if (in_form && !typed[0] && u->scr->request) {
			/* Enter on an empty field: the screen may pick from its list */
			u->scr->request(u, REQ_UI__COUNT + '\n');
			u->dirty = true;
			return;
		}
		if (in_form) {
			bool by_hand = burst_slow || burst_keys < 4;
			input_free(value, sizeof value);
			typed[0] = '\0';
			u->dirty = true;
			bool scan_field = u->field >= 0 && u->def.fields[u->field].kind == FIELD_SCAN;
			if (scan_field && !by_hand && !config_get_bool(u->app->cfg, "scanner.wedge", true)) {
				/* keyboard-wedge scanners are switched off on this desk */
				ui_fail(u, "%s", _("a keyboard scanner is switched off here (scanner.wedge): use the serial scanner or type the code"));
				return;
			}
			u->input = by_hand && scan_field ? "typed" : NULL;
			submit(u, value);
			u->input = NULL;
		} else if (u->scr->request) {
			u->scr->request(u, REQ_UI__COUNT + '\n');
			u->dirty = true;
		}
		return;
	}
	if (ch == 127 || ch == 8) {
		if (in_form) {
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
		burst_key();
		form_driver_w(in_form, OK, (wchar_t)ch);
		sync_typed();
		return;
	}
	if (!in_form && u->scr->request) {	/* menus: digits, arrows */
		u->scr->request(u, REQ_UI__COUNT + (int)ch);
		u->dirty = true;
	}
}

/* ---- scans from a serial scanner --------------------------------------- */

static void on_scan(struct ui *u, const struct scan_event *ev)
{
	u->last_key_ms = now_ms();
	switch (ev->kind) {
	case SCAN_EV_CODE: {
		char value[256];
		u->n_error = 0;		/* the next scan acknowledges an error */
		if (u->field < 0 || u->def.fields[u->field].kind != FIELD_SCAN) {
			ui_fail(u, "%s", _("no scan is expected here: choose a task first"));
			return;
		}
		snprintf(value, sizeof value, "%s", ev->code);
		input_free(NULL, 0);
		typed[0] = '\0';
		u->dirty = true;
		submit(u, value);
		break;
	}
	case SCAN_EV_DUPLICATE:
		snprintf(u->info, sizeof u->info, _("= %s again (double trigger): counted once"), ev->code);
		u->dirty = true;
		break;
	case SCAN_EV_ERROR:
	case SCAN_EV_PARTIAL:
		ui_fail(u, "%s", ev->message);
		break;
	case SCAN_EV_DISCONNECTED:
		snprintf(u->scanner_state, sizeof u->scanner_state, "%s", _("scanner disconnected"));
		ui_fail(u, "%s", ev->message);
		break;
	case SCAN_EV_CONNECTED:
		u->scanner_state[0] = '\0';
		snprintf(u->info, sizeof u->info, "%s", ev->message);
		u->dirty = true;
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
			snprintf(u.scanner_state, sizeof u.scanner_state, "%s", _("scanner disconnected"));
	}
	if (config_get(a->cfg, "sync.url", NULL)) {
		struct am_error se;
		u.sync = sync_new(a, &se);	/* without it the UI still works offline */
	}
	ui_go(&u, "login");
	int64_t last_minute = 0;
	long idle_min = config_get_long(a->cfg, "idle_lock", 10);
	char keep[256];
	while (!u.quit && !got_signal) {
		int64_t now = now_ms();
		if (now / MS_PER_MINUTE != last_minute) {	/* the clock on the status line */
			last_minute = now / MS_PER_MINUTE;
			u.dirty = true;
		}
		if (u.user.badge[0] && idle_min > 0 && now - u.last_key_ms > idle_min * MS_PER_MINUTE) {
			char badge[64];
			snprintf(badge, sizeof badge, "%s", u.user.badge);
			memset(&u.user, 0, sizeof u.user);
			ui_go(&u, "login");
			snprintf(u.info, sizeof u.info, "%s", _("locked after idle time: log in again"));
			(void)badge;
		}
		if (u.dirty) {
			snprintf(keep, sizeof keep, "%s", typed);
			input_free(NULL, 0);
			draw(&u, keep);
		}
		/* Keys curses already holds first; poll only when there are none. */
		wint_t ch;
		int rc = get_wch(&ch);
		if (rc != ERR) {
			on_key(&u, rc, ch);
			if (!u.dirty && in_form) {
				pos_form_cursor(in_form);
				wnoutrefresh(stdscr);
				doupdate();
			}
			continue;
		}
		/* one poll: the keyboard, the scanner, and the sockets of the sync */
		struct pollfd pfd[2 + 8] = { { STDIN_FILENO, POLLIN, 0 }, { sc ? scanner_pollfd(sc) : -1, POLLIN, 0 } };
		int n_sync = u.sync ? sync_fds(u.sync, pfd + 2, 8) : 0;
		int timeout = 1000;
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
		int n = poll(pfd, (nfds_t)(2 + n_sync), timeout);
		if (n > 0 && (pfd[0].revents & (POLLHUP | POLLERR)) && !(pfd[0].revents & POLLIN))
			break;
		if (u.sync) {
			size_t before = 0, after = 0, dead;
			int64_t oldest;
			struct am_error se;
			store_outbox_stats(u.store, &before, &oldest, &dead, &se);
			sync_handle(u.sync, pfd + 2, n_sync, now_ms());
			store_outbox_stats(u.store, &after, &oldest, &dead, &se);
			if (after != before)
				u.dirty = true;	/* the ⇡ count changed */
		}
		if (sc) {
			struct scan_event ev;
			scanner_handle(sc, pfd[1].fd >= 0 ? pfd[1].revents : 0, now_ms());
			while (scanner_next(sc, &ev))
				on_scan(&u, &ev);
		}
	}
	input_free(NULL, 0);
	scanner_close(sc);
	sync_free(u.sync);
	if (err_panel)
		del_panel(err_panel);
	if (err_win)
		delwin(err_win);
	err_panel = NULL;
	err_win = NULL;
	endwin();
	return 0;
}
