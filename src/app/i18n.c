/*
 * i18n.c - choosing the language of the texts at run time.
 *
 * gettext picks the catalogue from LANGUAGE only when the locale is not
 * "C"; so a C or POSIX locale is replaced by C.UTF-8 (always present on
 * Debian), which also lets ncursesw draw Cyrillic.
 */
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "amanat/i18n.h"

#ifndef AMANAT_LOCALEDIR
#define AMANAT_LOCALEDIR "/usr/share/locale"
#endif

static char current[8] = "en";

static int has_catalogue(const char *dir, const char *lang)
{
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/%s/LC_MESSAGES/amanat.mo", dir, lang);
	return access(path, R_OK) == 0;
}

/* build/<variant>/amanat -> build/locale; <prefix>/bin/amanat -> <prefix>/share/locale */
static const char *find_localedir(const char *lang, char *buf, size_t len)
{
	const char *env = getenv("AMANAT_LOCALEDIR");
	if (env && *env && has_catalogue(env, lang))
		return env;
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			static const char *const rel[] = { "/../locale", "/../share/locale", "/../../build/locale" };
			*slash = '\0';
			for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
				snprintf(buf, len, "%s%s", exe, rel[i]);
				if (has_catalogue(buf, lang))
					return buf;
			}
		}
	}
	if (has_catalogue(AMANAT_LOCALEDIR, lang))
		return AMANAT_LOCALEDIR;
	return NULL;
}

int i18n_init(const char *lang, const char *localedir)
{
	char buf[PATH_MAX];
	const char *loc = setlocale(LC_ALL, "");
	if (!loc || !strcmp(loc, "C") || !strcmp(loc, "POSIX"))
		setlocale(LC_ALL, "C.UTF-8");
	if (!lang || !*lang)
		lang = "kk";
	snprintf(current, sizeof current, "%s", lang);
	setenv("LANGUAGE", lang, 1);
	if (!localedir)
		localedir = find_localedir(lang, buf, sizeof buf);
	if (!localedir) {
		bindtextdomain("amanat", AMANAT_LOCALEDIR);
		textdomain("amanat");
		return strcmp(lang, "en") == 0 ? 0 : -1;
	}
	bindtextdomain("amanat", localedir);
	bind_textdomain_codeset("amanat", "UTF-8");
	textdomain("amanat");
	return 0;
}

const char *i18n_language(void)
{
	return current;
}

const char *i18n_pgettext(const char *ctx_msgid, const char *msgid)
{
	const char *t = gettext(ctx_msgid);
	return t == ctx_msgid || !strcmp(t, ctx_msgid) ? gettext(msgid) : t;
}

const char *i18n_short(const char *ctx, const char *msgid)
{
	char *key = NULL;
	if (!*msgid || asprintf(&key, "%s\004%s", ctx, msgid) < 0)
		return *msgid ? gettext(msgid) : msgid;
	const char *t = i18n_pgettext(key, msgid);
	free(key);	/* t is the catalogue's own when found, else gettext(msgid) */
	return t;
}
