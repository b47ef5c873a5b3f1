/*
 * screen_upstream.c - the supervisor's view of what the upstream system
 * said about the point's envelopes since the shift began: collected by the
 * parent from the cell, or cancelled by the authority after a loss (§24).
 * They arrive through the point hub's feed and change the envelope there
 * and then (store/feed.c); this screen reads them back from the store, with
 * "!" and the reason for one the life cycle refused.  F6 syncs now.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "amanat/i18n.h"
#include "amanat/shift.h"
#include "amanat/sync.h"
#include "amanat/timeutil.h"
#include "screen_util.h"

struct upstream_screen {
	long first;		/* first row shown */
	size_t page;		/* rows that fit, from the last draw */
};

static void up_request(struct ui *u, enum ui_request r)
{
	struct upstream_screen *us = u->state;
	int key = (int)r - REQ_UI__COUNT;
	if (r == REQ_UI_BACK) {
		ui_go(u, "desk");
	} else if (r == REQ_UI_SYNC) {
		su_sync_now(u);
	} else if ((int)r >= REQ_UI__COUNT && su_scroll(key, &us->first, us->page) && us->first < 0) {
		us->first = 0;
	}
}

struct rows {
	struct ui *u;
	struct upstream_screen *us;
	int y, end, cols;
	long i;
};

static int up_line(const struct upstream_status *st, void *arg)
{
	struct rows *r = arg;
	if (r->i++ < r->us->first)
		return 0;
	if (r->y >= r->end)
		return 1;
	char t[32], *line = NULL;
	const char *what = st->type == EV_COLLECTED ? _("collected") : _("cancelled");
	time_format_human(st->received_ms, r->u->app->rules.offset_min, t, sizeof t);
	if (r->cols >= 60) {
		t[16] = '\0';
		bool bad = su_append(&line, st->applied ? "✓" : "!", 2) || su_append(&line, t, 17) ||
			   su_append(&line, st->waybill, 15) || su_append(&line, what, 12) ||
			   (st->applied ? su_append(&line, st->postomat, 14) || su_append(&line, st->application, 0)
					: su_append(&line, st->note, 0));
		ui_text(r->y++, 0, r->cols, !bad && line ? line : "?");
		free(line);
		return 0;
	}
	ui_textf(r->y++, 0, r->cols, "%s %s", st->applied ? "✓" : "!", st->waybill);	/* a handheld: two lines each */
	if (r->y < r->end)
		ui_textf(r->y++, 0, r->cols, "  %s %s", t + 11, st->applied ? what : st->note);
	return 0;
}

static void up_draw(struct ui *u, int y0, int rows, int cols)
{
	struct upstream_screen *us = u->state;
	struct point_shift sh;
	struct am_error e;
	size_t collected = 0, cancelled = 0;
	char *line = NULL, since[32], a[32], b[32], pos[64];
	int y = y0, end = y0 + rows;
	if (store_point_shift(u->store, &sh, &e)) {
		ui_text(y, 0, cols, e.msg);
		return;
	}
	store_upstream_status_counts(u->store, sh.opened_ms, &collected, &cancelled, &e);
	time_format_human(sh.opened_ms, u->app->rules.offset_min, since, sizeof since);
	su_count(collected, a, sizeof a);
	su_count(cancelled, b, sizeof b);
	if (asprintf(&line, _("Since %.16s: %s collected, %s cancelled"), since, a, b) >= 0) {
		y += ui_draw_wrapped(y, 0, cols, end - y, line);
		free(line);
	}
	if (!collected && !cancelled) {
		if (y + 1 < end)
			ui_draw_wrapped(y + 1, 0, cols, end - y - 1,
					_("nothing from upstream in this shift yet: collections and cancellations arrive with sync"));
		return;
	}
	y++;
	size_t total = collected + cancelled, per = cols >= 60 ? 1 : 2;
	us->page = end - 1 > y ? (size_t)(end - 1 - y) / per : 1;
	if (!us->page)
		us->page = 1;
	us->first = (long)su_clamp(us->first, total, us->page);
	struct rows r = { u, us, y, end - 1, cols, 0 };
	store_upstream_status_each(u->store, sh.opened_ms, up_line, &r, &e);
	su_position((size_t)us->first, us->page, total, pos, sizeof pos);
	su_right(end - 1, 0, cols, pos);
}

const struct screen screen_upstream = {
	.name = "upstream", .state_size = sizeof(struct upstream_screen), .request = up_request, .draw = up_draw,
};
