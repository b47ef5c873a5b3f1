/*
 * gen_year.c - a year (or more) of a busy point's history, written through
 * the store's own functions, so the hash chain, the envelopes, the clocks
 * and the registers are what the terminal itself would have written.
 *
 *   gen_year DB EVENTS [CALENDAR]
 *
 * Each day of the 365 before now: the morning's collections and expiries of
 * earlier days, on Mondays a return register handed back, then the day's
 * inbound register imported, every envelope scanned in and the register
 * finished, handed to a courier and placed in a postomat cell; on Mondays
 * one code that is not on the register is scanned too (a discrepancy act);
 * one envelope in a hundred is held at the point a week before it goes
 * out, past §11's three working days: each evening's sweep writes its
 * deadline_missed and the late hand-over its deadline_closed_late, so the
 * year's breach lists, the shift screen's deadlines and `report shift` have
 * the breaches a busy point would have;
 * each evening the point's shift is closed (today's stays open).  About five
 * events per envelope; the day's size is chosen so the whole run writes
 * EVENTS events.  Yesterday's events are acknowledged by the hub, one in
 * 5,000 rejected (the dead letters).  Each day is one transaction
 * (store_bulk_begin: no savepoint per operation, no fsync until the end,
 * when store_bulk_done copies the WAL back and fsyncs once); bench/year.sh
 * writes it on tmpfs when there is room.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "amanat/calendar.h"
#include "amanat/shift.h"
#include "amanat/staff.h"
#include "amanat/store.h"
#include "amanat/timeutil.h"
#include "bench.h"

#define DAYS 365
#define HOUR (3600 * 1000LL)
#define DAY (24 * HOUR)
#define KEEP 5			/* days of placed envelopes remembered */
#define HOLD 7			/* days an envelope held at the point waits (a breach of §11) */
#define HELD_EVERY 100		/* one in this many of a day's envelopes is held */

static const char *const clerks[] = { "C-001", "C-002", "C-003" };
static const char *const couriers[] = { "K-001", "K-002" };

struct gen {
	struct store *s;
	long serial;
	long per_day;
	int64_t scan_ms, place_ms;	/* between two scans, two placements: a day's work fits in the day */
	char (*placed[KEEP])[14];	/* waybills placed on day d, by d % KEEP */
	long n_placed[KEEP];
	char (*back)[14];		/* returned to the point, waiting for Monday */
	long n_back;
	struct held { char w[14], pm[16]; } *held[HOLD + 1];	/* accepted on day d, by d % (HOLD + 1) */
	long n_held[HOLD + 1];
	long events;
};

static void die(const char *what, const struct am_error *e)
{
	fprintf(stderr, "gen_year: %s: %s\n", what, e->msg);
	exit(1);
}

static void apply(struct gen *g, enum event_type type, const char *waybill, const char *actor,
		  int64_t at, const char *postomat, const char *cell)
{
	struct am_error e;
	struct event_ctx ctx = { actor, "POINT-1", at, NULL };
	struct transition t = { .type = type, .waybill = waybill, .postomat = postomat, .cell = cell };
	if (type == EV_OUT_FOR_DELIVERY)
		t.courier = actor;
	if (store_apply(g->s, &t, &ctx, &e))
		die(waybill, &e);
	g->events++;
}

/* Collections of yesterday's placements; the few left three days become
 * expired, are taken out and brought back to the point. */
static void morning(struct gen *g, long d, int64_t day0)
{
	long y = (d + KEEP - 1) % KEEP, old = (d + KEEP - 4) % KEEP;
	for (long i = 0; d >= 1 && i < g->n_placed[y]; i++)
		if (i % 20 != 7)	/* one in twenty is not collected in time */
			apply(g, EV_COLLECTED, g->placed[y][i], "", day0 + 8 * HOUR + i * 1000, NULL, NULL);
	for (long i = 0; d >= 4 && i < g->n_placed[old]; i++) {
		if (i % 20 != 7)
			continue;
		const char *w = g->placed[old][i];
		apply(g, EV_EXPIRED_REMOVED, w, couriers[0], day0 + 8 * HOUR + 30 * 60000 + i, NULL, NULL);
		apply(g, EV_RETURNED_TO_POINT, w, couriers[0], day0 + 9 * HOUR + i, NULL, NULL);
		memcpy(g->back[g->n_back++], w, 14);
	}
	g->n_placed[old] = 0;
	/* the envelopes held a week go out at last, late, and are placed */
	long h = (d + 1) % (HOLD + 1), slot = d % KEEP;
	for (long i = 0; d >= HOLD && i < g->n_held[h]; i++) {
		char cell[16];
		const struct held *x = &g->held[h][i];
		apply(g, EV_OUT_FOR_DELIVERY, x->w, couriers[0], day0 + 10 * HOUR + i * 100, NULL, NULL);
		g->events++;	/* its deadline_closed_late */
		snprintf(cell, sizeof cell, "H%03ld", i % 300);
		apply(g, EV_PLACED, x->w, couriers[0], day0 + 10 * HOUR + 30 * 60000 + i * 1000, x->pm, cell);
		memcpy(g->placed[slot][g->n_placed[slot]++], x->w, 14);
	}
	g->n_held[h] = 0;
}

static void finish(struct gen *g, const char *id, const char *actor, int64_t at)
{
	struct am_error e;
	struct event_ctx ctx = { actor, "POINT-1", at, NULL };
	struct tally_summary sum;
	char act[64];
	if (store_tally_finish(g->s, id, NULL, 0, &ctx, &sum, act, sizeof act, &e))
		die(id, &e);
	g->events++;
}

static void scan_all(struct gen *g, const struct reg *r, int64_t at, bool odd)
{
	struct am_error e;
	for (size_t i = 0; i < r->n_lines; i++) {
		struct event_ctx ctx = { clerks[i % 2], "POINT-1", at + (int64_t)i * g->scan_ms, NULL };
		enum scan_result res;
		if (store_tally_scan(g->s, r->id, r->lines[i].waybill, &ctx, &res, NULL, 0, &e))
			die(r->lines[i].waybill, &e);
		if (res != SCAN_MATCHED) {
			fprintf(stderr, "gen_year: %s did not match\n", r->lines[i].waybill);
			exit(1);
		}
		g->events++;
	}
	if (odd) {	/* a code the register does not list: a discrepancy act */
		struct event_ctx ctx = { clerks[0], "POINT-1", at + (int64_t)r->n_lines * g->scan_ms, NULL };
		char code[14];
		enum scan_result res;
		s10(g->serial++, code);
		if (store_tally_scan(g->s, r->id, code, &ctx, &res, NULL, 0, &e) || res != SCAN_UNEXPECTED)
			die(code, &e);
		g->events++;
	}
	finish(g, r->id, clerks[0], at + (int64_t)r->n_lines * g->scan_ms + 60000);
}

/* Monday: everything back at the point goes on a return register. */
static void hand_back(struct gen *g, long d, int64_t day0)
{
	struct am_error e;
	struct reg r;
	char id[32];
	if (g->n_back == 0)
		return;
	snprintf(id, sizeof id, "RET-%04ld", d);
	struct event_ctx ctx = { clerks[2], "POINT-1", day0 + 9 * HOUR + 30 * 60000, NULL };
	if (store_register_create_return(g->s, id, "State Corp", &ctx, &r, &e))
		die(id, &e);
	scan_all(g, &r, day0 + 10 * HOUR, false);
	register_free(&r);
	g->n_back = 0;
}

static void day(struct gen *g, long d, int64_t day0)
{
	struct am_error e;
	struct reg r;
	memset(&r, 0, sizeof r);
	snprintf(r.id, sizeof r.id, "R-%04ld", d);
	r.kind = REG_INBOUND;
	snprintf(r.from, sizeof r.from, "State Corp");
	snprintf(r.to, sizeof r.to, "POINT-1");
	r.formed_at = day0 + 7 * HOUR;
	for (long i = 0; i < g->per_day; i++) {
		struct register_line l;
		memset(&l, 0, sizeof l);
		s10(g->serial++, l.waybill);
		snprintf(l.application, sizeof l.application, "APP-%ld", g->serial);
		snprintf(l.postomat, sizeof l.postomat, "PM-%02ld", i % 12);
		snprintf(l.city, sizeof l.city, "Almaty");
		if (register_add_line(&r, &l)) {
			fprintf(stderr, "gen_year: out of memory\n");
			exit(1);
		}
	}
	struct event_ctx ctx = { clerks[2], "POINT-1", day0 + 8 * HOUR, NULL };
	if (store_register_import(g->s, &r, &ctx, &e))
		die(r.id, &e);
	g->events += (long)r.n_lines;
	scan_all(g, &r, day0 + 9 * HOUR, d % 7 == 1);
	long slot = d % KEEP, h = d % (HOLD + 1);
	for (size_t i = 0; i < r.n_lines; i++) {
		char cell[16];
		const char *w = r.lines[i].waybill;
		if (i % HELD_EVERY == HELD_EVERY / 3) {
			struct held *x = &g->held[h][g->n_held[h]++];
			memcpy(x->w, w, 14);
			snprintf(x->pm, sizeof x->pm, "%s", r.lines[i].postomat);
			continue;
		}
		apply(g, EV_OUT_FOR_DELIVERY, w, couriers[i % 2], day0 + 11 * HOUR + (int64_t)i * 100, NULL, NULL);
		snprintf(cell, sizeof cell, "C%03zu", i % 300);
		apply(g, EV_PLACED, w, couriers[i % 2], day0 + 13 * HOUR + (int64_t)i * g->place_ms, r.lines[i].postomat, cell);
		memcpy(g->placed[slot][g->n_placed[slot]++], w, 14);
	}
	register_free(&r);
}

/* The evening: the deadlines past due written down (as the terminal's tick
 * does), then the supervisor closes the point's shift. */
static void close_shift(struct gen *g, int64_t at)
{
	struct am_error e;
	struct point_shift sh;
	struct event_ctx ctx = { "S-001", "POINT-1", at, NULL };
	size_t missed = 0;
	if (store_deadlines_sweep(g->s, &ctx, &missed, &e))
		die("sweep", &e);
	g->events += (long)missed;
	if (store_point_shift(g->s, &sh, &e) || store_point_shift_close(g->s, sh.number, "", &ctx, NULL, &e))
		die("shift", &e);
	g->events++;
}

/* The day's events uploaded: the hub acknowledged them (a terminal online
 * most of the year; the outbox is the last hours, not the year). */
struct acks {
	struct outbox_mark *m;
	size_t n, cap;
	long seen;
};

static int ack_one(const struct event_row *r, void *arg)
{
	struct acks *a = arg;
	if (a->n == a->cap)
		return 1;
	memset(&a->m[a->n], 0, sizeof a->m[a->n]);
	memcpy(a->m[a->n].uuid, r->uuid, sizeof r->uuid);
	if (++a->seen % 5000 == 0) {
		a->m[a->n].state = SYNC_DEAD;
		snprintf(a->m[a->n].reason, sizeof a->m[a->n].reason, "422 the hub refused it");
	} else {
		a->m[a->n].state = SYNC_ACKED;
	}
	a->n++;
	return 0;
}

static void upload(struct gen *g)
{
	struct am_error e;
	static struct acks a;
	if (!a.m) {
		a.cap = 500;
		a.m = calloc(a.cap, sizeof *a.m);
	}
	do {
		a.n = 0;
		if (store_outbox_batch(g->s, a.cap, ack_one, &a, &e) ||
		    (a.n && store_outbox_mark_many(g->s, a.m, a.n, &e)))
			die("upload", &e);
	} while (a.n == a.cap);
}

static struct calendar *load_calendar(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	static char text[1 << 20];
	size_t n = fread(text, 1, sizeof text - 1, f);
	fclose(f);
	text[n] = '\0';
	char err[256];
	return calendar_parse(text, err, sizeof err);
}

int main(int argc, char **argv)
{
	struct am_error e;
	struct gen g;
	if (argc < 3) {
		fprintf(stderr, "usage: gen_year DB EVENTS [CALENDAR]\n");
		return 2;
	}
	long target = atol(argv[2]);
	memset(&g, 0, sizeof g);
	g.per_day = target / (DAYS * 5L) + 1;
	g.serial = 10000000;
	g.scan_ms = 2 * HOUR / g.per_day < 3000 ? 2 * HOUR / g.per_day : 3000;
	g.place_ms = 6 * HOUR / g.per_day < 10000 ? 6 * HOUR / g.per_day : 10000;
	for (int i = 0; i < KEEP; i++)
		g.placed[i] = calloc((size_t)g.per_day, 14);
	g.back = calloc((size_t)g.per_day * 2, 14);
	for (int i = 0; i <= HOLD; i++)
		g.held[i] = calloc((size_t)g.per_day / HELD_EVERY + 1, sizeof *g.held[i]);
	if (store_open(argv[1], &g.s, &e))
		die(argv[1], &e);
	struct calendar *cal = argc > 3 ? load_calendar(argv[3]) : NULL;
	struct store_rules rules = *store_get_rules(g.s);
	rules.calendar = cal;
	store_set_rules(g.s, &rules);
	if (store_init(g.s, "GEN-1", "POINT-1", &e))
		die("init", &e);
	const char *badges[] = { "C-001", "C-002", "C-003", "K-001", "K-002", "S-001" };
	const enum staff_role roles[] = { ROLE_CLERK, ROLE_CLERK, ROLE_CLERK, ROLE_COURIER, ROLE_COURIER, ROLE_SUPERVISOR };
	for (int i = 0; i < 6; i++) {
		struct staff st;
		memset(&st, 0, sizeof st);
		snprintf(st.badge, sizeof st.badge, "%s", badges[i]);
		snprintf(st.name, sizeof st.name, "Staff %s", badges[i]);
		st.role = roles[i];
		st.active = true;
		if (store_staff_add(g.s, &st, "1234", &e))
			die(badges[i], &e);
	}
	int64_t today = now_ms() / DAY * DAY - 5 * HOUR;	/* local midnight, +05:00 */
	double t0 = mono();
	for (long d = 0; d < DAYS && g.events < target; d++) {
		int64_t day0 = today - (DAYS - d) * DAY;
		if (store_bulk_begin(g.s, &e))
			die("begin", &e);
		if (d > 0)
			upload(&g);	/* yesterday's events; today's stay in the outbox */
		morning(&g, d, day0);
		if (d % 7 == 0)
			hand_back(&g, d, day0);
		day(&g, d, day0);
		if (d + 1 < DAYS && g.events < target)
			close_shift(&g, day0 + 20 * HOUR);
		if (store_batch_end(g.s, true, &e))
			die("commit", &e);
	}
	if (store_bulk_done(g.s, &e))
		die("checkpoint", &e);
	store_close(g.s);
	calendar_free(cal);
	fprintf(stderr, "gen_year: %ld events in %.1f s\n", g.events, mono() - t0);
	for (int i = 0; i < KEEP; i++)
		free(g.placed[i]);
	free(g.back);
	for (int i = 0; i <= HOLD; i++)
		free(g.held[i]);
	return 0;
}
