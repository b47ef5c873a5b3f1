/*
 * ui_internal.h - what the engine (ui.c) and the screens (screen_*.c) share.
 */
#ifndef AMANAT_UI_INTERNAL_H
#define AMANAT_UI_INTERNAL_H

#include <curses.h>
#include <stdbool.h>
#include <stdint.h>
#include <wchar.h>
#include "amanat/app.h"
#include "amanat/classify.h"
#include "amanat/staff.h"
#include "amanat/ui.h"
#include "form.h"

/* handheld 20x16 and up, desk 80x24 and up, compact 40x8 (short handhelds) */
enum layout { LAYOUT_HANDHELD, LAYOUT_DESK, LAYOUT_COMPACT };

struct ui;

/* The behaviour of one screen; its fields and keys come from its form.
 * A screen keeps its own small working state (state_size bytes, zeroed on
 * every entry, in u->state) and reads every fact it shows from the store,
 * so Esc and back, an idle lock or a restart shows the same. */
struct screen {
	const char *name;		/* forms/<name>.form */
	size_t state_size;		/* its private state, 0: none */
	void (*enter)(struct ui *u);
	/* Leaving: free what the private state holds (NULL: nothing to free). */
	void (*leave)(struct ui *u);
	/* A field was filled (validated by its validator already). */
	void (*field)(struct ui *u, const char *field, const char *value);
	void (*request)(struct ui *u, enum ui_request r);
	/* Draw the body: rows x cols starting at row y0 of stdscr. */
	void (*draw)(struct ui *u, int y0, int rows, int cols);
	/* The handheld status line's left part (the postomat...), NULL: the title. */
	const char *(*status)(struct ui *u);
	/* A scanned code of another kind than the field asks for: true when
	 * the screen took it (a postomat scan at a postomat moves there). */
	bool (*scan)(struct ui *u, enum code_kind kind, const char *code);
};

/* The engine's state only: no screen's facts live here. */
struct ui {
	struct app *app;
	struct store *store;
	const struct screen *scr;
	const struct screen *came_from;	/* the screen before this one: Esc goes back there */
	void *state;			/* the screen's private state */
	struct form_def def;
	int field;			/* index into def.fields, -1: none */
	enum layout layout;
	int rows, cols;
	bool quit;
	bool dirty;			/* redraw all */
	int64_t last_key_ms;

	struct staff user;		/* logged in; badge "" when not */
	struct shift shift;

	char *alarm;			/* the error block (malloc'd, " - " parts): stays until acknowledged */
	char *note;			/* a one-line confirmation (malloc'd) or NULL */
	bool note_ok;			/* the note confirms something (ui_ok), not guidance */
	char *said_code;		/* the code the alarm or the note is about (malloc'd) or NULL */
	int scroll;			/* the body's list: first row shown */
	int menu_sel;			/* the body's list: the chosen row */
	bool show_help;			/* F1: the screen's help instead of its body */
	int help_scroll;
	const char *scanner_state;	/* NULL or why the scanner is not there */
	struct sync *sync;		/* NULL when no upstream is configured */
	const char *input;		/* "typed" while a hand-typed code is handled */
	const char *read_raw;		/* the code as read, while it is handled */
	const char *read_code;		/* the same mapped back from the layout */
	struct store_import *import;	/* a register loading in slices, or NULL */
	char import_id[REG_ID_MAX];	/* its id and kind, for the line that says so */
	const char *import_kind;
};

/* input.c: a value for the current field (typed or scanned): checked and
 * handed to the screen.  by_hand: typed, not a scanner's burst. */
void ui_submit(struct ui *u, const char *raw, bool by_hand);
/* Why code is not a valid waybill (malloc'd, whole), NULL when it is one. */
char *ui_waybill_problem(struct ui *u, const char *code);
/* A scan where no field takes one (a menu): said, never acted on. */
void ui_stray_scan(struct ui *u, const char *raw);

/* engine (ui.c) */
void ui_go(struct ui *u, const char *screen);
void ui_set_field(struct ui *u, const char *name);
/* An error block (a long signal): parts separated by " - ", the first the title. */
void ui_fail(struct ui *u, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A confirmation line with a short signal. */
void ui_ok(struct ui *u, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A line of guidance, no signal. */
void ui_note(struct ui *u, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* screen_register.c: the register loading (u->import) one slice further
 * (the poll loop, between keys and scans); all the way (before another
 * starts, and on the way out). */
void ui_import_step(struct ui *u);
void ui_import_finish(struct ui *u);
struct event_ctx ui_ctx(const struct ui *u);
/* The lines of this user's recent work on this shift: events whose type is
 * in the mask (EV_BIT), newest first, read from the store.  Returns rows used. */
int ui_draw_recent(struct ui *u, uint32_t types, int y, int rows, int cols);
/* A waybill scanned as the first step of a flow: known here?  Then copy it
 * into out (len bytes) and go to field next.  false (with the error shown) if not. */
bool ui_take_envelope(struct ui *u, const char *waybill, char *out, size_t len, const char *next);
/* The request handler of screens whose only key is Esc/F5 back to the menu. */
void ui_back_to_menu(struct ui *u, enum ui_request r);
/* text.c: draw UTF-8 text at (y, x) in width columns; a text too long ends
 * at a word with "…" (inside a word only when it has no space). */
void ui_text(int y, int x, int width, const char *s);
/* ui_text of a line built from fmt: built whole first (no byte buffer cuts
 * a letter or a word), then fit to width in display columns. */
void ui_textf(int y, int x, int width, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
bool ui_text_fits(const char *s, int width);
void ui_hline(int y, int cols);
int ui_width(const char *s);
/* Word-wrap s to cols columns: lines of wide characters (malloc'd). */
struct wrapped {
	wchar_t **line;
	int n;
	bool cut_word;			/* a word longer than a line had to be cut */
};
int ui_wrap(const char *s, int cols, struct wrapped *out);
void ui_wrap_free(struct wrapped *w);
/* The screen-fit check: a text that did not fit (AMANAT_FIT_LOG). */
void ui_fit_report(const char *what, const char *s, int width);
/* Draw s wrapped in rows lines from line *scroll (kept in range), with ↓
 * when more follows: for texts that must be shown whole. */
int ui_draw_scrolled(int y, int x, int cols, int rows, const char *s, int *scroll);
/* A sentence for people at (y, x): wrapped in at most rows lines, the last
 * one ending in "…" at a word when more would be needed (a hint, where the
 * screen is too small, may be cut: F1 has it whole); returns the lines. */
int ui_say(int y, int x, int cols, int rows, const char *s);
/* Draw s wrapped at (y, x), at most rows lines; returns the lines drawn. */
int ui_draw_wrapped(int y, int x, int cols, int rows, const char *s);
/* A translated label for an event a person sees ("accepted", "placed"). */
const char *ui_event_label(enum event_type t);
/* short.c: the same label's short form for a handheld (context "handheld"). */
const char *ui_event_short(enum event_type t);
/* A late delivery's new date as people write it ("30.11.2026") into buf;
 * NULL for any other event or one without its date. */
const char *ui_event_new_date(const struct event_row *r, char *buf, size_t len);
/* A title or menu item (msgid) translated: the long form when it fits in
 * room columns, else its short form when it has one. */
const char *ui_fit_label(const char *msgid, int room);
/* Has msgid a short form (context "handheld") in the catalogues? */
bool ui_has_short(const char *msgid);
/* "✓ RR402118737KZ placed" in cols columns (malloc'd): the code whole, with
 * the first that fits of label, brief (its short form) and nothing. */
char *ui_code_line(const char *mark, const char *code, const char *label, const char *brief, int cols);
/* s in width columns (malloc'd): whole when it fits, else ended at a word
 * with "…" (inside a word only when its first word alone is wider). */
char *ui_cut(const char *s, int width);
/* s in width columns (malloc'd): whole when it fits, else its end after
 * "…" ("…8737KZ": a code's tail is what tells it from its neighbours). */
char *ui_cut_left(const char *s, int width);
/* An age as the status line shows it: "25м", "5с", "247к" (minutes below an
 * hour, hours below two days, days). */
void ui_age(int64_t ms, char *buf, size_t len);

/* screens */
extern const struct screen screen_login, screen_menu, screen_accept, screen_handback,
	screen_handover, screen_returns_in, screen_loss, screen_route, screen_place,
	screen_delay, screen_expire, screen_supervisor, screen_lookup;
extern const struct screen screen_desk, screen_acts, screen_dead, screen_staff;	/* screen_desk.c */
extern const struct screen screen_registers;	/* screen_register.c */
extern const struct screen screen_status;	/* screen_status.c */
extern const struct screen screen_force_majeure;	/* screen_force_majeure.c */
extern const struct screen screen_sort;		/* screen_sort.c */
extern const struct screen screen_upstream;	/* screen_upstream.c */
const struct screen *screen_by_name(const char *name);

#endif
