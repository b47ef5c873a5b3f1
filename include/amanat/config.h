/*
 * config.h - amanat.conf: "key = value" lines, '#' comments, optional
 * "[section]" headers that prefix the keys ("[sync]" + "url" = "sync.url").
 *
 * A terminal reads /etc/amanat/amanat.conf (the packaged file, never edited)
 * and then /etc/amanat/conf.d/ *.conf in name order (local settings; a later
 * file overrides an earlier one).  Nothing is looked up in the current
 * directory.  Every key a program knows is one line of a table of struct
 * config_key (amanat's: src/app/config_keys.c); config_check refuses an
 * unknown key or a value that does not parse, naming file:line and the
 * expected form.
 */
#ifndef AMANAT_CONFIG_H
#define AMANAT_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include "amanat/error.h"

struct config;

enum config_type {
	CFG_TEXT,	/* any text */
	CFG_PATH,	/* an absolute or relative file name */
	CFG_INT,	/* a whole number from min to max */
	CFG_BOOL,	/* yes/no, true/false, on/off, 1/0 */
	CFG_CHOICE,	/* one of choices, "a|b|c" */
	CFG_URL,	/* an https:// address */
	CFG_DATE,	/* YYYY-MM-DD */
	CFG_CHECKED,	/* check(value) says */
};

struct config_key {
	const char *key;		/* "sync.url" */
	enum config_type type;
	long min, max;			/* CFG_INT */
	const char *choices;		/* CFG_CHOICE: "kk|ru|en" */
	bool (*check)(const char *value);	/* CFG_CHECKED */
	const char *form;		/* the expected form, shown on a refusal */
	const char *help;		/* one line: what it is for */
};

/* amanat's keys, ended by an entry with key NULL. */
extern const struct config_key config_keys[];

struct config *config_new(void);
void config_free(struct config *c);
/* Parse text into c (later keys override earlier ones); source names it. */
int config_parse(struct config *c, const char *text, const char *source, struct am_error *e);
/* Read a file; a missing file is an error only if required. */
int config_load(struct config *c, const char *path, bool required, struct am_error *e);
/* Read dir/ *.conf in name order; a missing dir is fine. */
int config_load_dir(struct config *c, const char *dir, struct am_error *e);
int config_set(struct config *c, const char *key, const char *value);
/* Refuse unknown keys and bad values: AM_ENV with "file:line: ...". */
int config_check(const struct config *c, const struct config_key *keys, struct am_error *e);
/* The table entry of a key, or NULL. */
const struct config_key *config_key_find(const struct config_key *keys, const char *key);
/* Whether v is a value of k; k's expected form in words; the known key
 * nearest to a misspelt one (NULL when none is close). */
bool config_key_valid(const struct config_key *k, const char *v);
void config_key_form(const struct config_key *k, char *buf, size_t len);
const char *config_key_nearest(const struct config_key *keys, const char *key);
/* The files read, in order (for doctor). */
size_t config_n_files(const struct config *c);
const char *config_file(const struct config *c, size_t i);
/* Where a key was set: its file (NULL if set by code) and line. */
const char *config_origin(const struct config *c, const char *key, size_t *line);

const char *config_get(const struct config *c, const char *key, const char *def);
long config_get_long(const struct config *c, const char *key, long def);
bool config_get_bool(const struct config *c, const char *key, bool def);
/* Whether text is a value config_get_bool understands. */
bool config_is_bool(const char *v);

#endif
