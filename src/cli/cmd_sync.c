/*
 * cmd_sync.c - `amanat sync`: upload the outbox and fetch registers and
 * postomats once (for cron or a systemd timer); `--status`, `--dead` and
 * `--resend UUID|all`.
 *
 * Run unattended, the exit code says what to do (am_setup_exit_code): 0 the
 * outbox is empty (dead letters are reported: they wait for a person, not
 * for the network); 3 the upstream is not reachable now (offline, timeout,
 * 5xx, Retry-After still running) - the only failure the systemd unit takes
 * as success; 4..10 a set-up error that no retry will mend.  The reason
 * printed is always this run's own, never an older one from the database.
 */
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include "amanat/cli.h"
#include "amanat/i18n.h"
#include "amanat/sync.h"
#include "amanat/timeutil.h"

extern const struct cli_command cmd_sync;

static void print_status(struct cli *c, const struct sync_status *st)
{
	int64_t now = now_ms();
	bool waiting = st->not_before_ms > now;
	if (c->json) {
		cli_json_out(json_pack("{s:I, s:o, s:I, s:s, s:o, s:o, s:o, s:b}", "depth", (json_int_t)st->depth,
			"oldest_age_s", st->depth ? json_integer((now - st->oldest_ms) / 1000) : json_null(),
			"dead", (json_int_t)st->dead, "last_error", st->last_error,
			"last_error_at", cli_json_time(c, st->last_error_ms),
			"last_success_at", cli_json_time(c, st->last_ok_ms),
			"retry_after_until", waiting ? cli_json_time(c, st->not_before_ms) : json_null(),
			"isolating", st->isolate_to > 0));
		return;
	}
	char a[32], b[32];
	cli_time(c, st->last_ok_ms, a, sizeof a);
	cli_time(c, st->last_error_ms, b, sizeof b);
	printf(_("outbox: %zu events waiting"), st->depth);
	if (st->depth)
		printf(_(", the oldest for %lld min"), (long long)((now - st->oldest_ms) / MS_PER_MINUTE));
	printf(_("\ndead letters (rejected upstream): %zu\n"), st->dead);
	if (st->last_ok_ms)
		printf(_("last success: %s\n"), a);
	else
		printf("%s\n", _("last success: never"));
	if (st->last_error_ms || st->last_error[0])
		printf(_("last error: %s %s\n"), b, st->last_error[0] ? st->last_error : "-");
	else
		printf("%s\n", _("last error: none"));
	if (waiting) {
		cli_time(c, st->not_before_ms, a, sizeof a);
		printf(_("the hub asked to wait until %s (Retry-After)\n"), a);
	}
}

/* The dead letters: into the JSON array, or printed and counted. */
struct dead_list {
	json_t *arr;
	size_t n;
};

static int dead_one(const struct event_row *r, void *arg)
{
	struct dead_list *d = arg;
	d->n++;
	if (d->arr)
		json_array_append_new(d->arr, json_pack("{s:I, s:s, s:s, s:s, s:s}", "seq", (json_int_t)r->seq,
			"uuid", r->uuid, "type", event_name(r->type), "waybill", r->waybill, "reason", r->sync_reason));
	else
		printf("%6lld %s %-16s %-14s %s\n", (long long)r->seq, r->uuid, event_name(r->type), r->waybill,
		       r->sync_reason);
	return 0;
}

static int resend(struct cli *c, const char *what, struct am_error *e)
{
	size_t n;
	bool all = strcmp(what, "all") == 0;
	struct event_ctx ctx = app_ctx(&c->app);
	int rc = store_outbox_resend_by(c->app.store, all ? NULL : what, &ctx, &n, e);
	if (rc)
		return rc;
	if (c->json)
		cli_json_out(json_pack("{s:I}", "resent", (json_int_t)n));
	else
		printf(_("%zu dead letters back in the outbox: 'amanat sync' sends them\n"), n);
	return 0;
}

/* One run: rounds until the outbox is empty, sync.attempts rounds failed, or
 * the next try is further away than sync.max_wait_s.  *ok: the last round
 * succeeded. */
static void run(struct cli *c, struct sync *s, bool *ok)
{
	long attempts = config_get_long(c->app.cfg, "sync.attempts", 5);
	int64_t max_wait = config_get_long(c->app.cfg, "sync.max_wait_s", 60) * 1000;
	struct sync_status st;
	int seen = 0;
	*ok = false;
	sync_status(s, &st);
	if (st.not_before_ms - now_ms() > max_wait)
		return;	/* Retry-After reaches past this run */
	for (;;) {
		struct pollfd fds[8];
		int n = sync_fds(s, fds, 8);
		poll(fds, (nfds_t)n, sync_timeout_ms(s, now_ms()));
		sync_handle(s, fds, n, now_ms());
		int rounds = sync_rounds(s, ok);
		if (rounds == seen)
			continue;
		seen = rounds;
		if (*ok)
			return;
		sync_status(s, &st);
		/* Only "not reachable now" is worth another round in this run. */
		if (st.fault != SYNC_FAULT_OFFLINE || rounds >= attempts || st.next_try_ms - now_ms() > max_wait)
			return;
	}
}

static int sync_exec(struct cli *c, int argc, char **argv, struct am_error *e)
{
	static const struct option opts[] = {
		{ "status", no_argument, NULL, 's' },
		{ "dead", no_argument, NULL, 'd' },
		{ "resend", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	bool status = false, dead = false;
	const char *again = NULL;
	int opt, rc;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (opt == 's')
			status = true;
		else if (opt == 'd')
			dead = true;
		else if (opt == 'r')
			again = optarg;
		else
			return cli_usage(&cmd_sync, e);
	}
	if (optind != argc || status + dead + (again != NULL) > 1)
		return cli_usage(&cmd_sync, e);
	if (dead) {
		struct dead_list d = { c->json ? json_array() : NULL, 0 };
		rc = store_outbox_dead(c->app.store, dead_one, &d, e);
		if (d.arr)
			cli_json_out(d.arr);
		else if (!rc && !d.n)
			printf("%s\n", _("no dead letters: the upstream has refused nothing"));
		return rc;
	}
	if (again)
		return resend(c, again, e);
	struct sync_status st;
	if (status) {	/* the database alone: works offline, without sync.url */
		sync_status_read(&c->app, &st);
		print_status(c, &st);
		return 0;
	}
	struct sync *s = sync_open(&c->app, &rc, e);
	if (!s)
		return rc;
	bool ok;
	run(c, s, &ok);
	sync_status(s, &st);
	sync_free(s);
	int64_t now = now_ms();
	char why[300];
	if (ok)
		why[0] = '\0';
	else if (st.error[0])
		snprintf(why, sizeof why, "%s", st.error);
	else if (st.not_before_ms > now) {	/* no round at all in this run */
		char until[32];
		cli_time(c, st.not_before_ms, until, sizeof until);
		snprintf(why, sizeof why, _("the hub asked to wait until %s (Retry-After): nothing sent"), until);
		st.fault_status = AM_ENV_OFFLINE;
	} else {
		snprintf(why, sizeof why, "%s", _("no answer from the hub within this run"));
		st.fault_status = AM_ENV_OFFLINE;
	}
	if (!c->json) {
		if (ok)
			printf(_("synced: %zu events waiting, %zu dead letters\n"), st.depth, st.dead);
	} else {
		json_t *doc = json_pack("{s:b, s:I, s:I, s:s}", "ok", ok && st.depth == 0, "depth", (json_int_t)st.depth,
					"dead", (json_int_t)st.dead, "last_error", why);
		cli_json_out(doc);
	}
	if (st.dead)
		fprintf(stderr, _("amanat: %zu events were rejected upstream: see 'amanat sync --dead'\n"), st.dead);
	if (!ok)
		return am_fail(e, st.fault_status ? st.fault_status : AM_ENV_OFFLINE,
			       _("sync failed, %zu events still waiting: %s"), st.depth, why);
	if (st.depth)
		return am_fail(e, AM_ENV_OFFLINE, _("%zu events still waiting (new ones came in): run sync again"), st.depth);
	return 0;
}

const struct cli_command cmd_sync = {
	.name = "sync", .usage = "[--status | --dead | --resend UUID|all]",
	.help = "upload the outbox and fetch registers and postomats once; exit 0 when the outbox is empty, "
		"3 when the hub is not reachable now, 4-10 on a set-up error (see the man page)",
	.flags = CLI_NEEDS_STORE | CLI_SETUP_CODES, .exec = sync_exec,
};
