/*
 * input.c - what arrives in a field, before the screen sees it: a code from
 * a scanner (a keyboard-wedge burst or the serial port) or typed by hand is
 * mapped back from the keyboard layout, classified (core/classify.c) and
 * held against the kind the field's form names; a code of another kind is
 * named for what it is, and every error shows the code as it was read.
 */
#include <stdlib.h>
#include <string.h>
#include "amanat/classify.h"
#include "amanat/date_input.h"
#include "amanat/i18n.h"
#include "amanat/postomat.h"
#include "amanat/timeutil.h"
#include "ui_internal.h"

/* Is code a known thing of kind k in the store (a badge, a postomat, a
 * register with an id of any shape)? */
static bool known_as(struct ui *u, enum code_kind k, const char *code)
{
	struct am_error e;
	switch (k) {
	case CODE_BADGE: {
		struct staff st;
		return store_staff_get(u->store, code, &st, &e) == 0;
	}
	case CODE_POSTOMAT: {
		struct postomat p;
		return store_postomat_get(u->store, code, &p, &e) == 0;
	}
	case CODE_REGISTER: {
		struct register_info i;
		return store_register_get(u->store, code, &i, NULL, &e) == 0;
	}
	default:
		return false;
	}
}

/* The kind a field asks for, from its validator (-1: any text). */
static int field_kind(const struct form_field *fd)
{
	if (!fd->validate[0] || !strcmp(fd->validate, "text") || !strcmp(fd->validate, "date"))
		return -1;
	return code_kind_from_name(fd->validate);
}

static void wrong_kind(struct ui *u, enum code_kind got, enum code_kind want, const char *code)
{
	char *what = code_description(got, code);
	ui_fail(u, "%s: %s", what ? what : code, code_expected(want));
	free(what);
}

char *ui_waybill_problem(struct ui *u, const char *code)
{
	/* the validator writes into a buffer: grow it until the reason fits
	 * whole (it is a short sentence; the loop ends at once in practice) */
	for (size_t cap = 256; cap <= 65536; cap *= 4) {
		char *why = malloc(cap);
		if (!why)
			return NULL;
		why[0] = '\0';
		if (waybill_validate(&u->app->rules.waybill, code, why, cap) == 0) {
			free(why);
			return NULL;
		}
		if (strlen(why) + 1 < cap)
			return why;
		free(why);
	}
	return NULL;
}

/* A scan field's value: mapped back, of the right kind and valid.  code
 * gets the code to use (malloc'd); false when refused (with the error). */
static bool check_scan(struct ui *u, const struct form_field *fd, const char *raw, char **code)
{
	size_t len = strlen(raw) * 2 + 1;
	char *mapped = malloc(len);
	if (!mapped) {
		ui_fail(u, "%s", _("out of memory"));
		return false;
	}
	/* A wedge scanner under a Cyrillic layout types the characters on the
	 * same keys: map them back before anything looks at the code. */
	code_unmap(&u->app->rules.waybill, raw, mapped, len);
	u->read_code = mapped;
	bool valid;
	enum code_kind got = code_classify(&u->app->rules.waybill, mapped, &valid);
	int want = field_kind(fd);
	if (want >= 0 && got != (enum code_kind)want && !known_as(u, (enum code_kind)want, mapped)) {
		/* another kind: the screen may take it (a postomat scan at a
		 * postomat moves the courier there), else say what it was */
		if (!(u->scr->scan && u->scr->scan(u, got, mapped)))
			wrong_kind(u, got, (enum code_kind)want, mapped);
		u->read_code = NULL;
		free(mapped);
		return false;
	}
	char *why = want == CODE_WAYBILL ? ui_waybill_problem(u, mapped) : NULL;
	if (why) {
		ui_fail(u, "%s %s - %s", mapped, _("not a valid waybill"), why);
		free(why);
		u->read_code = NULL;
		free(mapped);
		return false;
	}
	*code = mapped;
	return true;
}

static bool check_text(struct ui *u, const struct form_field *fd, const char *value)
{
	int64_t d;
	int64_t today = (now_ms() + u->app->rules.offset_min * 60000LL) / 86400000LL;
	if ((!strcmp(fd->validate, "date") || fd->kind == FIELD_DATE)
	    && date_input_parse(value, today, &d, NULL, 0)) {	/* 21.03.2026, as screens show dates */
		ui_fail(u, "%s", _("a date is written 21.03.2026"));
		return false;
	}
	size_t chars = mbstowcs(NULL, value, 0);
	if (chars == (size_t)-1) {
		ui_fail(u, "%s", _("the text is not valid UTF-8: type it again"));
		return false;
	}
	for (const unsigned char *p = (const unsigned char *)value; *p; p++)
		if (*p < 32 || *p == 127) {
			ui_fail(u, "%s", _("the text holds a control character: type it again"));
			return false;
		}
	if ((int)chars > fd->max) {
		ui_fail(u, _("at most %d characters here (%zu typed)"), fd->max, chars);
		return false;
	}
	return true;
}

void ui_submit(struct ui *u, const char *raw, bool by_hand)
{
	if (u->field < 0 || !u->scr->field || !*raw)	/* Enter on nothing: no alarm */
		return;
	const struct form_field *fd = &u->def.fields[u->field];
	u->read_raw = fd->kind == FIELD_SCAN ? raw : NULL;	/* a PIN is never shown */
	if (fd->kind == FIELD_SCAN) {
		char *code = NULL;
		if (check_scan(u, fd, raw, &code)) {
			u->input = by_hand ? "typed" : NULL;
			u->scr->field(u, fd->name, code);
			u->input = NULL;
		}
		u->read_code = NULL;
		free(code);
	} else if (check_text(u, fd, raw)) {
		u->scr->field(u, fd->name, raw);
	}
	u->read_raw = NULL;
}

void ui_stray_scan(struct ui *u, const char *raw)
{
	/* A scan where nothing is scanned (a menu, a typed field): it never
	 * chooses anything and never fills a typed field. */
	size_t len = strlen(raw) * 2 + 1;
	char *mapped = malloc(len);
	if (!mapped)
		return;
	code_unmap(&u->app->rules.waybill, raw, mapped, len);
	enum code_kind kind = code_classify(&u->app->rules.waybill, mapped, NULL);
	if (u->scr->scan && u->scr->scan(u, kind, mapped)) {	/* a scan that confirms */
		free(mapped);
		return;
	}
	char *what = code_description(kind, mapped);
	u->read_raw = raw;
	if (u->field >= 0)	/* a typed field (a PIN, a date, a reason): no menu here */
		ui_fail(u, "%s - %s", what ? what : mapped, _("a scan does not go into this field: type it"));
	else
		ui_fail(u, "%s: %s", what ? what : mapped, _("choose a task first: a scan never chooses from a menu"));
	u->read_raw = NULL;
	free(what);
	free(mapped);
}
