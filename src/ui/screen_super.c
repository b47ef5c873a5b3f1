/*
 * screen_super.c - the supervisor's shift screen: counts by state and by
 * person, every open deadline soonest first with the time left (✗ breached,
 * ! under 24 hours: signs, not colour), acts, the upload backlog; and
 * closing the shift with a report written to a file.
 */
#include <stdio.h>
#include <string.h>
#include "amanat/i18n.h"
#include "amanat/report.h"
#include "amanat/sync.h"
#include "amanat/timeutil.h"
#include "ui_internal.h"

struct dl {
	struct ui *u;
	int y, y_end, x, cols, skip;
	int64_t now;
	size_t n, breached;
};

static int deadline_line(const struct clock_row *c, void *arg)
{
	struct dl *d = arg;
	int64_t left = c->due_ms - d->now;
	d->n++;
	if (left < 0)
		d->breached++;
	if (d->skip > 0) {
		d->skip--;
		return 0;
	}
	if (d->y >= d->y_end)
		return 0;
	char l[32], line[160];
	duration_format(left, l, sizeof l);
	const char *mark = left < 0 ? "✗" : left < 24 * MS_PER_HOUR ? "!" : " ";
	const char *what = c->waybill[0] ? c->waybill : c->register_id;
	if (d->cols >= 50) {
		char title[64];	/* the title cut by characters, not bytes: it is Cyrillic */
		snprintf(title, sizeof title, "%s", clock_title(c->clock));
		snprintf(line, sizeof line, "%s %-14s ", mark, what);
		ui_text(d->y, d->x, d->cols, line);
		ui_text(d->y, d->x + 17, 20, title);
		snprintf(line, sizeof line, "%8s §%d", l, clock_paragraph(c->clock));
		ui_text(d->y++, d->x + 37, d->cols - 37, line);
		return 0;
	}
	else
		snprintf(line, sizeof line, "%s…%s %s", mark, what + (strlen(what) > 6 ? strlen(what) - 6 : 0), l);
	ui_text(d->y++, d->x, d->cols, line);
	return 0;
}

struct person {
	int y, y_end, cols;
};

static int person_line(const char *actor, size_t n, void *arg)
{
	struct person *p = arg;
	if (p->y >= p->y_end)
		return 1;
	char line[96];
	snprintf(line, sizeof line, "  %-12.12s %5zu", actor, n);
	ui_text(p->y++, 0, p->cols, line);
	return 0;
}

static int count_acts(const struct act_row *a, void *arg)
{
	size_t *n = arg;
	n[strcmp(a->kind, "loss") == 0]++;
	return 0;
}

static void super_draw(struct ui *u, int y0, int rows, int cols)
{
	size_t counts[ST__COUNT], depth = 0, dead = 0, acts[2] = { 0, 0 };
	int64_t oldest = 0, now = now_ms();
	struct am_error e;
	char line[160];
	static const enum envelope_state shown[] = { ST_REGISTERED, ST_ACCEPTED, ST_OUT_FOR_DELIVERY,
		ST_PLACED, ST_COLLECTED, ST_RETURNED_TO_POINT, ST_HANDED_BACK, ST_LOST };
	store_state_counts(u->store, counts, &e);
	store_outbox_stats(u->store, &depth, &oldest, &dead, &e);
	store_act_each(u->store, count_acts, acts, &e);
	bool desk = cols >= 80;
	int left_w = desk ? 21 : cols;
	int y = y0;
	if (desk) {
		ui_text(y++, 0, left_w, _("States        count"));
		for (size_t i = 0; i < sizeof shown / sizeof shown[0] && y < y0 + rows; i++) {
			{
			char label[64];
			snprintf(label, sizeof label, "%s", state_label(shown[i]));
			snprintf(line, sizeof line, "  %-14s", label);
			ui_text(y, 0, 16, line);
			snprintf(line, sizeof line, "%4zu", counts[shown[i]]);
			ui_text(y++, 16, left_w - 16, line);
			continue;
		}
		}
		y++;
		ui_text(y++, 0, left_w, _("People        scans"));
		struct person p = { y, y0 + rows, left_w };
		store_actor_counts(u->store, u->shift.opened_ms, person_line, &p, &e);
		for (int r = y0; r < y0 + rows; r++)
			mvaddstr(r, left_w, "│");
		struct dl d = { u, y0 + 1, y0 + rows - 5, left_w + 2, cols - left_w - 2, u->scroll, now, 0, 0 };
		ui_text(y0, left_w + 2, d.cols, _("Deadlines (soonest first)"));
		store_clock_each(u->store, deadline_line, &d, &e);
		int yr = y0 + rows - 4;
		snprintf(line, sizeof line, _("Acts: %zu discrepancy, %zu loss (2 copies)"), acts[0], acts[1]);
		ui_text(yr++, left_w + 2, d.cols, line);
		snprintf(line, sizeof line, _("Not uploaded: %zu events, oldest %lld min ago"), depth,
			 depth ? (long long)((now - oldest) / MS_PER_MINUTE) : 0LL);
		ui_text(yr++, left_w + 2, d.cols, line);
		snprintf(line, sizeof line, _("Rejected upstream: %zu"), dead);
		ui_text(yr++, left_w + 2, d.cols, line);
		snprintf(line, sizeof line, _("✗ breached  ! under 24h   %zu open, %zu breached"), d.n, d.breached);
		ui_text(yr++, left_w + 2, d.cols, line);
		return;
	}
	/* handheld: the deadlines first, they are what needs acting on */
	snprintf(line, sizeof line, "%s %zu·%s %zu", _("acc"), counts[ST_ACCEPTED], _("cell"), counts[ST_PLACED]);
	ui_text(y++, 0, cols, line);
	struct dl d = { u, y + 1, y0 + rows - 1, 0, cols, u->scroll, now, 0, 0 };
	store_clock_each(u->store, deadline_line, &d, &e);
	snprintf(line, sizeof line, "✗%zu %s %zu", d.breached, _("of"), d.n);
	ui_text(y, 0, cols, line);
	snprintf(line, sizeof line, "⇡%zu %s %zu", depth, _("acts"), acts[0] + acts[1]);
	ui_text(y0 + rows - 1, 0, cols, line);
}

static void super_request(struct ui *u, enum ui_request r)
{
	int key = (int)r - REQ_UI__COUNT;
	struct am_error e;
	if (r == REQ_UI_BACK) {
		ui_go(u, "menu");
	} else if (r == REQ_UI_DEADLINES || key == KEY_DOWN) {
		u->scroll++;
	} else if (key == KEY_UP && u->scroll > 0) {
		u->scroll--;
	} else if (r == REQ_UI_SYNC) {
		if (!u->sync) {
			ui_fail(u, "%s", _("no upstream configured: set sync.url in the config"));
			return;
		}
		sync_kick(u->sync);
		ui_note(u, "%s", _("sync started"));
	} else if (r == REQ_UI_CLOSE_SHIFT) {
		char txt[4096], csv[4096], dir[4096];
		const char *cfg = config_get(u->app->cfg, "report_dir", NULL);
		if (cfg)
			snprintf(dir, sizeof dir, "%s", cfg);
		else {
			snprintf(dir, sizeof dir, "%s", u->app->db_path);
			char *slash = strrchr(dir, '/');
			if (slash)
				snprintf(slash, sizeof dir - (size_t)(slash - dir), "/reports");
			else
				snprintf(dir, sizeof dir, "reports");
		}
		if (report_shift(u->app, u->shift.opened_ms, dir, txt, sizeof txt, csv, sizeof csv, &e)) {
			ui_fail(u, "%s", e.msg);
			return;
		}
		if (store_shift_close(u->store, u->shift.id, &e)) {
			ui_fail(u, "%s", e.msg);
			return;
		}
		memset(&u->user, 0, sizeof u->user);
		ui_go(u, "login");
		ui_ok(u, _("shift closed; report: %s"), txt);
	}
}

const struct screen screen_supervisor = {
	.name = "supervisor", .request = super_request, .draw = super_draw,
};
