/*
 * config.c - amanat.conf, a flat list of "key = value" lines.
 *
 * "[section]" prefixes the keys that follow ("[sync]" then "url = ..." is
 * "sync.url"); values may be quoted with "..." to keep spaces at the ends.
 * The parser keeps every key with the file and line that set it, so that
 * config_check can refuse an unknown key or a bad value where it was written
 * (the table of known keys is src/app/config_keys.c).
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "amanat/app.h"
#include "amanat/config.h"
#include "amanat/i18n.h"

struct config_entry {
	char *key, *value;
	size_t file;			/* index into files + 1; 0: set by code */
	size_t line;
};

struct config {
	struct config_entry *v;
	size_t n, cap;
	char **files;			/* the files read, in order */
	size_t n_files;
};

struct config *config_new(void)
{
	return calloc(1, sizeof(struct config));
}

void config_free(struct config *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].key);
		free(c->v[i].value);
	}
	free(c->v);
	for (size_t i = 0; i < c->n_files; i++)
		free(c->files[i]);
	free(c->files);
	free(c);
}

static int set_at(struct config *c, const char *key, const char *value, size_t file, size_t line)
{
	char *v = strdup(value);
	if (!v)
		return -1;
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->v[i].key, key) == 0) {
			free(c->v[i].value);
			c->v[i].value = v;
			c->v[i].file = file;
			c->v[i].line = line;
			return 0;
		}
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 32;
		struct config_entry *n = realloc(c->v, cap * sizeof *n);
		if (!n) {
			free(v);
			return -1;
		}
		c->v = n;
		c->cap = cap;
	}
	char *k = strdup(key);
	if (!k) {
		free(v);
		return -1;
	}
	c->v[c->n].key = k;
	c->v[c->n].value = v;
	c->v[c->n].file = file;
	c->v[c->n].line = line;
	c->n++;
	return 0;
}

int config_set(struct config *c, const char *key, const char *value)
{
	return set_at(c, key, value, 0, 0);
}

/* Remember a file name; its index + 1 tags the keys it sets. */
static size_t add_file(struct config *c, const char *source)
{
	char **n = realloc(c->files, (c->n_files + 1) * sizeof *n);
	if (!n)
		return 0;
	c->files = n;
	if (!(c->files[c->n_files] = strdup(source)))
		return 0;
	return ++c->n_files;
}

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	char *end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

int config_parse(struct config *c, const char *text, const char *source, struct am_error *e)
{
	char section[64] = "";
	size_t lineno = 0;
	const char *p = text;
	size_t file = add_file(c, source);
	if (!file)
		return am_fail(e, AM_ENV, _("out of memory"));
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char line[1024];
		lineno++;
		if (len >= sizeof line)
			return am_fail(e, AM_ENV, _("%s:%zu: line is too long"), source, lineno);
		memcpy(line, p, len);
		line[len] = '\0';
		p += len + (nl ? 1 : 0);

		char *s = trim(line);
		if (*s == '\0' || *s == '#' || *s == ';')
			continue;
		if (*s == '[') {
			char *end = strchr(s, ']');
			if (!end || end[1] != '\0' || end - s - 1 >= (long)sizeof section)
				return am_fail(e, AM_ENV, _("%s:%zu: a section looks like [name]"), source, lineno);
			*end = '\0';
			snprintf(section, sizeof section, "%s", trim(s + 1));
			continue;
		}
		char *eq = strchr(s, '=');
		if (!eq)
			return am_fail(e, AM_ENV, _("%s:%zu: expected 'key = value'"), source, lineno);
		*eq = '\0';
		char *key = trim(s), *val = trim(eq + 1);
		if (*key == '\0')
			return am_fail(e, AM_ENV, _("%s:%zu: the key is empty"), source, lineno);
		size_t vl = strlen(val);
		if (vl >= 2 && val[0] == '"' && val[vl - 1] == '"') {
			val[vl - 1] = '\0';
			val++;
		} else {
			char *hash = strstr(val, " #");	/* a trailing comment */
			if (hash)
				*hash = '\0';
			val = trim(val);
		}
		char full[256];
		if (section[0])
			snprintf(full, sizeof full, "%s.%s", section, key);
		else
			snprintf(full, sizeof full, "%s", key);
		if (set_at(c, full, val, file, lineno))
			return am_fail(e, AM_ENV, _("out of memory"));
	}
	return 0;
}

int config_load(struct config *c, const char *path, bool required, struct am_error *e)
{
	if (!required && access(path, F_OK) != 0 && errno == ENOENT)
		return 0;
	size_t len;
	char *buf = app_read_file(path, &len, e);
	if (!buf)
		return AM_ENV;
	int rc = config_parse(c, buf, path, e);
	free(buf);
	return rc;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int config_load_dir(struct config *c, const char *dir, struct am_error *e)
{
	DIR *d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0 : am_fail(e, AM_ENV, _("cannot read %s: %s"), dir, strerror(errno));
	char **names = NULL;
	size_t n = 0;
	int rc = 0;
	struct dirent *de;
	while (!rc && (de = readdir(d))) {
		size_t l = strlen(de->d_name);
		if (de->d_name[0] == '.' || l < 6 || strcmp(de->d_name + l - 5, ".conf"))
			continue;	/* editor leftovers (.swp, ~, .dpkg-old) are not read */
		char **m = realloc(names, (n + 1) * sizeof *m);
		if (!m || !(m[n] = strdup(de->d_name))) {
			if (m)
				names = m;
			rc = am_fail(e, AM_ENV, _("out of memory"));
			break;
		}
		names = m;
		n++;
	}
	closedir(d);
	if (names)
		qsort(names, n, sizeof *names, by_name);
	for (size_t i = 0; i < n; i++) {
		char path[PATH_MAX];
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		if (!rc)
			rc = config_load(c, path, true, e);
		free(names[i]);
	}
	free(names);
	return rc;
}

size_t config_n_files(const struct config *c)
{
	return c ? c->n_files : 0;
}

const char *config_file(const struct config *c, size_t i)
{
	return c && i < c->n_files ? c->files[i] : NULL;
}

const char *config_origin(const struct config *c, const char *key, size_t *line)
{
	if (c)
		for (size_t i = 0; i < c->n; i++)
			if (strcmp(c->v[i].key, key) == 0) {
				if (line)
					*line = c->v[i].line;
				return c->v[i].file ? c->files[c->v[i].file - 1] : NULL;
			}
	return NULL;
}

int config_check(const struct config *c, const struct config_key *keys, struct am_error *e)
{
	for (size_t i = 0; c && i < c->n; i++) {
		const struct config_entry *v = &c->v[i];
		char where[PATH_MAX + 32], form[200];
		if (v->file)
			snprintf(where, sizeof where, "%s:%zu", c->files[v->file - 1], v->line);
		else
			snprintf(where, sizeof where, "config");
		const struct config_key *k = config_key_find(keys, v->key);
		if (!k) {
			const char *near = config_key_nearest(keys, v->key);
			if (near)
				return am_fail(e, AM_ENV, _("%s: unknown key '%s' (did you mean '%s'?): amanat does not start with a key it does not know"),
					       where, v->key, near);
			return am_fail(e, AM_ENV, _("%s: unknown key '%s': amanat does not start with a key it does not know (the keys: man amanat)"),
				       where, v->key);
		}
		if (!config_key_valid(k, v->value)) {
			config_key_form(k, form, sizeof form);
			if (k->type == CFG_URL && !strncmp(v->value, "http://", 7))
				return am_fail(e, AM_ENV, _("%s: %s = %s: only https:// is accepted (the token and the events must not travel in clear)"),
					       where, v->key, v->value);
			return am_fail(e, AM_ENV, _("%s: %s = '%s' is not valid: expected %s"), where, v->key, v->value, form);
		}
	}
	return 0;
}

const char *config_get(const struct config *c, const char *key, const char *def)
{
	if (c)
		for (size_t i = 0; i < c->n; i++)
			if (strcmp(c->v[i].key, key) == 0)
				return c->v[i].value;
	return def;
}

long config_get_long(const struct config *c, const char *key, long def)
{
	const char *v = config_get(c, key, NULL);
	if (!v || !*v)
		return def;
	char *end;
	errno = 0;
	long n = strtol(v, &end, 0);
	return (*end || errno) ? def : n;
}

bool config_is_bool(const char *v)
{
	static const char *const words[] = { "1", "0", "yes", "no", "true", "false", "on", "off" };
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (!strcasecmp(v, words[i]))
			return true;
	return false;
}

bool config_get_bool(const struct config *c, const char *key, bool def)
{
	const char *v = config_get(c, key, NULL);
	if (!v)
		return def;
	if (!strcmp(v, "1") || !strcasecmp(v, "yes") || !strcasecmp(v, "true") || !strcasecmp(v, "on"))
		return true;
	if (!strcmp(v, "0") || !strcasecmp(v, "no") || !strcasecmp(v, "false") || !strcasecmp(v, "off"))
		return false;
	return def;
}
