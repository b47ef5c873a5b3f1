/*
 * main.c - amanat-hub: the point hub's command line.
 *
 *   amanat-hub [--db CONNINFO] migrate
 *   amanat-hub [--db CONNINFO] device add ID --point POINT [--courier BADGE]
 *   amanat-hub [--db CONNINFO] device revoke ID
 *   amanat-hub [--db CONNINFO] register|postomat|staff import FILE
 *   amanat-hub [--db CONNINFO] conflict list | resolve ID --note TEXT
 *   amanat-hub [--db CONNINFO] serve [--listen ADDR:PORT] [--port-file FILE]
 *              [--tls-cert FILE --tls-key FILE] [--threads N]
 *              [--upstream URL --upstream-token-file FILE]
 *
 * CONNINFO is a libpq connection string; without --db, AMANAT_HUB_DB or
 * libpq's own PG* variables.  Exit codes as the terminal's: 0 done,
 * 1 refused, 2 usage, 3 environment.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <curl/curl.h>
#include "hub.h"

struct hub_conf hub_conf = { .threads = 4, .feed_limit = 500, .upstream_interval_ms = 2000, .offset_min = 300 };

#ifndef AMANAT_HUB_DATADIR
#define AMANAT_HUB_DATADIR "/usr/share/amanat-hub"
#endif

static const char USAGE[] =
	"usage: amanat-hub [--db CONNINFO] COMMAND ...\n\n"
	"  migrate                        create or upgrade the hub's tables\n"
	"  device add ID --point POINT [--courier BADGE]\n"
	"                                 add a terminal; prints its token once\n"
	"  device revoke ID               refuse the device's token from now on\n"
	"  register import FILE           store registers (one or an array) for their points\n"
	"  postomat import FILE           store postomats with cells and reservations\n"
	"  staff import FILE              the point's staff with PIN hashes, to every device\n"
	"                                 of the point through the feed\n"
	"  calendar import FILE           a working-day calendar, to every point through the feed\n"
	"  conflict list                  open conflicts (two devices acting on one envelope)\n"
	"  conflict resolve ID --note TEXT   close one; both records stay\n"
	"  upstream dead                  events the upstream system refused for good (dead letters)\n"
	"  upstream resend UUID|all       put dead letters back in the outbox\n"
	"  serve [--listen ADDR:PORT] [--port-file FILE] [--tls-cert FILE --tls-key FILE]\n"
	"        [--threads N] [--feed-limit N] [--upstream URL --upstream-token-file FILE\n"
	"        [--upstream-cainfo FILE] [--upstream-interval-ms N]] [--calendar FILE]\n"
	"                                 answer the terminals (docs/protocol.md, docs/hub.md)\n\n"
	"exit codes: 0 done, 1 refused, 2 usage, 3 environment\n";

/* Ids go into logs and answers: plain characters only. */
static bool plain_id(const char *s)
{
	size_t n = strlen(s);
	return n > 0 && n < 64 && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._") == n;
}

static int usage(struct am_error *e)
{
	return am_fail(e, AM_USAGE, "%s", "wrong arguments: see amanat-hub --help");
}

static int cmd_device(int argc, char **argv, struct am_error *e)
{
	const char *point = NULL, *courier = "";
	static const struct option opts[] = {
		{ "point", required_argument, NULL, 'p' }, { "courier", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	int o;
	optind = 1;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o == 'p')
			point = optarg;
		else if (o == 'c' && optarg)
			courier = optarg;
		else
			return usage(e);
	}
	if (argc - optind != 2)
		return usage(e);
	const char *verb = argv[optind], *id = argv[optind + 1];
	if (!plain_id(id) || (point && !plain_id(point)) || (*courier && !plain_id(courier)))
		return am_fail(e, AM_USAGE, "ids are 1-63 letters, digits, '-', '.', '_'");
	if (!strcmp(verb, "add")) {
		if (!point)
			return am_fail(e, AM_USAGE, "device add needs --point");
		char token[80];
		int rc = hub_device_add(id, point, courier, token, sizeof token, e);
		if (!rc)
			printf("%s\n", token);
		return rc;
	}
	if (!strcmp(verb, "revoke"))
		return hub_device_revoke(id, e);
	return usage(e);
}

/* A whole positive number of an option, or -1 (atol took "x" for 0). */
static long option_number(const char *s)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	return (end == s || *end || errno || v < 1) ? -1 : v;
}

/* The working-day calendar the deadlines are reckoned by: --calendar,
 * AMANAT_CALENDAR, else the copy the package installs.  Without one the hub
 * serves, and its summary says that it cannot tell deadlines. */
static int load_calendar(struct am_error *e)
{
	const char *path = hub_conf.calendar_path ? hub_conf.calendar_path : getenv("AMANAT_CALENDAR");
	bool named = path != NULL;
	if (!path)
		path = AMANAT_HUB_DATADIR "/calendar/kz-2026.txt";
	size_t len;
	char *text = hub_read_file(path, &len, e);
	if (!text) {
		if (named)
			return AM_ENV;
		hub_log("warning", "no_calendar", "\"path\":\"%s\"", path);
		return 0;
	}
	char err[256];
	hub_conf.calendar = calendar_parse(text, err, sizeof err);
	free(text);
	return hub_conf.calendar ? 0 : am_fail(e, AM_ENV, "calendar %s: %s", path, err);
}

static int cmd_serve(int argc, char **argv, struct am_error *e)
{
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, 'l' }, { "port-file", required_argument, NULL, 'P' },
		{ "tls-cert", required_argument, NULL, 'C' }, { "tls-key", required_argument, NULL, 'K' },
		{ "threads", required_argument, NULL, 't' }, { "feed-limit", required_argument, NULL, 'f' },
		{ "upstream", required_argument, NULL, 'u' }, { "upstream-token-file", required_argument, NULL, 'T' },
		{ "upstream-cainfo", required_argument, NULL, 'A' }, { "upstream-interval-ms", required_argument, NULL, 'i' },
		{ "calendar", required_argument, NULL, 'c' }, { NULL, 0, NULL, 0 },
	};
	int o;
	optind = 1;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'l': hub_conf.listen = optarg; break;
		case 'P': hub_conf.port_file = optarg; break;
		case 'C': hub_conf.tls_cert = optarg; break;
		case 'K': hub_conf.tls_key = optarg; break;
		case 't': hub_conf.threads = (int)option_number(optarg); break;	/* checked below */
		case 'f': if ((hub_conf.feed_limit = option_number(optarg)) < 0) return usage(e); break;
		case 'u': hub_conf.upstream = optarg; break;
		case 'T': hub_conf.upstream_token_file = optarg; break;
		case 'A': hub_conf.upstream_cainfo = optarg; break;
		case 'i': if ((hub_conf.upstream_interval_ms = option_number(optarg)) < 0) return usage(e); break;
		case 'c': hub_conf.calendar_path = optarg; break;
		default: return usage(e);
		}
	}
	if (optind != argc || hub_conf.threads < 1 || hub_conf.threads > 256
	    || hub_conf.feed_limit < 1 || hub_conf.feed_limit > 10000
	    || hub_conf.upstream_interval_ms < 10 || hub_conf.upstream_interval_ms > 3600000)
		return usage(e);
	if (hub_conf.upstream && strncmp(hub_conf.upstream, "https://", 8))
		return am_fail(e, AM_USAGE, "--upstream must be an https:// URL");
	int rc = load_calendar(e);
	if (!rc)
		rc = hub_migrate(e);	/* a hub never serves an old schema */
	hub_pg_close();
	return rc ? rc : hub_serve(e);
}

int main(int argc, char **argv)
{
	struct am_error e = { "" };
	int i = 1;
	hub_conf.conninfo = getenv("AMANAT_HUB_DB");
	curl_global_init(CURL_GLOBAL_DEFAULT);	/* before any thread */
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(USAGE, stdout);
			return 0;
		}
		if (!strcmp(argv[i], "--version")) {
			printf("amanat-hub %s\n", AMANAT_VERSION);
			return 0;
		}
		if (!strcmp(argv[i], "--db") && i + 1 < argc)
			hub_conf.conninfo = argv[++i];
		else {
			fputs(USAGE, stderr);
			return 2;
		}
	}
	if (i >= argc) {
		fputs(USAGE, stderr);
		return 2;
	}
	const char *cmd = argv[i];
	int rc;
	if (!strcmp(cmd, "migrate"))
		rc = i + 1 == argc ? hub_migrate(&e) : usage(&e);
	else if (!strcmp(cmd, "device"))
		rc = cmd_device(argc - i, argv + i, &e);
	else if ((!strcmp(cmd, "register") || !strcmp(cmd, "postomat") || !strcmp(cmd, "staff")
		  || !strcmp(cmd, "calendar")) && i + 3 == argc
		 && !strcmp(argv[i + 1], "import")) {
		size_t n = 0;
		rc = hub_import(cmd, argv[i + 2], &n, &e);
		if (!rc)
			printf("%zu %s document(s) stored\n", n, cmd);
	} else if (!strcmp(cmd, "conflict") && i + 2 == argc && !strcmp(argv[i + 1], "list")) {
		rc = hub_conflict_list(&e);
	} else if (!strcmp(cmd, "conflict") && i + 5 == argc && !strcmp(argv[i + 1], "resolve")
		   && !strcmp(argv[i + 3], "--note")) {
		rc = hub_conflict_resolve(argv[i + 2], argv[i + 4], &e);
	} else if (!strcmp(cmd, "upstream") && i + 2 == argc && !strcmp(argv[i + 1], "dead")) {
		rc = hub_upstream_dead(&e);
	} else if (!strcmp(cmd, "upstream") && i + 3 == argc && !strcmp(argv[i + 1], "resend")) {
		rc = hub_upstream_resend(argv[i + 2], &e);
	} else if (!strcmp(cmd, "serve"))
		rc = cmd_serve(argc - i, argv + i, &e);
	else
		rc = usage(&e);
	hub_pg_close_all();
	calendar_free(hub_conf.calendar);
	curl_global_cleanup();
	if (rc)
		fprintf(stderr, "amanat-hub: %s\n", e.msg);
	return am_exit_code(rc);
}
