/*
 * config.c - amanat.conf, a flat list of "key = value" lines.
 *
 * "[section]" prefixes the keys that follow ("[sync]" then "url = ..." is
 * "sync.url"); values may be quoted with "..." to keep spaces at the ends.
 * The parser keeps every key, known or not, so each module reads its own.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "amanat/app.h"
#include "amanat/config.h"
#include "amanat/i18n.h"

struct config_entry {
	char *key, *value;
};

struct config {
	struct config_entry *v;
	size_t n, cap;
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
	free(c);
}

int config_set(struct config *c, const char *key, const char *value)
{
	char *v = strdup(value);
	if (!v)
		return -1;
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->v[i].key, key) == 0) {
			free(c->v[i].value);
			c->v[i].value = v;
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
	c->n++;
	return 0;
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
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char line[1024];
		lineno++;
		if (len >= sizeof line)
			return am_fail(e, AM_REFUSED, _("%s:%zu: line is too long"), source, lineno);
		memcpy(line, p, len);
		line[len] = '\0';
		p += len + (nl ? 1 : 0);

		char *s = trim(line);
		if (*s == '\0' || *s == '#' || *s == ';')
			continue;
		if (*s == '[') {
			char *end = strchr(s, ']');
			if (!end || end[1] != '\0' || end - s - 1 >= (long)sizeof section)
				return am_fail(e, AM_REFUSED, _("%s:%zu: a section looks like [name]"), source, lineno);
			*end = '\0';
			snprintf(section, sizeof section, "%s", trim(s + 1));
			continue;
		}
		char *eq = strchr(s, '=');
		if (!eq)
			return am_fail(e, AM_REFUSED, _("%s:%zu: expected 'key = value'"), source, lineno);
		*eq = '\0';
		char *key = trim(s), *val = trim(eq + 1);
		if (*key == '\0')
			return am_fail(e, AM_REFUSED, _("%s:%zu: the key is empty"), source, lineno);
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
		if (config_set(c, full, val))
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
