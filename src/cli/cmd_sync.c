/*
 * cmd_sync.c - `amanat sync`: upload the outbox and fetch registers and
 * postomats once (for cron or a systemd timer); `--status` and `--dead`.
 *
 * Exit 0 when the outbox is empty (dead letters are reported, they wait for
 * a person, not for the network); 3 with the reason when the upstream could
 * not be reached or kept failing within the run.
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

static void print_status(struct cli *c, struct sync_status *st)
{
	int64_t now = now_ms();
	if (c->json) {
		cli_json_out(json_pack("{s:I, s:o, s:I, s:s, s:o, s:o}", "depth", (json_int_t)st->depth,
			"oldest_age_s", st->depth ? json_integer((now - st->oldest_ms) / 1000) : json_null(),
			"dead", (json_int_t)st->dead, "last_error", st->last_error,
			"last_error_at", cli_json_time(c, st->last_error_ms),
			"last_success_at", cli_json_time(c, st->last_ok_ms)));
		return;
	}
	char a[32], b[32];
	cli_time(c, st->last_ok_ms, a, sizeof a);
	cli_time(c, st->last_error_ms, b, sizeof b);
	printf(_("outbox: %zu events waiting"), st->depth);
	if (st->depth)
		printf(_(", the oldest for %lld min"), (long long)((now - st->oldest_ms) / MS_PER_MINUTE));
	printf(_("\ndead letters (rejected upstream): %zu\nlast success: %s\nlast error: %s %s\n"),
	       st->dead, a, b, st->last_error[0] ? st->last_error : "-");
}

static int dead_one(const struct event_row *r, void *arg)
{
	json_t *arr = arg;
	if (arr)
		json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:s, s:s}", "seq", (json_int_t)r->seq,
			"uuid", r->uuid, "type", event_name(r->type), "waybill", r->waybill, "reason", r->sync_reason));
	else
		printf("%6lld %s %-16s %-14s %s\n", (long long)r->seq, r->uuid, event_name(r->type), r->waybill,
		       r->sync_reason);
	return 0;
}

static int sync_exec(struct cli *c, int argc, char **argv, struct am_error *e)
{
	static const struct option opts[] = {
		{ "status", no_argument, NULL, 's' },
		{ "dead", no_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	bool status = false, dead = false;
	int opt;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (opt == 's')
			status = true;
		else if (opt == 'd')
			dead = true;
		else
			return cli_usage(&cmd_sync, e);
	}
	if (optind != argc)
		return cli_usage(&cmd_sync, e);
	if (dead) {
		json_t *arr = c->json ? json_array() : NULL;
		int rc = store_outbox_dead(c->app.store, dead_one, arr, e);
		if (arr)
			cli_json_out(arr);
		return rc;
	}
	struct sync *s = sync_new(&c->app, e);
	if (!s)
		return AM_ENV;
	struct sync_status st;
	if (status) {
		sync_status(s, &st);
		print_status(c, &st);
		sync_free(s);
		return 0;
	}
	long attempts = config_get_long(c->app.cfg, "sync.attempts", 5);
	int64_t max_wait = config_get_long(c->app.cfg, "sync.max_wait_s", 60) * 1000;
	bool ok = false;
	int seen = 0;
	for (;;) {
		struct pollfd fds[8];
		int n = sync_fds(s, fds, 8);
		poll(fds, (nfds_t)n, sync_timeout_ms(s, now_ms()));
		sync_handle(s, fds, n, now_ms());
		int rounds = sync_rounds(s, &ok);
		if (rounds == seen)
			continue;
		seen = rounds;
		if (ok)
			break;
		sync_status(s, &st);
		if (rounds >= attempts || st.next_try_ms - now_ms() > max_wait)
			break;
	}
	sync_status(s, &st);
	sync_free(s);
	if (!c->json) {
		if (ok)
			printf(_("synced: %zu events waiting, %zu dead letters\n"), st.depth, st.dead);
	} else {
		json_t *doc = json_pack("{s:b, s:I, s:I, s:s}", "ok", ok && st.depth == 0, "depth", (json_int_t)st.depth,
					"dead", (json_int_t)st.dead, "last_error", ok ? "" : st.last_error);
		cli_json_out(doc);
	}
	if (st.dead)
		fprintf(stderr, _("amanat: %zu events were rejected upstream: see 'amanat sync --dead'\n"), st.dead);
	if (!ok)
		return am_fail(e, AM_ENV, _("sync failed, %zu events still waiting: %s"), st.depth, st.last_error);
	if (st.depth)
		return am_fail(e, AM_ENV, _("%zu events still waiting (new ones came in): run sync again"), st.depth);
	return 0;
}

const struct cli_command cmd_sync = {
	.name = "sync", .usage = "[--status | --dead]",
	.help = "upload the outbox and fetch registers and postomats once; exit 0 when the outbox is empty",
	.flags = CLI_NEEDS_STORE, .exec = sync_exec,
};
