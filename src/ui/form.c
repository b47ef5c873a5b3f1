/*
 * form.c - the loader of forms/NAME.form: what a screen shows and accepts is
 * data; adding a field is a change to a form file, not to C.
 */
#include <ctype.h>
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "amanat/app.h"
#include "amanat/i18n.h"
#include "form.h"

static const char *const request_names[] = {
#define X(id, name, label) name,
	UI_REQUESTS(X)
#undef X
};
static const char *const request_labels[] = {
#define X(id, name, label) label,
	UI_REQUESTS(X)
#undef X
};

const char *ui_request_name(enum ui_request r)
{
	return (unsigned)r < REQ_UI__COUNT ? request_names[r] : "?";
}

int ui_request_from_name(const char *name)
{
	for (int i = 0; i < REQ_UI__COUNT; i++)
		if (strcmp(request_names[i], name) == 0)
			return i;
	return -1;
}

const char *ui_request_label(enum ui_request r)
{
	return (unsigned)r < REQ_UI__COUNT ? _(request_labels[r]) : "?";
}

/* Split the next word (or "quoted text") off *p. */
static int word(char **p, char *out, size_t len)
{
	char *s = *p;
	size_t n = 0;
	while (isspace((unsigned char)*s))
		s++;
	if (!*s)
		return -1;
	if (*s == '"') {
		s++;
		while (*s && *s != '"' && n + 1 < len)
			out[n++] = *s++;
		if (*s != '"')
			return -1;
		s++;
	} else {
		while (*s && !isspace((unsigned char)*s) && n + 1 < len) {
			if (*s == '=' && s[1] == '"') {	/* key="quoted value" */
				out[n++] = *s++;
				s++;
				while (*s && *s != '"' && n + 1 < len)
					out[n++] = *s++;
				if (*s != '"')
					return -1;
				s++;
				break;
			}
			out[n++] = *s++;
		}
	}
	out[n] = '\0';
	*p = s;
	return 0;
}

static int key_code(const char *name)
{
	if (!strcmp(name, "Esc"))
		return 27;
	if (!strcmp(name, "Enter"))
		return '\n';
	if (name[0] == 'F' && isdigit((unsigned char)name[1])) {
		int n = (int)strtol(name + 1, NULL, 10);
		if (n >= 1 && n <= 12)
			return KEY_F(n);
	}
	return -1;
}

static int parse_field(char *rest, struct form_def *f, const char *where, struct am_error *e)
{
	struct form_field *fd;
	char kind[16], opt[160];
	if (f->n_fields == FORM_MAX_FIELDS)
		return am_fail(e, AM_ENV, "%s: too many fields", where);
	fd = &f->fields[f->n_fields];
	memset(fd, 0, sizeof *fd);
	fd->max = 64;
	if (word(&rest, fd->name, sizeof fd->name) || word(&rest, kind, sizeof kind))
		return am_fail(e, AM_ENV, "%s: field NAME KIND [validate=V] [prompt=\"...\"]", where);
	if (!strcmp(kind, "scan")) fd->kind = FIELD_SCAN;
	else if (!strcmp(kind, "text")) fd->kind = FIELD_TEXT;
	else if (!strcmp(kind, "secret")) fd->kind = FIELD_SECRET;
	else if (!strcmp(kind, "date")) fd->kind = FIELD_DATE;
	else return am_fail(e, AM_ENV, "%s: unknown field kind '%s'", where, kind);
	while (word(&rest, opt, sizeof opt) == 0) {
		if (!strncmp(opt, "validate=", 9))
			snprintf(fd->validate, sizeof fd->validate, "%s", opt + 9);
		else if (!strncmp(opt, "prompt=", 7))
			snprintf(fd->prompt, sizeof fd->prompt, "%s", opt + 7);
		else if (!strncmp(opt, "max=", 4))
			fd->max = (int)strtol(opt + 4, NULL, 10);
		else
			return am_fail(e, AM_ENV, "%s: unknown field option '%s'", where, opt);
	}
	if (fd->max < 1 || fd->max > FORM_FIELD_MAX)
		fd->max = 64;
	f->n_fields++;
	return 0;
}

int form_parse(const char *text, const char *name, struct form_def *f, struct am_error *e)
{
	char line[512], where[64], what[32];
	int lineno = 0;
	memset(f, 0, sizeof *f);
	snprintf(f->name, sizeof f->name, "%s", name);
	while (*text) {
		const char *nl = strchr(text, '\n');
		size_t len = nl ? (size_t)(nl - text) : strlen(text);
		lineno++;
		snprintf(where, sizeof where, "forms/%s.form:%d", name, lineno);
		if (len >= sizeof line)
			return am_fail(e, AM_ENV, "%s: line too long", where);
		memcpy(line, text, len);
		line[len] = '\0';
		text += len + (nl ? 1 : 0);
		char *p = line;
		while (isspace((unsigned char)*p))
			p++;
		if (!*p || *p == '#')
			continue;
		if (word(&p, what, sizeof what))
			continue;
		if (!strcmp(what, "title")) {
			if (word(&p, f->title, sizeof f->title))
				return am_fail(e, AM_ENV, "%s: title \"text\"", where);
		} else if (!strcmp(what, "help")) {
			if (word(&p, f->help, sizeof f->help))
				return am_fail(e, AM_ENV, "%s: help \"text\"", where);
		} else if (!strcmp(what, "layout")) {
			char cls[16];
			while (word(&p, cls, sizeof cls) == 0) {
				if (!strcmp(cls, "handheld")) f->handheld = true;
				else if (!strcmp(cls, "desk")) f->desk = true;
				else return am_fail(e, AM_ENV, "%s: layout is handheld and/or desk", where);
			}
		} else if (!strcmp(what, "field")) {
			int rc = parse_field(p, f, where, e);
			if (rc)
				return rc;
		} else if (!strcmp(what, "key")) {
			struct form_key *k;
			char req[32];
			if (f->n_keys == FORM_MAX_KEYS)
				return am_fail(e, AM_ENV, "%s: too many keys", where);
			k = &f->keys[f->n_keys];
			memset(k, 0, sizeof *k);
			if (word(&p, k->key_name, sizeof k->key_name) || word(&p, req, sizeof req))
				return am_fail(e, AM_ENV, "%s: key KEY REQUEST [\"label\"]", where);
			k->key = key_code(k->key_name);
			int r = ui_request_from_name(req);
			if (k->key < 0 || r < 0)
				return am_fail(e, AM_ENV, "%s: unknown key '%s' or request '%s'", where, k->key_name, req);
			k->request = (enum ui_request)r;
			word(&p, k->label, sizeof k->label);
			f->n_keys++;
		} else {
			return am_fail(e, AM_ENV, "%s: unknown line '%s'", where, what);
		}
	}
	if (!f->handheld && !f->desk)
		f->handheld = f->desk = true;
	return 0;
}

int form_load(const char *name, struct form_def *out, struct am_error *e)
{
	char rel[64], path[4096];
	snprintf(rel, sizeof rel, "forms/%s.form", name);
	if (!app_find_data(rel, path, sizeof path)) {
		/* the source tree keeps forms/ at the top, beside assets/ */
		snprintf(path, sizeof path, "forms/%s.form", name);
		const char *env = getenv("AMANAT_FORMS");
		if (env)
			snprintf(path, sizeof path, "%s/%s.form", env, name);
	}
	char *text = app_read_file(path, NULL, e);
	if (!text)
		return AM_ENV;
	int rc = form_parse(text, name, out, e);
	free(text);
	return rc;
}

int form_field_index(const struct form_def *f, const char *name)
{
	for (int i = 0; i < f->n_fields; i++)
		if (!strcmp(f->fields[i].name, name))
			return i;
	return -1;
}
