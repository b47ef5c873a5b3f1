/*
 * cmd_scanner.c - `amanat scanner list|test|accept`: setting a scanner up at
 * a new desk, and feeding scans straight into an acceptance.
 */
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include "amanat/cli.h"
#include "amanat/i18n.h"
#include "amanat/text.h"
#include "amanat/scan.h"
#include "amanat/timeutil.h"

extern const struct cli_command cmd_scanner;

static volatile sig_atomic_t stop;
/* --json: every line the run would print, as one array printed at its end
 * (after --count, --timeout or an interrupt): one JSON document. */
static json_t *seen;
static void on_stop(int sig)
{
	(void)sig;
	stop = 1;
}

static int list_one(const struct scan_port *p, void *arg)
{
	json_t *arr = arg;
	char vid[8], pid[8];
	snprintf(vid, sizeof vid, "%04x", p->vid);
	snprintf(pid, sizeof pid, "%04x", p->pid);
	if (arr)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:o, s:o}", "port", p->name,
			"description", p->description, "vid", p->vid ? json_string(vid) : json_null(),
			"pid", p->vid ? json_string(pid) : json_null()));
	else if (p->vid)
		printf("%-24s usb %s:%s  %s\n", p->name, vid, pid, p->description);
	else
		printf("%-24s %s\n", p->name, p->description);
	return 0;
}

/* Read scans until stopped, --count scans or --timeout seconds; each good
 * code goes to on_code. */
static int run(struct cli *c, const char *port, long count, long timeout_s,
	       int (*on_code)(struct cli *, const struct scan_event *, void *), void *arg,
	       struct am_error *e)
{
	struct scanner *sc = scanner_open(c->app.cfg, port, e);
	if (!sc)
		return AM_ENV;
	signal(SIGINT, on_stop);
	signal(SIGTERM, on_stop);
	if (!scanner_connected(sc))
		fprintf(stderr, _("waiting for the scanner at %s ...\n"), scanner_port(sc));
	int64_t end = timeout_s > 0 ? now_ms() + timeout_s * 1000 : 0;
	long got = 0;
	int rc = 0;
	int64_t last_activity = now_ms();
	while (!stop && !rc && (count <= 0 || got < count) && (!end || now_ms() < end)) {
		struct pollfd p = { scanner_pollfd(sc), POLLIN, 0 };
		int t = scanner_timeout_ms(sc, now_ms());
		if (t < 0 || t > 200)
			t = 200;
		int ready = poll(&p, p.fd >= 0 ? 1 : 0, t);
		if (ready > 0)
			last_activity = now_ms();
		else if (ready == 0 && now_ms() - last_activity >= 1000)
			store_idle(c->app.store);	/* the WAL checkpoint, after a second of quiet */
		scanner_handle(sc, p.revents, now_ms());	/* 0 when not polled (fd < 0) */
		struct scan_event ev;
		while (!rc && scanner_next(sc, &ev)) {
			if (ev.kind == SCAN_EV_CODE) {
				got++;
				rc = on_code(c, &ev, arg);
			} else if (ev.kind == SCAN_EV_DUPLICATE) {
				if (seen)
					json_array_append_new(seen, json_pack("{s:s, s:s}", "event", "duplicate", "code", ev.code));
				else
					printf(_("duplicate %s (a double trigger: counted once)\n"), ev.code);
			} else {
				const char *kind = ev.kind == SCAN_EV_CONNECTED ? "connected" : ev.kind == SCAN_EV_DISCONNECTED
						   ? "disconnected" : ev.kind == SCAN_EV_PARTIAL ? "partial" : "error";
				if (seen)
					json_array_append_new(seen, json_pack("{s:s, s:s}", "event", kind, "message", ev.message));
				else
					printf("%s %s\n", kind, ev.message);
			}
			fflush(stdout);
		}
	}
	scanner_close(sc);
	return rc;
}

static int print_code(struct cli *c, const struct scan_event *ev, void *arg)
{
	(void)c;
	(void)arg;
	if (seen)
		json_array_append_new(seen, json_pack("{s:s, s:s, s:o, s:I}", "event", "code", "code", ev->code,
			"symbology", ev->symbology[0] ? json_string(ev->symbology) : json_null(),
			"ms", (json_int_t)(ev->last_ms - ev->first_ms)));
	else
		printf("code %s %s %lldms\n", ev->code, ev->symbology[0] ? ev->symbology : "-",
		       (long long)(ev->last_ms - ev->first_ms));
	return 0;
}

static int accept_code(struct cli *c, const struct scan_event *ev, void *arg)
{
	const char *reg = arg;
	enum scan_result res;
	char why[200] = "";
	struct am_error err = { "" };
	struct event_ctx ctx = app_ctx(&c->app);
	int rc = store_tally_scan(c->app.store, reg, ev->code, &ctx, &res, why, sizeof why, &err);
	if (am_is_env(rc)) {
		fprintf(stderr, "amanat: %s\n", err.msg);
		return rc;
	}
	if (seen) {	/* as `accept --json` prints a code */
		json_t *o = json_pack("{s:s, s:s, s:s}", "event", "code", "code", ev->code, "result",
				      rc ? "refused" : scan_result_name(res));
		if (rc || why[0])
			json_object_set_new(o, "reason", json_string(rc ? err.msg : why));
		json_array_append_new(seen, o);
	} else {
		printf("%s %s%s%s\n", ev->code, rc ? "refused" : scan_result_name(res), (rc || why[0]) ? ": " : "",
		       rc ? err.msg : why);
	}
	return 0;
}

static int scanner_exec(struct cli *c, int argc, char **argv, struct am_error *e)
{
	static const struct option opts[] = {
		{ "count", required_argument, NULL, 'n' },
		{ "timeout", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	long count = 0, timeout_s = 0;
	int opt, rc;
	if (argc < 2)
		return cli_usage(&cmd_scanner, e);
	const char *sub = argv[1];
	argc--;
	argv++;
	optind = 0;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (opt == 'n') {
			if (text_parse_count("--count", optarg, 1000000, &count, e))
				return AM_REFUSED;
		} else if (opt == 't') {
			if (text_parse_count("--timeout", optarg, 86400, &timeout_s, e))
				return AM_REFUSED;
		} else
			return cli_usage(&cmd_scanner, e);
	}
	if (!strcmp(sub, "list")) {
		json_t *arr = c->json ? json_array() : NULL;
		if ((rc = scanner_list(list_one, arr, e))) {
			json_decref(arr);
			return rc;
		}
		if (arr) {
			cli_json_out(arr);
		}
		return 0;
	}
	bool test = !strcmp(sub, "test");
	if (!test && strcmp(sub, "accept"))
		return cli_usage(&cmd_scanner, e);
	if (test ? argc - optind > 1 : argc - optind < 1 || argc - optind > 2)
		return cli_usage(&cmd_scanner, e);
	if (!test && (rc = app_open_store(&c->app, e)))
		return rc;
	setvbuf(stdout, NULL, _IOLBF, 0);
	seen = c->json ? json_array() : NULL;
	if (test)
		rc = run(c, optind < argc ? argv[optind] : NULL, count, timeout_s, print_code, NULL, e);
	else
		rc = run(c, argc - optind == 2 ? argv[optind + 1] : NULL, count, timeout_s, accept_code,
			 argv[optind], e);
	if (seen && !am_is_env(rc) && rc != AM_USAGE)
		cli_json_out(seen);	/* also after an interrupt: what was read */
	else
		json_decref(seen);
	seen = NULL;
	return rc;
}

const struct cli_command cmd_scanner = {
	.name = "scanner", .usage = "list | test [PORT] [--count N] [--timeout S] | accept REGISTER [PORT]",
	.help = "serial scanners: list ports with USB ids; print each decoded scan; accept scans against a register",
	.flags = 0, .exec = scanner_exec,
};
