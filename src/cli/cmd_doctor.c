/*
 * cmd_doctor.c - `amanat doctor`: is this terminal set up right?  Each check
 * prints ✓ or ✗ and, when it fails, what to do.  Exit 0 when all pass, 3
 * otherwise.  Also `amanat backup FILE` and `amanat restore FILE`.
 */
#include <curl/curl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "amanat/cli.h"
#include "amanat/endpoint.h"
#include "amanat/health.h"
#include "amanat/i18n.h"
#include "amanat/scan.h"
#include "amanat/spawn.h"
#include "amanat/timeutil.h"
#include "doctor.h"

extern const struct cli_command cmd_doctor, cmd_backup, cmd_restore;

static void check_database(struct checks *k)
{
	struct am_error e = { "" };
	struct cli *c = k->c;
	if (app_open_store(&c->app, &e)) {
		doctor_report(k, "database", false, "%s", e.msg);
		return;
	}
	int file, binary;
	if (store_quick_check(c->app.store, &e)) {
		doctor_report(k, "database", false, "%s", e.msg);
		return;
	}
	if (store_meta_set(c->app.store, "doctor.last_run", "ok", &e)) {
		doctor_report(k, "database", false, _("%s is not writable: %s (check its owner and the amanat group)"),
		       c->app.db_path, e.msg);
		return;
	}
	store_schema_version(c->app.store, &file, &binary, &e);
	doctor_report(k, "database", file == binary, file == binary ? _("%s: healthy, writable, schema %d")
	       : _("%s: schema %d, this amanat writes %d"), c->app.db_path, file, binary);
}

/* A register import cut short (killed, the disk full) leaves its register
 * hidden from every list and scan until its file is imported again: the
 * clerk who saw the import fail may not be the one who looks. */
static int unfinished(const char *id, size_t lines, void *arg)
{
	struct checks *k = arg;
	doctor_report(k, "registers", false, _("register %s is not fully imported (%zu lines there) and is hidden until it is:"
					       " if no import of it is running, import its file again to finish it"), id, lines);
	return 0;
}

static void check_registers(struct checks *k)
{
	struct am_error e;
	int before = k->failed;
	if (!k->c->app.store)
		return;
	if (store_registers_unfinished(k->c->app.store, unfinished, k, &e))
		doctor_report(k, "registers", false, "%s", e.msg);
	else if (k->failed == before)
		doctor_report(k, "registers", true, "%s", _("every register imported whole"));
}

static int latest_due(const struct clock_row *r, void *arg)
{
	int64_t *max = arg;
	if (r->due_ms > *max)
		*max = r->due_ms;
	return 0;
}

static void check_calendar(struct checks *k)
{
	int off = k->c->app.rules.offset_min;
	int64_t today = (now_ms() + (int64_t)off * MS_PER_MINUTE) / MS_PER_DAY, latest = 0;
	int first, last;
	struct am_error e;
	calendar_span(k->c->app.cal, &first, &last);
	bool ok = calendar_covers(k->c->app.cal, today);
	if (!ok) {
		doctor_report(k, "calendar", false, _("%s has no entries for this year (%d-%d): add the year's holidays and transfers"),
		       k->c->app.calendar_path, first, last);
		return;
	}
	/* every open deadline must fall on days the file describes */
	if (k->c->app.store)
		store_clock_each(k->c->app.store, latest_due, &latest, &e);
	int64_t day = latest ? (latest - 1 + (int64_t)off * MS_PER_MINUTE) / MS_PER_DAY : today;
	char t[32], edge[200];
	if (latest && !calendar_covers(k->c->app.cal, day)) {
		time_format_local(latest, off, t, sizeof t);
		deadline_calendar_warning(k->c->app.cal, edge, sizeof edge);
		doctor_report(k, "calendar", false, _("%s: the latest open deadline is %s: %s"), k->c->app.calendar_path, t, edge);
		return;
	}
	doctor_report(k, "calendar", true, _("%s covers today and every open deadline (%d-%d)%s"), k->c->app.calendar_path,
	       first, last, calendar_is_provisional(k->c->app.cal, day) ? _("; the days from the provisional line on are not final") : "");
}

static void check_scanner(struct checks *k)
{
	const char *port = config_get(k->c->app.cfg, "scanner.port", NULL);
	if (!port) {
		doctor_report(k, "scanner", true, "%s", _("no serial scanner configured (keyboard-wedge scanners need nothing)"));
		return;
	}
	struct am_error e = { "" };
	struct scanner *sc = scanner_open(k->c->app.cfg, NULL, &e);
	if (!sc) {
		doctor_report(k, "scanner", false, "%s", e.msg);
		return;
	}
	bool ok = scanner_connected(sc);
	doctor_report(k, "scanner", ok, ok ? _("%s is there") : _("%s is not there: plug the scanner in, check scanner.port and the dialout group"),
	       scanner_port(sc));
	scanner_close(sc);
}

static void check_printer(struct checks *k)
{
	const char *printer = config_get(k->c->app.cfg, "print.printer", NULL);
	const char *device = config_get(k->c->app.cfg, "print.device", NULL);
	if (device) {
		bool ok = access(device, W_OK) == 0;
		doctor_report(k, "printer", ok, ok ? _("%s is writable") : _("%s is not writable: check the cable and the lp group"), device);
	} else if (printer) {
		const char *argv[] = { "lpstat", "-p", printer, NULL };
		struct am_error se;
		int code = -1;
		bool ok = spawn_run(argv, SPAWN_QUIET, &code, &se) == 0 && code == 0;
		doctor_report(k, "printer", ok, ok ? _("CUPS knows %s") : _("CUPS does not know %s (lpstat -p): add the printer or fix print.printer"), printer);
	} else {
		doctor_report(k, "printer", true, "%s", _("no printer configured"));
	}
}

/* The desk's folders the config names (only those: the defaults sit beside
 * the database, which the files check covers).  report_dir: closing the
 * shift writes its report there first and is refused when it cannot, so a
 * folder that cannot be written stops the close at the end of a shift;
 * the report makes the folder itself when its parent can be written.
 * register.inbox: the folder the Registers screen's F2 reads. */
static void check_folders(struct checks *k)
{
	const char *reports = config_get(k->c->app.cfg, "report_dir", NULL);
	const char *inbox = config_get(k->c->app.cfg, "register.inbox", NULL);
	struct stat st;
	if (reports && *reports) {
		bool ok;
		if (stat(reports, &st) == 0) {
			ok = S_ISDIR(st.st_mode) && access(reports, W_OK | X_OK) == 0;
		} else {
			char *parent = strdup(reports), *slash = parent ? strrchr(parent, '/') : NULL;
			if (slash)
				*(slash == parent ? slash + 1 : slash) = '\0';
			ok = parent && access(slash ? parent : ".", W_OK | X_OK) == 0;
			free(parent);
		}
		doctor_report(k, "reports", ok, ok ? _("%s: shift reports can be written") :
			      _("%s cannot take the shift reports (closing the shift writes its report first): make the folder writable or fix report_dir"),
			      reports);
	}
	if (inbox && *inbox) {
		bool ok = stat(inbox, &st) == 0 && S_ISDIR(st.st_mode) && access(inbox, R_OK | X_OK) == 0;
		doctor_report(k, "inbox", ok, ok ? _("%s: register files can be read") :
			      _("%s cannot be read: mount the stick, make the folder or fix register.inbox"), inbox);
	}
}

/* The hub, set up exactly as sync sets it up (endpoint.h): address, token,
 * CA, pin; one authenticated request tells the failures apart. */
static void check_hub(struct checks *k)
{
	const struct config *cfg = k->c->app.cfg;
	const char *url = config_get(cfg, "sync.url", NULL);
	if (!url) {
		doctor_report(k, "hub", true, "%s", _("no upstream configured (sync.url): the terminal works offline"));
		return;
	}
	struct endpoint ep;
	struct am_error e = { "" };
	const char *tf = config_get(cfg, "sync.token_file", NULL);
	size_t line = 0;
	const char *in_conf = config_get(cfg, "sync.token", NULL) ? config_origin(cfg, "sync.token", &line) : NULL;
	if (tf)
		doctor_check_secret(k, _("the token file"), tf);
	else if (in_conf)
		doctor_check_secret(k, _("the config file holding sync.token"), in_conf);
	if (endpoint_load(&ep, cfg, &e)) {
		doctor_report(k, "hub", false, "%s", e.msg);
		return;
	}
	long status;
	char why[300];
	switch (endpoint_probe(&ep, &status, why, sizeof why)) {
	case PROBE_OK:
		doctor_report(k, "hub", true, _("%s answers and accepts this device's token (HTTP %ld)"), ep.url, status);
		break;
	case PROBE_UNREACHABLE:
		doctor_report(k, "hub", false, _("%s cannot be reached: %s (check the network and the host and port in sync.url)"), ep.url, why);
		break;
	case PROBE_TLS:
		doctor_report(k, "hub", false, _("%s: %s (check sync.cainfo and sync.pin)"), ep.url, why);
		break;
	case PROBE_NOT_FOUND:
		doctor_report(k, "hub", false, _("%s answers HTTP 404: this address is not the hub's (check the path in sync.url)"), ep.url);
		break;
	case PROBE_TOKEN:
		doctor_report(k, "hub", false, _("%s refuses this device's token (HTTP %ld): the token in %s is wrong or revoked; put the right one there"),
			      ep.url, status, ep.token_file[0] ? ep.token_file : "sync.token");
		break;
	case PROBE_HTTP:
		doctor_report(k, "hub", false, _("%s answers HTTP %ld: the hub is not well (try again later, or tell its operators)"), ep.url, status);
		break;
	}
	endpoint_free(&ep);
}

static void check_config(struct checks *k)
{
	const struct config *cfg = k->c->app.cfg;
	size_t n = config_n_files(cfg);
	if (!n) {
		doctor_report(k, "config", true, "%s", _("no configuration file (the defaults; /etc/amanat/amanat.conf is the usual one)"));
		return;
	}
	char list[1000] = "";
	size_t used = 0;
	for (size_t i = 0; i < n && used < sizeof list; i++)
		used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", config_file(cfg, i));
	doctor_report(k, "config", true, _("read %s"), list);
}

/* The clock now, in local time when the configuration (its timezone or
 * utc_offset) loaded; else the zone is not known and the time is said in
 * UTC, never labelled local. */
static void check_clock(struct checks *k, bool zone_known)
{
	int64_t now = now_ms(), newest = 0;
	struct am_error e;
	char t[40];
	if (k->c->app.store)
		store_newest_event(k->c->app.store, &newest, &e);
	time_format_local(now, zone_known ? k->c->app.rules.offset_min : 0, t, sizeof t);
	int year = (int)strtol(t, NULL, 10);
	bool ok = year >= 2024 && year <= 2035 && now + 5 * MS_PER_MINUTE >= newest;
	doctor_report(k, "clock", ok, ok ? (zone_known ? _("%s local time") : _("%s UTC"))
		      : _("%s is wrong (before the newest event, or out of range): set the clock (NTP)"), t);
}

static int doctor_exec(struct cli *c, int argc, char **argv, struct am_error *e)
{
	(void)argv;
	if (argc != 1)
		return cli_usage(&cmd_doctor, e);
	struct checks k = { c, c->json ? json_array() : NULL, 0 };
	if (!c->json)
		printf("amanat %s\n", AMANAT_VERSION);
	if (c->load_status != AM_OK) {
		/* the configuration (or, after it, the calendar) did not load: say
		 * which (app_load's stage: a bad time zone or waybill format is
		 * the configuration's), and check only what does not depend on it */
		bool calendar = c->app.load_stage && !strcmp(c->app.load_stage, "calendar");
		doctor_report(&k, calendar ? "calendar" : "config", false, "%s", c->load_error.msg);
		if (calendar) {
			doctor_check_files(&k);
			check_database(&k);
		}
		check_clock(&k, calendar);	/* the zone was read before the calendar */
	} else {
		check_config(&k);
		doctor_check_files(&k);
		check_database(&k);
		check_registers(&k);
		check_calendar(&k);
		check_scanner(&k);
		check_printer(&k);
		check_folders(&k);
		check_hub(&k);
		check_clock(&k, true);
	}
	if (k.arr)
		cli_json_out(json_pack("{s:b, s:o}", "ok", k.failed == 0, "checks", k.arr));
	return k.failed ? am_fail(e, AM_ENV, _("%d check(s) failed: see above"), k.failed) : 0;
}

static int backup_exec(struct cli *c, int argc, char **argv, struct am_error *e)
{
	if (argc != 2)
		return cli_usage(&cmd_backup, e);
	int rc = store_backup(c->app.store, argv[1], e);
	if (!rc && c->json)
		cli_json_out(json_pack("{s:s, s:s}", "db", c->app.db_path, "backup", argv[1]));
	else if (!rc)
		printf(_("backup written: %s\n"), argv[1]);
	return rc;
}

static int restore_exec(struct cli *c, int argc, char **argv, struct am_error *e)
{
	if (argc != 2)
		return cli_usage(&cmd_restore, e);
	int rc = store_restore(argv[1], c->app.db_path, e);
	if (!rc && c->json)
		cli_json_out(json_pack("{s:s, s:s, s:o}", "db", c->app.db_path, "restored_from", argv[1],
				       "previous", json_sprintf("%s.before-restore", c->app.db_path)));
	else if (!rc)
		printf(_("%s restored from %s (the previous database is kept as %s.before-restore)\n"),
		       c->app.db_path, argv[1], c->app.db_path);
	return rc;
}

const struct cli_command cmd_doctor = {
	.name = "doctor", .usage = "",
	.help = "check the set-up: database, calendar, scanner, printer, hub, clock; says what to fix",
	.flags = CLI_RUNS_BROKEN, .exec = doctor_exec,
};
const struct cli_command cmd_backup = {
	.name = "backup", .usage = "FILE",
	.help = "a consistent copy of the database (sqlite3 backup API), safe while others work",
	.flags = CLI_NEEDS_STORE, .exec = backup_exec,
};
const struct cli_command cmd_restore = {
	.name = "restore", .usage = "FILE",
	.help = "replace the database with a checked backup (the current one is kept beside it)",
	.flags = 0, .exec = restore_exec,
};
