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

const char *ui_request_msgid(enum ui_request r)
{
	return (unsigned)r < REQ_UI__COUNT ? request_labels[r] : "?";
}

const char *ui_request_label(enum ui_request r)
{
	return (unsigned)r < REQ_UI__COUNT ? _(request_labels[r]) : "?";
}

/* Split the next word (or "quoted text", or key="quoted value") off *p
 * into *out (malloc'd, any length).  1: none left; -1: an unclosed quote
 * or no memory. */
static int word(const char **p, char **out)
{
	const char *s = *p;
	*out = NULL;
	while (isspace((unsigned char)*s))
		s++;
	if (!*s)
		return 1;
	size_t cap = strlen(s) + 1, n = 0;
	char *w = malloc(cap);
	if (!w)
		return -1;
	if (*s == '"') {
		s++;
		while (*s && *s != '"')
			w[n++] = *s++;
		if (*s != '"')
			goto bad;
		s++;
	} else {
		while (*s && !isspace((unsigned char)*s)) {
			if (*s == '=' && s[1] == '"') {	/* key="quoted value" */
				w[n++] = *s++;
				s++;
				while (*s && *s != '"')
					w[n++] = *s++;
				if (*s != '"')
					goto bad;
				s++;
				break;
			}
			w[n++] = *s++;
		}
	}
	w[n] = '\0';
	*out = w;
	*p = s;
	return 0;
bad:
	free(w);
	return -1;
}

/* The next word into a fixed identifier buffer: -1 when there is none or
 * it does not fit (an identifier is never cut). */
static int ident(const char **p, char *out, size_t len)
{
	char *w;
	if (word(p, &w))
		return -1;
	size_t n = strlen(w);
	if (n >= len) {
		free(w);
		return -1;
	}
	memcpy(out, w, n + 1);
	free(w);
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

static int parse_field(const char *rest, struct form_def *f, const char *where, struct am_error *e)
{
	struct form_field *fd;
	char kind[16], *opt;
	if (f->n_fields == FORM_MAX_FIELDS)
		return am_fail(e, AM_ENV, "%s: too many fields", where);
	fd = &f->fields[f->n_fields];
	memset(fd, 0, sizeof *fd);
	fd->max = 64;
	if (ident(&rest, fd->name, sizeof fd->name) || ident(&rest, kind, sizeof kind))
		return am_fail(e, AM_ENV, "%s: field NAME KIND [validate=V] [prompt=\"...\"]", where);
	if (!strcmp(kind, "scan")) fd->kind = FIELD_SCAN;
	else if (!strcmp(kind, "text")) fd->kind = FIELD_TEXT;
	else if (!strcmp(kind, "secret")) fd->kind = FIELD_SECRET;
	else if (!strcmp(kind, "date")) fd->kind = FIELD_DATE;
	else return am_fail(e, AM_ENV, "%s: unknown field kind '%s'", where, kind);
	f->n_fields++;		/* from here form_free frees its prompt */
	int rc;
	while ((rc = word(&rest, &opt)) == 0) {
		if (!strncmp(opt, "validate=", 9) && strlen(opt + 9) < sizeof fd->validate) {
			snprintf(fd->validate, sizeof fd->validate, "%s", opt + 9);
		} else if (!strncmp(opt, "prompt=", 7)) {
			free(fd->prompt);
			fd->prompt = strdup(opt + 7);
			if (!fd->prompt) {
				free(opt);
				return am_fail(e, AM_ENV, "%s: out of memory", where);
			}
		} else if (!strncmp(opt, "max=", 4)) {
			fd->max = (int)strtol(opt + 4, NULL, 10);
		} else if (!strcmp(opt, "from=today")) {
			fd->from_today = true;
		} else {
			am_fail(e, AM_ENV, "%s: unknown field option '%s'", where, opt);
			free(opt);
			return AM_ENV;
		}
		free(opt);
	}
	if (rc < 0)
		return am_fail(e, AM_ENV, "%s: an unclosed quote", where);
	if (fd->max < 1 || fd->max > FORM_FIELD_MAX)
		fd->max = 64;
	return 0;
}

static int parse_key(const char *p, struct form_def *f, const char *where, struct am_error *e)
{
	struct form_key *k;
	char req[32];
	if (f->n_keys == FORM_MAX_KEYS)
		return am_fail(e, AM_ENV, "%s: too many keys", where);
	k = &f->keys[f->n_keys];
	memset(k, 0, sizeof *k);
	if (ident(&p, k->key_name, sizeof k->key_name) || ident(&p, req, sizeof req))
		return am_fail(e, AM_ENV, "%s: key KEY REQUEST [\"label\"]", where);
	k->key = key_code(k->key_name);
	int r = ui_request_from_name(req);
	if (k->key < 0 || r < 0)
		return am_fail(e, AM_ENV, "%s: unknown key '%s' or request '%s'", where, k->key_name, req);
	k->request = (enum ui_request)r;
	if (word(&p, &k->label) < 0)
		return am_fail(e, AM_ENV, "%s: key KEY REQUEST [\"label\"]", where);
	f->n_keys++;
	return 0;
}

/* title "text" / help "text": the text replaces what was there. */
static int parse_text(const char *p, char **out, const char *what, const char *where, struct am_error *e)
{
	char *w;
	if (word(&p, &w))
		return am_fail(e, AM_ENV, "%s: %s \"text\"", where, what);
	free(*out);
	*out = w;
	return 0;
}

static int parse_line(const char *p, struct form_def *f, const char *where, struct am_error *e)
{
	char what[32];
	while (isspace((unsigned char)*p))
		p++;
	if (!*p || *p == '#')
		return 0;
	if (ident(&p, what, sizeof what))
		return am_fail(e, AM_ENV, "%s: unknown line", where);
	if (!strcmp(what, "title"))
		return parse_text(p, &f->title, what, where, e);
	if (!strcmp(what, "help"))
		return parse_text(p, &f->help, what, where, e);
	if (!strcmp(what, "field"))
		return parse_field(p, f, where, e);
	if (!strcmp(what, "key"))
		return parse_key(p, f, where, e);
	if (!strcmp(what, "layout")) {
		char cls[16];
		while (ident(&p, cls, sizeof cls) == 0) {
			if (!strcmp(cls, "handheld")) f->handheld = true;
			else if (!strcmp(cls, "desk")) f->desk = true;
			else return am_fail(e, AM_ENV, "%s: layout is handheld and/or desk", where);
		}
		return 0;
	}
	return am_fail(e, AM_ENV, "%s: unknown line '%s'", where, what);
}

int form_parse(const char *text, const char *name, struct form_def *f, struct am_error *e)
{
	char where[64];
	int lineno = 0;
	memset(f, 0, sizeof *f);
	snprintf(f->name, sizeof f->name, "%s", name);
	while (*text) {
		const char *nl = strchr(text, '\n');
		size_t len = nl ? (size_t)(nl - text) : strlen(text);
		lineno++;
		snprintf(where, sizeof where, "forms/%.40s.form:%d", name, lineno);
		char *line = strndup(text, len);	/* a line of any length */
		if (!line) {
			form_free(f);
			return am_fail(e, AM_ENV, "%s: out of memory", where);
		}
		text += len + (nl ? 1 : 0);
		int rc = parse_line(line, f, where, e);
		free(line);
		if (rc) {
			form_free(f);
			return rc;
		}
	}
	if (!f->title && !(f->title = strdup(""))) {
		form_free(f);
		return am_fail(e, AM_ENV, "forms/%.40s.form: out of memory", name);
	}
	if (!f->handheld && !f->desk)
		f->handheld = f->desk = true;
	return 0;
}

void form_free(struct form_def *f)
{
	free(f->title);
	free(f->help);
	for (int i = 0; i < f->n_fields; i++)
		free(f->fields[i].prompt);
	for (int i = 0; i < f->n_keys; i++)
		free(f->keys[i].label);
	memset(f, 0, sizeof *f);
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
