/*
 * form.h - screen definitions read from forms/<name>.form.
 *
 *   title   "Accept hand-over"
 *   help    "What the screen is for, shown with F1"
 *   layout  handheld desk
 *   field   waybill  scan  validate=waybill  prompt="Scan an envelope"
 *   key     F5  finish  ["label"]
 *
 * Field kinds: scan (a scanner or keyboard-wedge field: the Cyrillic layout
 * is mapped back), text, secret (shown as *), date.  Validators: waybill,
 * register, badge, postomat, cell, date, text (non-empty).  A date field
 * with from=today is never moved by the arrows to a day before today.
 */
#ifndef AMANAT_UI_FORM_H
#define AMANAT_UI_FORM_H

#include <stdbool.h>
#include "amanat/error.h"
#include "amanat/ui.h"

#define FORM_MAX_FIELDS 8
#define FORM_FIELD_MAX 2000	/* longest input: a register sheet's 2D code part fits */
/* Bytes that hold any field's value whole: at most FORM_FIELD_MAX characters
 * (a form's max= is capped there), each at most four bytes of UTF-8. */
#define FORM_TEXT_SIZE (FORM_FIELD_MAX * 4 + 1)
#define FORM_MAX_KEYS 10

enum field_kind { FIELD_SCAN, FIELD_TEXT, FIELD_SECRET, FIELD_DATE };

struct form_field {
	char name[32];
	enum field_kind kind;
	char validate[16];
	char *prompt;		/* msgid, any length (malloc'd); NULL: the name */
	int max;		/* longest input accepted */
	bool from_today;	/* a date: the arrows stop at today (from=today) */
};

struct form_key {
	int key;		/* ncurses key code */
	char key_name[8];	/* "F5", "Esc" */
	enum ui_request request;
	char *label;		/* msgid, any length (malloc'd); NULL: the request's own */
};

struct form_def {
	char name[32];
	char *title;		/* msgid (malloc'd), never NULL after a parse */
	char *help;		/* what the screen is for (F1): msgid (malloc'd) or NULL */
	bool handheld, desk;
	struct form_field fields[FORM_MAX_FIELDS];
	int n_fields;
	struct form_key keys[FORM_MAX_KEYS];
	int n_keys;
};

/* Parse a form file's text; name is the screen's name (for messages).
 * Human text (title, help, prompts, key labels) is held at any length;
 * names, validators and key names are identifiers, refused when too long.
 * On success the caller frees what it holds with form_free; on failure
 * nothing is held. */
int form_parse(const char *text, const char *name, struct form_def *out, struct am_error *e);
/* Load forms/<name>.form from the data directories. */
int form_load(const char *name, struct form_def *out, struct am_error *e);
int form_field_index(const struct form_def *f, const char *name);
void form_free(struct form_def *f);

#endif
