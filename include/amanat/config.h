/*
 * config.h - amanat.conf: "key = value" lines, '#' comments, optional
 * "[section]" headers that prefix the keys ("[sync]" + "url" = "sync.url").
 * Each module reads its own keys with a default; unknown keys are kept, so a
 * newer config does not break an older binary.
 */
#ifndef AMANAT_CONFIG_H
#define AMANAT_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include "amanat/error.h"

struct config;

struct config *config_new(void);
void config_free(struct config *c);
/* Parse text into c (later keys override earlier ones). */
int config_parse(struct config *c, const char *text, const char *source, struct am_error *e);
/* Read a file; a missing file is an error only if required. */
int config_load(struct config *c, const char *path, bool required, struct am_error *e);
int config_set(struct config *c, const char *key, const char *value);

const char *config_get(const struct config *c, const char *key, const char *def);
long config_get_long(const struct config *c, const char *key, long def);
bool config_get_bool(const struct config *c, const char *key, bool def);

#endif
