/*
 * cmd_envelope.c - the commands that move one envelope along its life:
 * handover, place, delay, expire, return, collect, lost, cancel, note, reserve.
 * Each builds a struct transition and calls store_apply; the rules live in
 * the core and the store, not here.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "amanat/cli.h"
#include "amanat/i18n.h"
#include "amanat/text.h"
#include "amanat/postomat.h"
#include "amanat/timeutil.h"

extern const struct cli_command cmd_handover, cmd_place, cmd_delay, cmd_expire, cmd_return, cmd_collect, cmd_lost, cmd_cancel, cmd_note, cmd_reserve;

static int print_state(struct cli *c, const char *waybill, const char *extra_key,
		       const char *extra, struct am_error *e)
{
	struct envelope v;
	int rc = store_envelope_get(c->app.store, waybill, &v, e);
	if (rc)
		return rc;
	if (c->json) {
		json_t *doc = cli_envelope_json(c, &v);
		if (extra_key && extra && *extra)
			json_object_set_new(doc, extra_key, json_string(extra));
		cli_json_out(doc);
	} else {
		printf("%s %s%s%s%s%s\n", v.waybill, state_name(v.state), v.cell[0] ? " " : "", v.cell,
		       extra && *extra ? " " : "", extra && *extra ? extra : "");
	}
	return 0;
}

static int apply(struct cli *c, struct transition *t, struct am_error *e)
{
	struct event_ctx ctx = app_ctx(&c->app);
	return store_apply(c->app.store, t, &ctx, e);
}

struct loss_act {
	const char *waybill;
	char id[64];
};

/* Acts come newest first: the first loss act of the waybill is this one. */
static int find_loss_act(const struct act_row *a, void *arg)
{
	struct loss_act *la = arg;
	if (strcmp(a->kind, "loss") || strcmp(a->waybill, la->waybill))
		return 0;
	snprintf(la->id, sizeof la->id, "%s", a->id);
	return 1;
}

/* One positional waybill and the options named in opts. */
static int simple(const struct cli_command *cmd, enum event_type type, struct cli *c, int argc,
		  char **argv, bool need_reason, struct am_error *e)
{
	static const struct option opts[] = {
		{ "reason", required_argument, NULL, 'r' },
		{ "until", required_argument, NULL, 'u' },
		{ "side", required_argument, NULL, 's' },
		{ "liable", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 },
	};
	struct transition t = { .type = type };
	int opt, rc;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (opt == 'r')
			t.reason = optarg;
		else if (opt == 'u' && type == EV_DELAYED)
			t.until = optarg;
		else if (opt == 's' && type == EV_LOST)
			t.side = optarg;
		else if (opt == 'l' && type == EV_LOST)
			t.liable = optarg;
		else
			return cli_usage(cmd, e);
	}
	if (optind + 1 != argc || (need_reason && !t.reason))
		return cli_usage(cmd, e);
	t.waybill = argv[optind];
	if (type == EV_DELAYED && !t.until)
		return cli_usage(cmd, e);
	int64_t until_days;
	if (type == EV_DELAYED && date_parse(t.until, &until_days) == 0 &&
	    text_check_time("--until", until_days * MS_PER_DAY, now_ms(), INT64_MAX, 366 * MS_PER_DAY, e))
		return AM_REFUSED;
	if (type == EV_EXPIRED_REMOVED && t.reason) {	/* an early removal, with its reason */
		int64_t due;
		struct am_error ignore;
		if (store_clock_due(c->app.store, t.waybill, CLOCK_STORAGE, &due, &ignore) == 0 && due > now_ms()) {
			char when[32];
			cli_time(c, due, when, sizeof when);
			fprintf(stderr, _("amanat: warning: the storage of %s ends %s; it is removed early\n"), t.waybill, when);
		}
	}
	if ((rc = apply(c, &t, e)))
		return rc;
	if (type == EV_LOST) {
		struct loss_act la = { t.waybill, "" };
		if ((rc = store_act_each(c->app.store, find_loss_act, &la, e)))
			return rc;
		return print_state(c, t.waybill, "act", la.id, e);
	}
	return print_state(c, t.waybill, NULL, NULL, e);
}

#define SIMPLE(fn, type, cmd, reason) \
	static int fn(struct cli *c, int argc, char **argv, struct am_error *e) \
	{ return simple(&(cmd), type, c, argc, argv, reason, e); }

SIMPLE(expire_exec, EV_EXPIRED_REMOVED, cmd_expire, false)
SIMPLE(return_exec, EV_RETURNED_TO_POINT, cmd_return, false)
SIMPLE(collect_exec, EV_COLLECTED, cmd_collect, false)
SIMPLE(cancel_exec, EV_CANCELLED, cmd_cancel, false)
SIMPLE(lost_exec, EV_LOST, cmd_lost, true)
SIMPLE(delay_exec, EV_DELAYED, cmd_delay, true)
SIMPLE(note_exec, EV_NOTE, cmd_note, true)

static int handover_exec(struct cli *c, int argc, char **argv, struct am_error *e)
{
	int worst = AM_OK;
	if (argc < 3)
		return cli_usage(&cmd_handover, e);
	json_t *arr = c->json ? json_array() : NULL;
	for (int i = 2; i < argc; i++) {
		struct transition t = { .type = EV_OUT_FOR_DELIVERY, .waybill = argv[i], .courier = argv[1] };
		struct am_error err = { "" };
		int rc = apply(c, &t, &err);
		if (am_is_env(rc)) {
			json_decref(arr);
			*e = err;
			return rc;
		}
		if (rc)
			worst = AM_REFUSED;
		if (arr) {
			json_t *it = json_pack("{s:s, s:s}", "code", argv[i], "result", rc ? "refused" : "handed_over");
			if (rc)
				json_object_set_new(it, "reason", json_string(err.msg));
			json_array_append_new(arr, it);
		} else if (rc) {
			printf("%s refused: %s\n", argv[i], err.msg);
		} else {
			printf("%s handed_over %s\n", argv[i], argv[1]);
		}
	}
	if (arr)
		cli_json_out(arr);
	return worst ? am_fail(e, worst, _("some envelopes were not handed over (see above)")) : 0;
}

static int place_exec(struct cli *c, int argc, char **argv, struct am_error *e)
{
	static const struct option opts[] = { { "reason", required_argument, NULL, 'r' }, { NULL, 0, NULL, 0 } };
	struct transition t = { .type = EV_PLACED };
	int opt, rc;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (opt != 'r')
			return cli_usage(&cmd_place, e);
		t.reason = optarg;
		t.force = true;
	}
	if (optind + 3 != argc)
		return cli_usage(&cmd_place, e);
	if (t.reason && strcmp(t.reason, "cell-full") && strcmp(t.reason, "cell-broken")
	    && strcmp(t.reason, "does-not-fit"))
		return am_fail(e, AM_USAGE, _("--reason is cell-full, cell-broken or does-not-fit"));
	t.waybill = argv[optind];
	t.postomat = argv[optind + 1];
	t.cell = argv[optind + 2];
	if ((rc = apply(c, &t, e)))
		return rc;
	return print_state(c, t.waybill, NULL, NULL, e);
}

static int reserve_exec(struct cli *c, int argc, char **argv, struct am_error *e)
{
	if (argc != 4)
		return cli_usage(&cmd_reserve, e);
	int rc = store_reserve_cell(c->app.store, argv[1], argv[2], argv[3], e);
	return rc ? rc : print_state(c, argv[1], NULL, NULL, e);
}

const struct cli_command cmd_handover = {
	.name = "handover", .usage = "COURIER CODE...",
	.help = "hand accepted envelopes to a Kaspi courier (refused with the reason when not accepted)",
	.flags = CLI_NEEDS_STORE, .exec = handover_exec,
};
const struct cli_command cmd_place = {
	.name = "place", .usage = "CODE POSTOMAT CELL [--reason cell-full|cell-broken|does-not-fit]",
	.help = "log an envelope placed in its reserved cell (another cell only with a reason); starts the 3-day storage clock",
	.flags = CLI_NEEDS_STORE, .exec = place_exec,
};
const struct cli_command cmd_delay = {
	.name = "delay", .usage = "CODE --until YYYY-MM-DD --reason TEXT",
	.help = "record a late delivery with the new date (§27)",
	.flags = CLI_NEEDS_STORE, .exec = delay_exec,
};
const struct cli_command cmd_expire = {
	.name = "expire", .usage = "CODE [--reason TEXT]",
	.help = "log an uncollected envelope removed from its cell (§30); starts the 1-working-day return clock",
	.flags = CLI_NEEDS_STORE, .exec = expire_exec,
};
const struct cli_command cmd_return = {
	.name = "return", .usage = "CODE",
	.help = "log a removed envelope back at the reception point",
	.flags = CLI_NEEDS_STORE, .exec = return_exec,
};
const struct cli_command cmd_collect = {
	.name = "collect", .usage = "CODE",
	.help = "log an envelope collected by the recipient",
	.flags = CLI_NEEDS_STORE, .exec = collect_exec,
};
const struct cli_command cmd_lost = {
	.name = "lost", .usage = "CODE --reason TEXT [--side kaspi|state-corp] [--liable WHO]",
	.help = "record a loss and draw up the loss act in two copies (§22-24)",
	.flags = CLI_NEEDS_STORE, .exec = lost_exec,
};
const struct cli_command cmd_cancel = {
	.name = "cancel", .usage = "CODE",
	.help = "record that the authority set a lost envelope's application to cancelled (§24)",
	.flags = CLI_NEEDS_STORE, .exec = cancel_exec,
};
const struct cli_command cmd_note = {
	.name = "note", .usage = "CODE --reason TEXT",
	.help = "add a note to an envelope's history",
	.flags = CLI_NEEDS_STORE, .exec = note_exec,
};
const struct cli_command cmd_reserve = {
	.name = "reserve", .usage = "CODE POSTOMAT CELL",
	.help = "set the cell reserved for an envelope (normally it comes with the postomat data)",
	.flags = CLI_NEEDS_STORE, .exec = reserve_exec,
};
