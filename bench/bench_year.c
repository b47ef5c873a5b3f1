/*
 * bench_year.c - a year-scale database (bench/gen_year) under the
 * terminal's daily work: what each screen asks of the store, verify (full
 * and from its anchor), and scans committed on top of the year.
 *
 *   bench_year DB      (DB is changed: give it a copy)
 *
 * Each screen's figure is the store calls that screen makes to draw itself,
 * repeated, the slowest of the repeats reported beside the 16 ms of one
 * frame.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include "amanat/postomat.h"
#include "amanat/staff.h"
#include "amanat/store.h"
#include "amanat/timeutil.h"
#include "bench.h"

#define REPEAT 15

static struct store *S;
static char newest_reg[64], a_waybill[32];

static int count_any(const void *row, void *arg)
{
	(void)row;
	(*(size_t *)arg)++;
	return 0;
}
static int c_clock(const struct clock_row *r, void *arg) { return count_any(r, arg); }
static int c_act(const struct act_row *r, void *arg) { return count_any(r, arg); }
static int c_env(const struct envelope *r, void *arg) { return count_any(r, arg); }
static int c_event(const struct event_row *r, void *arg) { return count_any(r, arg); }
static int c_actor(const char *a, size_t n, void *arg) { (void)n; return count_any(a, arg); }
static int c_staff(const struct staff *r, void *arg) { return count_any(r, arg); }
static int c_reg(const struct register_info *r, void *arg)
{
	if (!newest_reg[0] && r->kind == REG_INBOUND)
		snprintf(newest_reg, sizeof newest_reg, "%s", r->id);
	return count_any(r, arg);
}
static int first_env(const struct envelope *r, void *arg)
{
	(void)arg;
	snprintf(a_waybill, sizeof a_waybill, "%s", r->waybill);
	return 1;
}

/* The supervisor's shift screen. */
static void shift_screen(size_t *n)
{
	struct am_error e;
	size_t counts[ST__COUNT], depth, dead;
	int64_t oldest;
	store_state_counts(S, counts, &e);
	store_outbox_stats(S, &depth, &oldest, &dead, &e);
	store_act_each(S, c_act, n, &e);
	store_actor_counts(S, now_ms() - 12 * 3600 * 1000LL, c_actor, n, &e);
	store_clock_each(S, c_clock, n, &e);
}

static void register_list(size_t *n)
{
	struct am_error e;
	store_register_each(S, c_reg, n, &e);
}

static void tally_screen(size_t *n)
{
	struct am_error e;
	struct register_info info;
	struct tally_summary sum;
	store_register_get(S, newest_reg, &info, NULL, &e);
	store_tally_get(S, newest_reg, &sum, &e);
	*n += sum.expected;
}

static void courier_list(size_t *n)
{
	struct am_error e;
	store_envelope_each(S, ST_OUT_FOR_DELIVERY, c_env, n, &e);
	store_envelope_each(S, ST_ACCEPTED, c_env, n, &e);
}

static void returns_list(size_t *n)
{
	struct am_error e;
	store_envelope_each(S, ST_RETURNED_TO_POINT, c_env, n, &e);
	store_envelope_each(S, ST_EXPIRED_REMOVED, c_env, n, &e);
}

static void envelope_card(size_t *n)
{
	struct am_error e;
	struct envelope v;
	store_envelope_get(S, a_waybill, &v, &e);
	store_event_each(S, a_waybill, false, c_event, n, &e);
}

static void login_screen(size_t *n)
{
	struct am_error e;
	store_staff_each(S, c_staff, n, &e);
	size_t depth, dead;
	int64_t oldest;
	store_outbox_stats(S, &depth, &oldest, &dead, &e);
}

static void measure(const char *name, void (*draw)(size_t *))
{
	double worst = 0, lat[REPEAT];
	size_t n = 0;
	for (int i = 0; i < REPEAT; i++) {
		double a = mono();
		draw(&n);
		lat[i] = mono() - a;
		if (lat[i] > worst)
			worst = lat[i];
	}
	printf("  %-34s p50 %7.2f ms  worst %7.2f ms  (frame 16 ms) %s\n", name, pct(lat, REPEAT, 50) * 1e3,
	       worst * 1e3, worst < 0.016 ? "ok" : "SLOW");
}

static long rss_kib(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

/* A register of n lines imported and scanned in, one commit per scan. */
static int scans(int n)
{
	struct am_error e;
	struct reg r;
	static double lat[100000];
	memset(&r, 0, sizeof r);
	snprintf(r.id, sizeof r.id, "R-BENCH-%lld", (long long)now_ms());
	r.kind = REG_INBOUND;
	snprintf(r.from, sizeof r.from, "State Corp");
	snprintf(r.to, sizeof r.to, "POINT-1");
	r.formed_at = now_ms();
	for (int i = 0; i < n; i++) {
		struct register_line l = { "", "APP", "PM-01", "Almaty", "" };
		s10(90000000 + i, l.waybill);
		register_add_line(&r, &l);
	}
	struct event_ctx ctx = { "C-001", "POINT-1", 0, NULL };
	if (store_register_import(S, &r, &ctx, &e)) {
		fprintf(stderr, "import: %s\n", e.msg);
		return 1;
	}
	store_idle(S);
	long rss0 = rss_kib(), pages = 0;
	double c0 = cpu_user();
	for (int i = 0; i < n; i++) {
		enum scan_result res;
		int before = store_wal_frames(S);
		double a = mono();
		if (store_tally_scan(S, r.id, r.lines[i].waybill, &ctx, &res, NULL, 0, &e) || res != SCAN_MATCHED) {
			fprintf(stderr, "scan: %s\n", e.msg);
			return 1;
		}
		lat[i] = mono() - a;
		int after = store_wal_frames(S);
		pages += after >= before ? after - before : after;
		if (i % 500 == 499)
			store_idle(S);	/* as the poll loop would between bursts */
	}
	double user = (cpu_user() - c0) / n;
	printf("  %d scans on top of the year: p50 %.3f ms  p99 %.3f ms  %.1f pages/scan  user CPU %.0f us/scan\n",
	       n, pct(lat, n, 50) * 1e3, pct(lat, n, 99) * 1e3, (double)pages / n, user * 1e6);
	printf("  memory: max RSS %ld KiB before the scans, %ld KiB after (%+ld KiB)\n", rss0, rss_kib(),
	       rss_kib() - rss0);
	register_free(&r);
	return 0;
}

int main(int argc, char **argv)
{
	struct am_error e;
	if (argc < 2) {
		fprintf(stderr, "usage: bench_year DB [SCANS]\n");
		return 2;
	}
	int n_scans = argc > 2 ? atoi(argv[2]) : 2000;
	setvbuf(stdout, NULL, _IOLBF, 0);
	double t0 = mono();
	if (store_open(argv[1], &S, &e)) {
		fprintf(stderr, "%s\n", e.msg);
		return 1;
	}
	size_t n = 0;
	shift_screen(&n);
	printf("  %-34s %7.2f ms  (target 30 ms)\n", "open + the shift screen's data", (mono() - t0) * 1e3);

	n = 0;
	register_list(&n);
	store_envelope_each(S, ST_PLACED, first_env, NULL, &e);
	measure("shift screen (supervisor)", shift_screen);
	measure("register list (clerk)", register_list);
	measure("tally of a register (clerk)", tally_screen);
	measure("to deliver (courier)", courier_list);
	measure("returns (clerk)", returns_list);
	measure("envelope card with its history", envelope_card);
	measure("log-in (staff, upload backlog)", login_screen);

	size_t events;
	double a = mono();
	if (store_verify(S, &events, &e)) {
		fprintf(stderr, "verify: %s\n", e.msg);
		return 1;
	}
	double full = mono() - a;
	printf("  verify, full: %zu events in %.2f s = %.0f events/s (target 1,000,000/s)\n", events, full,
	       events / full);
	if (scans(n_scans))
		return 1;
	int64_t from;
	a = mono();
	if (store_verify_quick(S, &events, &from, &e)) {
		fprintf(stderr, "verify --quick: %s\n", e.msg);
		return 1;
	}
	printf("  verify --quick after them: %zu new events in %.1f ms (target 100 ms)\n", events,
	       (mono() - a) * 1e3);
	store_close(S);
	return 0;
}
