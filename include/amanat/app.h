/*
 * app.h - what the CLI and the TUI share: configuration, calendar, rules and
 * the open store of one terminal.  Both front ends call the same functions
 * through this; neither runs SQL.
 */
#ifndef AMANAT_APP_H
#define AMANAT_APP_H

#include <limits.h>
#include <stdbool.h>
#include "amanat/calendar.h"
#include "amanat/config.h"
#include "amanat/error.h"
#include "amanat/store.h"

struct app {
	struct config *cfg;
	struct calendar *cal;
	struct store *store;		/* NULL until app_open_store */
	struct store_rules rules;
	char config_path[PATH_MAX];
	char db_path[PATH_MAX];
	char calendar_path[PATH_MAX];
	char actor[64];			/* who acts: config "actor", $AMANAT_ACTOR, $USER */
	char place[64];			/* where: the point id from the store or config */
	char lang[8];			/* "kk", "ru", "en" */
	/* how far app_load got: "config" while the configuration and its
	 * rules (time zone, waybill format) are read, "calendar" after them,
	 * "" when all loaded; what a failure was in (the doctor names it) */
	const char *load_stage;
	bool may_create;		/* app_open_store may make a new database (init) */
};

/*
 * Load configuration and calendar.  NULL paths mean the defaults:
 * config: $AMANAT_CONFIG, else /etc/amanat/amanat.conf (none is fine), each
 * followed by the conf.d/ *.conf beside it; never the current directory;
 * unknown keys and bad values refused (AM_ENV, file:line);
 * db: config "db", $AMANAT_DB, ./amanat.db;
 * calendar: config "calendar", else the shipped assets/calendar/kz-2026.txt.
 */
int app_load(struct app *a, const char *config_path, const char *db_path,
	     const char *calendar_path, struct am_error *e);
/* Open (migrate) the database and apply the rules to it; a path that does
 * not exist is refused (AM_REFUSED) unless may_create. */
int app_open_store(struct app *a, struct am_error *e);
/* The working-day calendar the point hub sent (store_hub_calendar), in use
 * instead of the file when it reaches at least as far. */
void app_use_hub_calendar(struct app *a);
void app_close(struct app *a);
/* The context of an event done now by this terminal's actor. */
struct event_ctx app_ctx(const struct app *a);

/*
 * Find a shipped file (e.g. "calendar/kz-2026.txt", "forms/accept.form") in
 * $AMANAT_DATADIR, ../assets or ../share/amanat beside the binary, the source
 * tree, or the install prefix.  Returns buf, or NULL when not found.
 */
const char *app_find_data(const char *rel, char *buf, size_t len);
/* The UTC offset (minutes) of the IANA zone name at utc_ms, from tzdata. */
int app_zone_offset(const char *name, int64_t utc_ms, int *offset_min, struct am_error *e);
/* Parse a utc_offset value ("+05:00", "5" hours, "300" minutes). 0 or -1. */
int app_parse_offset(const char *v, int *offset_min);
/* Read a whole file into a NUL-terminated malloc'd buffer. */
char *app_read_file(const char *path, size_t *len, struct am_error *e);
/* AM_REFUSED when path exists and is not a regular file (a FIFO would hang a
 * reader); 0 otherwise (a missing file is the reader's to report). */
int app_check_regular(const char *path, struct am_error *e);

#endif
