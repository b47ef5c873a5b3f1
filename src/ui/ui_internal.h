/*
 * ui_internal.h - what the engine (ui.c) and the screens (screen_*.c) share.
 */
#ifndef AMANAT_UI_INTERNAL_H
#define AMANAT_UI_INTERNAL_H

#include <curses.h>
#include <stdbool.h>
#include "amanat/app.h"
#include "amanat/staff.h"
#include "amanat/ui.h"
#include "form.h"

/* handheld 20x16 and up, desk 80x24 and up, compact 40x8 (short handhelds) */
enum layout { LAYOUT_HANDHELD, LAYOUT_DESK, LAYOUT_COMPACT };

#define UI_LOG_MAX 8

struct ui;

/* The behaviour of one screen; its fields and keys come from its form. */
struct screen {
	const char *name;		/* forms/<name>.form */
	void (*enter)(struct ui *u);
	/* A field was filled (validated by its validator already). */
	void (*field)(struct ui *u, const char *field, const char *value);
	void (*request)(struct ui *u, enum ui_request r);
	/* Draw the body: rows x cols starting at row y0 of stdscr. */
	void (*draw)(struct ui *u, int y0, int rows, int cols);
};

struct scan_line {
	char mark[8];			/* ✓ = ! ✗ */
	char text[96];
};

struct ui {
	struct app *app;
	struct store *store;
	const struct screen *scr;
	struct form_def def;
	int field;			/* index into def.fields, -1: none */
	enum layout layout;
	int rows, cols;
	bool quit;
	bool dirty;			/* redraw all */
	int64_t last_key_ms;

	struct staff user;		/* logged in; badge "" when not */
	struct shift shift;

	char error[3][96];		/* the error block: stays until acknowledged */
	int n_error;
	char info[96];			/* a one-line confirmation */

	/* Per-screen working state, reset by enter(). */
	char reg[64];			/* register being worked */
	char postomat[64];
	char waybill[32];
	char courier[64];
	char text[160];
	bool damaged_mode;
	bool show_remaining;
	int scroll;
	char damaged[64][32];
	int n_damaged;
	struct scan_line log[UI_LOG_MAX];
	int n_log;
	int menu_sel;
	bool show_help;			/* F1: the screen's help instead of its body */
	char scanner_state[96];
	struct sync *sync;		/* NULL when no upstream is configured */
	const char *input;		/* "typed" while a hand-typed code is handled */		/* "" or why the scanner is not there */
};

/* engine (ui.c) */
void ui_go(struct ui *u, const char *screen);
void ui_set_field(struct ui *u, const char *name);
void ui_fail(struct ui *u, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ui_ok(struct ui *u, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ui_log(struct ui *u, const char *mark, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
struct event_ctx ui_ctx(const struct ui *u);
/* The recent-scans lines, at most rows of them; returns the rows used. */
int ui_draw_log(const struct ui *u, int y, int rows, int cols);
/* A waybill scanned as the first step of a flow: known here?  Then keep it
 * in u->waybill and go to field next.  false (with the error shown) if not. */
bool ui_take_envelope(struct ui *u, const char *waybill, const char *next);
/* The request handler of screens whose only key is Esc/F5 back to the menu. */
void ui_back_to_menu(struct ui *u, enum ui_request r);
/* Draw UTF-8 text at (y, x) cut to width columns. */
void ui_text(int y, int x, int width, const char *s);
void ui_hline(int y, int cols);
int ui_width(const char *s);

/* screens */
extern const struct screen screen_login, screen_menu, screen_accept, screen_handback,
	screen_handover, screen_returns_in, screen_loss, screen_route, screen_place,
	screen_delay, screen_expire, screen_supervisor, screen_lookup;
const struct screen *screen_by_name(const char *name);

#endif
