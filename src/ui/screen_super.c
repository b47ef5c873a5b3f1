/*
 * screen_super.c - the supervisor's shift screen.  The shift is the
 * point's (shift.h), not the log-in: it runs from the last close and holds
 * everyone's work.  Shown: every state with its count and soonest deadline
 * (damaged envelopes held at the point too), each person's work by name,
 * and the shift's deadlines soonest first - open ones and those breached in
 * the shift even after they were closed - scrolled with a visible position
 * (✗ breached, ! under 24 hours: signs, not colour).  F8 twice closes the
 * shift with its report (report.c: the same content, text and CSV).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include "amanat/i18n.h"
#include "amanat/report.h"
#include "amanat/shift.h"
#include "amanat/sync.h"
#include "amanat/timeutil.h"
#include "screen_point.h"
#include "screen_print.h"
#include "screen_util.h"

/* This screen's own state (the engine's struct is not the place for it). */
static struct {
	long first;		/* first deadline row shown (the handheld: first row) */
	size_t page;		/* deadline rows that fit, from the last draw */
	bool confirm;		/* F8 pressed once */
	long dl_start;		/* the handheld: the deadlines' heading row, 0 on a desk */
	size_t total;		/* the handheld: rows of its list */
} sv;

static void super_enter(struct ui *u)
{
	memset(&sv, 0, sizeof sv);
	ui_set_field(u, NULL);	/* the reason field is for a reprint only */
	point_view_enter(u);	/* the whole point from the hub, if it answers */
}

struct dl {
	struct ui *u;
	int y, x, cols;
	int64_t now;
};

static const char *deadline_mark(const struct shift_deadline *d, int64_t now)
{
	if (d->closed_ms || d->c.due_ms < now)
		return "✗";
	return d->c.due_ms - now < 24 * MS_PER_HOUR ? "!" : " ";
}

/* One deadline row; the columns that fit the width, widest last. */
static int deadline_line(const struct shift_deadline *d, void *arg)
{
	struct dl *l = arg;
	char left[48], line[64];	/* line: codes, marks and times only */
	const char *what = d->c.waybill[0] ? d->c.waybill : d->c.register_id;
	if (d->closed_ms) {	/* a breach of the shift, closed since: how late */
		char late[32];
		su_span(d->closed_ms - d->c.due_ms, late, sizeof late);
		snprintf(left, sizeof left, "+%s", late);
	} else if (d->c.due_ms < l->now) {	/* breached and still open: how late so far, signed as above */
		char late[32];
		su_span(l->now - d->c.due_ms, late, sizeof late);
		snprintf(left, sizeof left, "+%s", late);
	} else {
		su_span(d->c.due_ms - l->now, left, sizeof left);
	}
	if (l->cols < 40) {	/* handheld: the tail of the code and the time left */
		size_t n = strlen(what);
		ui_textf(l->y++, l->x, l->cols, "%s…%s %s", deadline_mark(d, l->now), what + (n > 6 ? n - 6 : 0), left);
		return 0;
	}
	int x = l->x, right = l->x + l->cols;
	ui_textf(l->y, x, 17, "%s %s", deadline_mark(d, l->now), what);
	x += 17;
	/* from the right: §, time left, [due], [state] */
	snprintf(line, sizeof line, "§%d", clock_paragraph(d->c.clock));
	su_right(l->y, right - 4, 4, line);
	right -= 5;
	su_right(l->y, right - 8, 8, left);
	right -= 9;
	if (l->cols >= 70) {
		char due[32];
		time_format_human(d->c.due_ms, l->u->app->rules.offset_min, due, sizeof due);
		snprintf(line, sizeof line, "%.5s %s", due, due + 11);	/* dd.mm HH:MM */
		ui_text(l->y, right - 11, 11, line);
		right -= 12;
	}
	if (l->cols >= 100 && d->state != ST_NONE) {
		ui_textf(l->y, right - 24, 24, "%s%s", state_label(d->state), d->damaged ? " ⚠" : "");
		right -= 25;
	}
	ui_text(l->y++, x, right - x, clock_title(d->c.clock));
	return 0;
}

struct people {
	int y, y_end, x, cols;
	size_t n;
};

static int person_line(const struct shift_person *p, void *arg)
{
	struct people *pp = arg;
	char n[32], line[64];	/* line: the counts only */
	pp->n++;
	if (pp->y >= pp->y_end)
		return 0;	/* counted, not shown */
	bool wide = pp->cols >= 60;
	int numw = wide ? 36 : 10;
	if (p->role >= 0)
		ui_textf(pp->y, pp->x, pp->cols - numw - 1, "%s (%s)", p->name,
			 _(staff_role_name((enum staff_role)p->role)));
	else
		ui_text(pp->y, pp->x, pp->cols - numw - 1, p->name);
	su_count(p->total, n, sizeof n);
	if (wide) {
		char a[16], h[16], pl[16], r[16];
		su_count(p->accepted, a, sizeof a);
		su_count(p->handed, h, sizeof h);
		su_count(p->placed, pl, sizeof pl);
		su_count(p->returned, r, sizeof r);
		snprintf(line, sizeof line, "%6s %6s %6s %6s %8s", a, h, pl, r, n);
		su_right(pp->y++, pp->x + pp->cols - numw, numw, line);
	} else {
		su_right(pp->y++, pp->x + pp->cols - numw, numw, n);
	}
	return 0;
}

static int count_acts(const struct act_row *a, void *arg)
{
	size_t *n = arg;
	n[strcmp(a->kind, "loss") == 0]++;
	return 0;
}

/* The states column: as wide as its longest label and largest number (a
 * label is never cut while a third of the width holds it; a number never
 * touches its label), with the soonest deadline when the screen is wide. */
struct states_col {
	int w, numw, duew;
};

static struct states_col states_col(const struct shift_states *st, int cols)
{
	struct states_col c = { 0, 5, cols >= 100 ? 9 : 0 };
	int label = ui_width(_("damaged, held at the point"));
	char num[32];
	for (int s = ST_REGISTERED; s < ST__COUNT; s++) {
		int w = ui_width(state_label((enum envelope_state)s));
		if (w > label)
			label = w;
		su_count(st->count[s], num, sizeof num);
		if ((int)strlen(num) + 1 > c.numw)
			c.numw = (int)strlen(num) + 1;
	}
	c.w = 2 + label + c.numw + c.duew;
	int max = cols * 45 / 100;
	if (c.w > max)
		c.w = max;
	return c;
}

static void state_line(const struct states_col *c, int y, const char *label, size_t n, int64_t soonest,
		       int64_t now)
{
	char num[32], due[32];
	su_count(n, num, sizeof num);
	ui_text(y, 2, c->w - 2 - c->numw - c->duew, label);
	su_right(y, c->w - c->numw - c->duew, c->numw, num);
	if (c->duew && soonest) {
		char m[40];
		su_span(soonest < now ? now - soonest : soonest - now, due, sizeof due);
		snprintf(m, sizeof m, "%s%s", soonest < now ? "✗+" : soonest - now < 24 * MS_PER_HOUR ? "!" : " ", due);
		su_right(y, c->w - c->duew, c->duew, m);
	}
}

static void shift_title(struct ui *u, const struct point_shift *sh, int y, int cols)
{
	char since[32];
	time_format_human(sh->opened_ms ? sh->opened_ms : now_ms(), u->app->rules.offset_min, since, sizeof since);
	if (sh->handed_by[0])
		ui_textf(y, 0, cols, _("Shift %lld · since %.16s · handed over by %s"), (long long)sh->number, since,
			 sh->handed_name);
	else
		ui_textf(y, 0, cols, _("Shift %lld · since %.16s"), (long long)sh->number, since);
}

static void draw_deadlines(struct ui *u, const struct point_shift *sh, int y, int y_end, int x, int cols,
			   int64_t now, struct shift_deadline_totals *t)
{
	struct am_error e;
	char pos[64];
	size_t page = y_end > y + 1 ? (size_t)(y_end - y - 1) : 0;
	store_shift_deadlines(u->store, sh->opened_ms, now, 0, 0, NULL, NULL, t, &e);
	sv.page = page;
	sv.first = (long)su_clamp(sv.first, t->total, page);
	su_position((size_t)sv.first, page, t->total, pos, sizeof pos);
	int pw = ui_width(pos);
	ui_text(y, x, cols - pw - 1, cols >= 40 ? _("Deadlines (soonest first)") : _("Deadlines"));
	su_right(y, x + cols - pw, pw, pos);
	struct dl d = { u, y + 1, x, cols, now };
	store_shift_deadlines(u->store, sh->opened_ms, now, (size_t)sv.first, page, deadline_line, &d, NULL, &e);
	if (!t->total) {
		ui_text(y + 1, x, cols, _("no open deadlines"));
	}
}

/* "From upstream: 2 collected, 1 cancelled": arrived in the shift (the
 * supervisor's desk, From upstream, lists them). */
static void upstream_line(struct ui *u, const struct point_shift *sh, int y, int x, int cols)
{
	struct am_error e;
	size_t collected = 0, cancelled = 0;
	char a[32], b[32];
	store_upstream_status_counts(u->store, sh->opened_ms, &collected, &cancelled, &e);
	su_count(collected, a, sizeof a);
	su_count(cancelled, b, sizeof b);
	ui_textf(y, x, cols, _("From upstream: %s collected, %s cancelled"), a, b);
}

static void super_draw_desk(struct ui *u, const struct point_shift *sh, int y0, int rows, int cols)
{
	struct shift_states st;
	struct shift_deadline_totals t;
	size_t depth = 0, dead = 0, acts[2] = { 0, 0 };
	int64_t oldest = 0, now = now_ms();
	struct am_error e;
	char n1[32], n2[32], n3[32];
	store_shift_states(u->store, &st, &e);
	point_view_states(u, &st);	/* the hub's counts for the whole point, when it answers */
	store_outbox_stats(u->store, &depth, &oldest, &dead, &e);
	store_act_each(u->store, count_acts, acts, &e);
	sv.dl_start = 0;
	struct states_col sc = states_col(&st, cols);
	int lw = sc.w, y = y0 + 1, y_end = y0 + rows;
	shift_title(u, sh, y0, cols);
	/* left: every state with its count (and soonest deadline when wide) */
	ui_text(y, 0, lw - sc.numw - sc.duew, _("States"));
	su_right(y, lw - sc.numw - sc.duew - 4, sc.numw + 4, _("count"));
	if (sc.duew)
		su_right(y, lw - sc.duew, sc.duew, _("soonest"));
	y++;
	for (int s = ST_REGISTERED; s < ST__COUNT && y < y_end; s++)
		state_line(&sc, y++, state_label((enum envelope_state)s), st.count[s], st.soonest[s], now);
	if (y < y_end)
		state_line(&sc, y++, _("damaged, held at the point"), st.damaged, st.damaged_soonest, now);
	if (y + 1 < y_end)	/* whose counts these are: the point's or this terminal's */
		point_view_draw(u, y + 1, 0, lw - 1, y_end - y - 1);
	for (int r = y0 + 1; r < y_end; r++)
		mvaddstr(r, lw + 1, "│");
	/* right: people, the deadlines, then acts and uploads */
	int x = lw + 3, rw = cols - x;
	y = y0 + 1;
	ui_text(y, x, rw, _("People"));
	if (rw >= 60) {
		const char *head[] = { _("acc."), _("out"), _("placed"), _("back"), _("all") };
		for (int i = 0, cx = x + rw - 36; i < 5; cx += 7, i++)	/* the columns of person_line */
			su_right(y, cx, i < 4 ? 6 : 8, head[i]);
	} else {
		su_right(y, x, rw, _("work"));
	}
	y++;
	/* everyone who worked, while they take at most half of what is left
	 * above the acts: the deadlines below scroll, the people do not */
	struct people pp = { y, y, x, rw, 0 };
	store_shift_people(u->store, sh->opened_ms, person_line, &pp, &e);	/* counts only */
	int half = (y_end - 4 - y - 2) / 2, ppl_rows = (int)pp.n < half ? (int)pp.n : half;
	if (ppl_rows < 2)
		ppl_rows = 2;
	pp = (struct people){ y, y + ppl_rows, x, rw, 0 };
	store_shift_people(u->store, sh->opened_ms, person_line, &pp, &e);
	if (!pp.n)
		ui_text(y, x, rw, _("nobody has worked in this shift yet"));
	if (pp.n > (size_t)ppl_rows) {
		su_count(pp.n - (size_t)ppl_rows + 1, n1, sizeof n1);
		ui_textf(y + ppl_rows - 1, x, rw, _("… and %s more"), n1);
	}
	y += (pp.n ? ((int)pp.n < ppl_rows ? (int)pp.n : ppl_rows) : 1) + 1;
	int yr = y_end - 5;
	draw_deadlines(u, sh, y, yr, x, rw, now, &t);
	upstream_line(u, sh, yr++, x, rw);
	ui_textf(yr++, x, rw, _("Acts: %zu discrepancy, %zu loss (2 copies)"), acts[0], acts[1]);
	su_count(depth, n1, sizeof n1);
	char age[32];
	ui_age(depth ? now - oldest : 0, age, sizeof age);
	ui_textf(yr++, x, rw, _("Not uploaded: %s, oldest %s"), n1, age);
	su_count(dead, n1, sizeof n1);
	ui_textf(yr++, x, rw, _("Rejected upstream: %s"), n1);
	su_count(t.breached_open + t.closed_late, n1, sizeof n1);
	su_count(t.soon, n2, sizeof n2);
	su_count(t.open, n3, sizeof n3);
	ui_textf(yr, x, rw, _("✗ %s breached  ! %s under 24 h  %s open"), n1, n2, n3);
}

/* ---- the handheld: one list, scrolled ------------------------------------ */

/* The rows of a list longer than the screen: row i is drawn when it falls
 * in the window [first, first + page). */
struct rowlist {
	int y0, cols;
	long first, i;
	size_t page;
};

static bool row_here(struct rowlist *r, int *y)
{
	long i = r->i++;
	if (i < r->first || i >= r->first + (long)r->page)
		return false;
	*y = r->y0 + (int)(i - r->first);
	return true;
}

static void row_text(struct rowlist *r, const char *s)
{
	int y;
	if (row_here(r, &y))
		ui_text(y, 0, r->cols, s);
}

/* A count's width on the handheld: the number first, so the label may
 * wrap, never the number. */
static int count_width(size_t n)
{
	char num[32];
	su_count(n, num, sizeof num);
	return (int)strlen(num) < 4 ? 4 : (int)strlen(num);
}

/* The rows a label takes beside its count: one, or two when it does not fit. */
static int label_rows(const char *label, size_t n, int cols)
{
	return ui_text_fits(label, cols - count_width(n) - 1) ? 1 : 2;
}

/* A number and its label, the label wrapped over a second row when long. */
static void row_count(struct rowlist *r, const char *label, size_t n)
{
	char num[32];
	int w = count_width(n), lw = r->cols - w - 1, y;
	if (label_rows(label, n, r->cols) == 1) {
		if (!row_here(r, &y))
			return;
		su_count(n, num, sizeof num);
		su_right(y, 0, w, num);
		ui_text(y, w + 1, lw, label);
		return;
	}
	struct wrapped wr;
	ui_wrap(label, lw, &wr);
	for (int k = 0; k < 2; k++) {
		if (!row_here(r, &y) || k >= wr.n)
			continue;
		if (k == 0) {
			su_count(n, num, sizeof num);
			su_right(y, 0, w, num);
		}
		size_t len = wcstombs(NULL, wr.line[k], 0);
		char *text = len != (size_t)-1 ? malloc(len + 1) : NULL;
		if (text) {
			wcstombs(text, wr.line[k], len + 1);
			/* the rest of a label longer than two rows ends with "…" */
			if (k == 1 && wr.n > 2) {
				char *more = NULL;
				if (asprintf(&more, "%s %ls", text, wr.line[2]) >= 0) {
					free(text);
					text = more;
				}
			}
			ui_text(y, w + 1, lw, text);
		}
		free(text);
	}
	ui_wrap_free(&wr);
}

static int person_row(const struct shift_person *p, void *arg)
{
	row_count(arg, p->name, p->total);
	return 0;
}

/* The shift on a handheld (20x16 and up): its number, start, breaches and
 * acts; then its states, its people, what upstream reported and its
 * deadlines as one list the arrows scroll (F3: to the deadlines), with the
 * position shown below. */
static void super_draw_handheld(struct ui *u, const struct point_shift *sh, int y0, int rows, int cols)
{
	struct shift_states st;
	struct shift_deadline_totals t;
	struct am_error e;
	size_t depth = 0, dead = 0, acts[2] = { 0, 0 }, people = 0;
	int64_t oldest = 0, now = now_ms();
	char line[32], since[32], pos[64];	/* line: the outbox count only */
	store_shift_states(u->store, &st, &e);
	point_view_states(u, &st);	/* the hub's counts for the whole point, when it answers */
	store_shift_deadlines(u->store, sh->opened_ms, now, 0, 0, NULL, NULL, &t, &e);
	store_outbox_stats(u->store, &depth, &oldest, &dead, &e);
	store_act_each(u->store, count_acts, acts, &e);
	time_format_human(sh->opened_ms ? sh->opened_ms : now, u->app->rules.offset_min, since, sizeof since);
	ui_textf(y0, 0, cols, "#%lld %.5s ✗%zu %s %zu", (long long)sh->number, since + 11, t.breached_open + t.closed_late, _("acts"), acts[0] + acts[1]);
	struct rowlist count = { 0, cols, 0, 0, 0 };
	store_shift_people(u->store, sh->opened_ms, person_row, &count, &e);
	people = (size_t)count.i;
	/* the rows: states (ST__COUNT - 1 and damaged), people, deadlines, each with a heading */
	size_t n_states = (size_t)label_rows(_("damaged, held at the point"), st.damaged, cols), collected = 0,
	       cancelled = 0;
	for (int s = ST_REGISTERED; s < ST__COUNT; s++)
		n_states += (size_t)label_rows(state_label((enum envelope_state)s), st.count[s], cols);
	store_upstream_status_counts(u->store, sh->opened_ms, &collected, &cancelled, &e);
	size_t dl_start = 1 + 1 + n_states + 1 + (people ? people : 1) + 3;
	size_t total = dl_start + 1 + (t.total ? t.total : 1);
	sv.page = rows > 2 ? (size_t)(rows - 2) : 1;	/* the title above, the position below */
	sv.dl_start = (long)dl_start;
	sv.total = total;
	sv.first = (long)su_clamp(sv.first, total, sv.page);
	struct rowlist r = { y0 + 1, cols, sv.first, 0, sv.page };
	char *whose = point_view_short(u);	/* whose figures: "hub 14:05" or "local" */
	row_text(&r, whose ? whose : "");
	free(whose);
	row_text(&r, _("States"));
	for (int s = ST_REGISTERED; s < ST__COUNT; s++)
		row_count(&r, state_label((enum envelope_state)s), st.count[s]);
	row_count(&r, _("damaged, held at the point"), st.damaged);
	row_text(&r, _("People"));
	if (people)
		store_shift_people(u->store, sh->opened_ms, person_row, &r, &e);
	else
		row_text(&r, _("nobody has worked in this shift yet"));
	row_text(&r, _("From upstream"));
	row_count(&r, _("collected"), collected);
	row_count(&r, _("cancelled"), cancelled);
	row_text(&r, _("Deadlines"));
	if (!t.total) {
		row_text(&r, _("no open deadlines"));
	} else {
		/* only the deadlines in the window are read */
		long from = sv.first > (long)dl_start + 1 ? sv.first - (long)dl_start - 1 : 0;
		long shown_from = (long)dl_start + 1 + from;
		if (shown_from < sv.first + (long)sv.page) {
			struct dl d = { u, y0 + 1 + (int)(shown_from - sv.first), 0, cols, now };
			size_t limit = (size_t)(sv.first + (long)sv.page - shown_from);
			store_shift_deadlines(u->store, sh->opened_ms, now, (size_t)from, limit, deadline_line, &d, NULL, &e);
		}
	}
	su_position((size_t)sv.first, sv.page, total, pos, sizeof pos);
	snprintf(line, sizeof line, "⇡%zu", depth);	/* and the outbox, where the position leaves room */
	int pw = ui_width(pos);
	if (ui_width(line) + pw + 1 <= cols)
		ui_text(y0 + rows - 1, 0, cols - pw - 1, line);
	su_right(y0 + rows - 1, cols - pw, pw, pos);
}

static void super_draw(struct ui *u, int y0, int rows, int cols)
{
	struct point_shift sh;
	struct am_error e;
	if (store_point_shift(u->store, &sh, &e)) {
		ui_text(y0, 0, cols, e.msg);
		return;
	}
	if (cols >= 80 && rows >= 14) {
		super_draw_desk(u, &sh, y0, rows, cols);
		return;
	}
	super_draw_handheld(u, &sh, y0, rows, cols);
}

static void report_dir(struct ui *u, char *dir, size_t len)
{
	const char *cfg = config_get(u->app->cfg, "report_dir", NULL);
	if (cfg) {
		snprintf(dir, len, "%s", cfg);
		return;
	}
	snprintf(dir, len, "%s", u->app->db_path);
	char *slash = strrchr(dir, '/');
	if (slash)
		snprintf(slash, len - (size_t)(slash - dir), "/reports");
	else
		snprintf(dir, len, "reports");
}

static void close_shift(struct ui *u)
{
	char txt[4096], csv[4096], dir[4096];
	struct point_shift sh;
	struct am_error e;
	struct event_ctx ctx = ui_ctx(u);
	if (store_point_shift(u->store, &sh, &e)) {
		ui_fail(u, "%s", e.msg);
		return;
	}
	report_dir(u, dir, sizeof dir);
	if (report_shift(u->app, sh.opened_ms, dir, txt, sizeof txt, csv, sizeof csv, &e)
	    || store_point_shift_close(u->store, sh.number, txt, &ctx, NULL, &e)) {
		ui_fail(u, "%s", e.msg);
		return;
	}
	store_shift_close(u->store, u->shift.id, &e);	/* the log-in session ends too */
	memset(&u->user, 0, sizeof u->user);
	ui_go(u, "login");
	ui_ok(u, _("shift %lld closed; report: %s"), (long long)sh.number, txt);
}

/* F9: the report of the shift so far, written and printed; the same
 * shift's report again is a reprint and asks why. */
static void print_report(struct ui *u, const char *reason)
{
	char txt[4096], csv[4096], dir[4096], id[64];
	struct point_shift sh;
	struct am_error e;
	if (store_point_shift(u->store, &sh, &e)) {
		ui_fail(u, "%s", e.msg);
		return;
	}
	snprintf(id, sizeof id, "shift-%lld", (long long)sh.number);
	if (!reason && ui_printed_before(u, PRINT_REPORT, id)) {
		ui_set_field(u, "reason");
		ui_note(u, _("%s was printed before: type the reason for the reprint"), id);
		return;
	}
	report_dir(u, dir, sizeof dir);
	if (report_shift(u->app, sh.opened_ms, dir, txt, sizeof txt, csv, sizeof csv, &e)
	    || ui_print(u, PRINT_REPORT, id, txt, reason, &e)) {
		ui_fail(u, "%s", e.msg);
		return;
	}
	ui_set_field(u, NULL);
	ui_ok(u, _("%s sent to the printer"), txt);
}

static void super_field(struct ui *u, const char *field, const char *value)
{
	if (!strcmp(field, "reason"))
		print_report(u, value);
}

static void super_request(struct ui *u, enum ui_request r)
{
	int key = (int)r - REQ_UI__COUNT;
	bool confirm = sv.confirm;
	sv.confirm = false;
	if (confirm && r == REQ_UI_BACK) {	/* Esc cancels the close, and only that */
		ui_note(u, "%s", _("the shift stays open"));
	} else if (r == REQ_UI_BACK && u->field >= 0) {
		ui_set_field(u, NULL);
	} else if (r == REQ_UI_BACK) {
		ui_go(u, "menu");
	} else if (r == REQ_UI_PRINT) {
		print_report(u, NULL);
	} else if (r == REQ_UI_DEADLINES && sv.dl_start) {	/* the handheld: to the deadlines, a page on, the top */
		if (sv.first < sv.dl_start)
			sv.first = sv.dl_start;
		else if (sv.first + (long)sv.page >= (long)sv.total)
			sv.first = 0;
		else
			sv.first += (long)sv.page;
	} else if (r == REQ_UI_DEADLINES) {	/* a page on; from the end back to the top */
		size_t page = sv.page ? sv.page : 1;
		sv.first = su_scroll(KEY_NPAGE, &sv.first, page) && sv.first >= 0 ? sv.first : 0;
		struct shift_deadline_totals t;
		struct point_shift sh;
		struct am_error e;
		if (!store_point_shift(u->store, &sh, &e)
		    && !store_shift_deadlines(u->store, sh.opened_ms, now_ms(), 0, 0, NULL, NULL, &t, &e)
		    && (size_t)sv.first >= t.total)
			sv.first = 0;
	} else if ((int)r >= REQ_UI__COUNT && su_scroll(key, &sv.first, sv.page)) {
		if (sv.first < 0)
			sv.first = 0;
	} else if (r == REQ_UI_SYNC) {
		su_sync_now(u);
	} else if (r == REQ_UI_CLOSE_SHIFT) {
		if (!confirm) {	/* irreversible: a second F8 confirms */
			sv.confirm = true;
			ui_note(u, "%s", u->cols < 40	/* a handheld: 3 lines at most */
				? C_("handheld", "Close the shift? F8 again: close it and write its report. Esc: keep it open.")
				: _("Close the shift? F8 again: close it and write its report. Esc: keep it open."));
			return;
		}
		close_shift(u);
	}
}

const struct screen screen_supervisor = {
	.name = "supervisor", .enter = super_enter, .field = super_field, .request = super_request,
	.draw = super_draw,
};
