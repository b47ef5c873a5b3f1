/*
 * bench_year.c - a year-scale database (bench/gen_year) under the
 * terminal's daily work: what each screen asks of the store, verify (full
 * and from its anchor), and scans committed on top of the year.
 *
 *   bench_year DB [SCANS]     (DB is changed: give it a copy)
 *
 * Each screen's figure is the store calls that screen makes to draw itself
 * (read from src/ui), repeated, the slowest of the repeats reported beside
 * the 16 ms of one frame and beside the floor: the status line every screen
 * draws.  Memory is the resident set now, not the peak, before and after
 * SCANS scans (10,000 by default: a busy shift).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <malloc.h>
#include <sqlite3.h>
#include <unistd.h>
#include "amanat/shift.h"
#include "amanat/postomat.h"
#include "amanat/staff.h"
#include "amanat/store.h"
#include "amanat/timeutil.h"
#include "bench.h"

#define REPEAT 15

static struct store *S;
static char newest_reg[64], a_waybill[32];
static struct point_shift SH;		/* the point's shift running now */
static int64_t LOGIN_MS;		/* a log-in eight hours ago */

static int count_any(const void *row, void *arg)
{
	(void)row;
	(*(size_t *)arg)++;
	return 0;
}
static int c_act(const struct act_row *r, void *arg) { return count_any(r, arg); }
static int c_env(const struct envelope *r, void *arg) { return count_any(r, arg); }
static int c_event(const struct event_row *r, void *arg) { return count_any(r, arg); }
static int c_staff(const struct staff *r, void *arg) { return count_any(r, arg); }
static int c_person(const struct shift_person *r, void *arg) { return count_any(r, arg); }
static int c_deadline(const struct shift_deadline *r, void *arg) { return count_any(r, arg); }
/* The tally screen lists the last scans a screen holds, not all of them. */
static int c_scan(const struct tally_scan_row *r, void *arg)
{
	count_any(r, arg);
	return *(size_t *)arg % 16 == 0;
}
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

/* What every screen draws in its status line: the upload backlog. */
static void status_line(size_t *n)
{
	struct am_error e;
	size_t depth, dead;
	int64_t oldest;
	store_outbox_stats(S, &depth, &oldest, &dead, &e);
	*n += depth;
}

/* The supervisor's shift screen at 80x24 (screen_super.c: super_draw). */
static void shift_screen(size_t *n)
{
	struct am_error e;
	struct shift_states st;
	struct shift_deadline_totals t;
	int64_t now = now_ms();
	status_line(n);
	store_point_shift(S, &SH, &e);
	store_shift_states(S, &st, &e);
	store_act_each(S, c_act, n, &e);
	store_shift_people(S, SH.opened_ms, c_person, n, &e);
	store_shift_deadlines(S, SH.opened_ms, now, 0, 0, NULL, NULL, &t, &e);
	store_shift_deadlines(S, SH.opened_ms, now, 0, 8, c_deadline, n, NULL, &e);
}

/* The shift screen's calls one by one (where its time goes). */
static void ss_states(size_t *n)
{
	struct am_error e;
	struct shift_states st;
	store_shift_states(S, &st, &e);
	*n += st.damaged;
}

static void ss_people(size_t *n)
{
	struct am_error e;
	store_point_shift(S, &SH, &e);
	store_shift_people(S, SH.opened_ms, c_person, n, &e);
}

static void ss_deadlines(size_t *n)
{
	struct am_error e;
	struct shift_deadline_totals t;
	int64_t now = now_ms();
	store_shift_deadlines(S, SH.opened_ms, now, 0, 0, NULL, NULL, &t, &e);
	store_shift_deadlines(S, SH.opened_ms, now, 0, 8, c_deadline, n, NULL, &e);
}

static void ss_acts(size_t *n)
{
	struct am_error e;
	store_act_each(S, c_act, n, &e);
}

/* A clerk's or courier's recent lines under the scan field (ui.c). */
static void recent_lines(size_t *n)
{
	struct am_error e;
	status_line(n);
	store_recent_events(S, "C-001", LOGIN_MS, 0xffffffffu, 12, c_event, n, &e);
	store_recent_events(S, "K-002", LOGIN_MS, 0xffffffffu, 12, c_event, n, &e);
}

/* F8 once: "your shift since ...: N envelope events" (screen_common.c). */
/* "Close the shift?" counts the person's work of the shift as the shift
 * screen does (screen_common.c: close_draw) */
static void close_confirm(size_t *n)
{
	struct am_error e;
	status_line(n);
	store_shift_people(S, SH.opened_ms, c_person, n, &e);
}

static void register_list(size_t *n)
{
	struct am_error e;
	status_line(n);
	store_register_each(S, c_reg, n, &e);
}

static void tally_screen(size_t *n)
{
	struct am_error e;
	struct register_info info;
	struct tally_summary sum;
	status_line(n);
	store_register_get(S, newest_reg, &info, NULL, &e);
	store_tally_get(S, newest_reg, &sum, &e);
	store_tally_scans(S, newest_reg, c_scan, n, &e);
	*n += sum.expected;
}

static void courier_list(size_t *n)
{
	struct am_error e;
	status_line(n);
	/* what the route and the hand-to-courier screens read: the envelopes
	 * out for delivery (no screen lists the accepted ones, which
	 * envelope_listed leaves out: reading them is a scan of the year) */
	store_envelope_each(S, ST_OUT_FOR_DELIVERY, c_env, n, &e);
}

static void returns_list(size_t *n)
{
	struct am_error e;
	status_line(n);
	store_envelope_each(S, ST_RETURNED_TO_POINT, c_env, n, &e);
	store_envelope_each(S, ST_EXPIRED_REMOVED, c_env, n, &e);
}

/* Status of a waybill, and the look-up card with its history. */
static void envelope_card(size_t *n)
{
	struct am_error e;
	struct envelope v;
	status_line(n);
	store_envelope_get(S, a_waybill, &v, &e);
	store_event_each(S, a_waybill, false, c_event, n, &e);
}

static void acts_list(size_t *n)
{
	struct am_error e;
	status_line(n);
	store_act_each(S, c_act, n, &e);
}

static void dead_letters(size_t *n)
{
	struct am_error e;
	size_t total;
	status_line(n);
	store_outbox_dead_page(S, 0, 22, &total, c_event, n, &e);	/* a page at 80x24 (screen_desk.c) */
}

static void login_screen(size_t *n)
{
	struct am_error e;
	status_line(n);
	store_staff_each(S, c_staff, n, &e);
}

/* The draws' time on the clock and on the CPU: on a shared machine the
 * clock also counts the time other programs had the CPU. */
static void measure(const char *name, void (*draw)(size_t *))
{
	double worst = 0, lat[REPEAT], used[REPEAT];
	size_t n = 0;
	for (int i = 0; i < REPEAT; i++) {
		double a = mono(), c = cpu();
		draw(&n);
		lat[i] = mono() - a;
		used[i] = cpu() - c;
		if (lat[i] > worst)
			worst = lat[i];
	}
	double p50 = pct(lat, REPEAT, 50), c50 = pct(used, REPEAT, 50);
	printf("  %-34s p50 %7.2f ms  worst %7.2f ms  CPU %6.2f ms  %s\n", name, p50 * 1e3, worst * 1e3, c50 * 1e3,
	       p50 < 0.016 ? "ok" : c50 < 0.016 ? "ok on the CPU" : "SLOW");
}

/* The floor of a full verify: the log's columns read in sequence order
 * through a connection of its own, nothing done with them. */
static int bare_read(const char *path, size_t *n, double *wall, double *used)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	*n = 0;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT seq, uuid, device, type, waybill, register_id, actor, at_ms, place,"
			       " payload, prev_hash FROM event ORDER BY seq", -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "bare read: %s\n", sqlite3_errmsg(db));
		sqlite3_close(db);
		return 1;
	}
	double a = mono(), c = cpu();
	size_t bytes = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		for (int i = 0; i < 11; i++) {
			if (i == 0 || i == 7) {
				bytes += (size_t)sqlite3_column_int64(st, i) & 1;
			} else {
				sqlite3_column_text(st, i);
				bytes += (size_t)sqlite3_column_bytes(st, i);
			}
		}
		(*n)++;
	}
	*wall = mono() - a;
	*used = cpu() - c;
	sqlite3_finalize(st);
	sqlite3_close(db);
	return bytes == 0;
}

/* The other floor: the same rows handed to an aggregate function inside
 * SQLite, as verify reads them (src/store/verify_full.c), the values
 * touched and nothing done with them. */
static size_t fn_bytes;

static void fn_row(sqlite3_context *cx, int argc, sqlite3_value **v)
{
	(void)cx;
	for (int i = 0; i < argc; i++) {
		if (i == 0 || i == 7) {
			fn_bytes += (size_t)sqlite3_value_int64(v[i]) & 1;
		} else {
			sqlite3_value_text(v[i]);
			fn_bytes += (size_t)sqlite3_value_bytes(v[i]);
		}
	}
}

static void fn_end(sqlite3_context *cx)
{
	sqlite3_result_int64(cx, (sqlite3_int64)fn_bytes);
}

static int bare_read_fn(const char *path, double *wall, double *used)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK ||
	    sqlite3_create_function(db, "bare_rows", 11, SQLITE_UTF8, NULL, NULL, fn_row, fn_end) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT bare_rows(seq, uuid, device, type, waybill, register_id, actor, at_ms, place,"
			       " payload, prev_hash) FROM event", -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "bare read: %s\n", sqlite3_errmsg(db));
		sqlite3_close(db);
		return 1;
	}
	double a = mono(), c = cpu();
	fn_bytes = 0;
	int step = sqlite3_step(st);
	*wall = mono() - a;
	*used = cpu() - c;
	sqlite3_finalize(st);
	sqlite3_close(db);
	return step != SQLITE_ROW || fn_bytes == 0;
}

/* Resident memory now (not the peak), in KiB. */
static long rss_kib(void)
{
	long pages = 0, res = 0;
	FILE *f = fopen("/proc/self/statm", "r");
	if (f) {
		if (fscanf(f, "%ld %ld", &pages, &res) != 2)
			res = 0;
		fclose(f);
	}
	return res * (sysconf(_SC_PAGESIZE) / 1024);
}

/* The C heap in use (malloc's own count) plus SQLite's, in KiB. */
static long heap_kib(void)
{
	struct mallinfo2 m = mallinfo2();
	return (long)(m.uordblks / 1024);
}

/* A register of n lines imported and scanned in, one commit per scan, the
 * shift screen drawn every 100 scans as the supervisor's terminal would. */
static int scans(int n)
{
	struct am_error e;
	struct reg r;
	double *lat = calloc((size_t)n, sizeof *lat);
	memset(&r, 0, sizeof r);
	snprintf(r.id, sizeof r.id, "R-BENCH-%lld", (long long)now_ms());
	r.kind = REG_INBOUND;
	snprintf(r.from, sizeof r.from, "State Corp");
	snprintf(r.to, sizeof r.to, "POINT-1");
	r.formed_at = now_ms();
	long base = 90000000;	/* waybills no earlier run put on a register */
	for (struct envelope v; base < 99000000; base += n) {
		char w[14];
		s10(base, w);
		if (store_envelope_get(S, w, &v, &e))
			break;
	}
	for (int i = 0; lat && i < n; i++) {
		struct register_line l = { "", "APP", "PM-01", "Almaty", "" };
		s10(base + i, l.waybill);
		register_add_line(&r, &l);
	}
	struct event_ctx ctx = { "C-001", "POINT-1", 0, NULL };
	if (!lat || store_register_import(S, &r, &ctx, &e)) {
		fprintf(stderr, "import: %s\n", lat ? e.msg : "out of memory");
		return 1;
	}
	store_idle(S);
	long rss0 = rss_kib(), heap0 = heap_kib(), sql0 = (long)(sqlite3_memory_used() / 1024), pages = 0;
	double user = 0;
	size_t drawn = 0, n_draw = 0;
	double *draw = calloc((size_t)n / 100 + 1, sizeof *draw), *draw_cpu = calloc((size_t)n / 100 + 1, sizeof *draw_cpu);
	if (!draw || !draw_cpu)
		return 1;
	for (int i = 0; i < n; i++) {
		enum scan_result res;
		int before = store_wal_frames(S);
		double a = mono(), c0 = cpu_user();
		if (store_tally_scan(S, r.id, r.lines[i].waybill, &ctx, &res, NULL, 0, &e) || res != SCAN_MATCHED) {
			fprintf(stderr, "scan: %s\n", e.msg);
			return 1;
		}
		lat[i] = mono() - a;
		user += cpu_user() - c0;
		int after = store_wal_frames(S);
		pages += after >= before ? after - before : after;
		if (i % 500 == 499)
			store_idle(S);	/* as the poll loop would between bursts */
		if (i % 100 == 99) {	/* a draw after a commit: nothing of it is reused */
			double d0 = mono(), u0 = cpu();
			shift_screen(&drawn);
			draw[n_draw] = mono() - d0;
			draw_cpu[n_draw++] = cpu() - u0;
		}
	}
	if (n_draw)
		printf("  the shift screen drawn after a scan (every 100th): p50 %.2f ms  worst %.2f ms  CPU p50 %.2f ms"
		       "  (a frame is 16 ms)\n", pct(draw, (int)n_draw, 50) * 1e3, pct(draw, (int)n_draw, 99) * 1e3,
		       pct(draw_cpu, (int)n_draw, 50) * 1e3);
	free(draw);
	free(draw_cpu);
	user /= n;
	printf("  %d scans on top of the year: p50 %.3f ms  p99 %.3f ms  %.1f pages/scan  user CPU %.0f us/scan\n",
	       n, pct(lat, n, 50) * 1e3, pct(lat, n, 99) * 1e3, (double)pages / n, user * 1e6);
	long grow = rss_kib() - rss0;
	printf("  memory after them: RSS %ld -> %ld KiB (%+ld), C heap %+ld KiB, SQLite %+ld KiB"
	       "  (target +2048 KiB) %s\n", rss0, rss_kib(), grow, heap_kib() - heap0,
	       (long)(sqlite3_memory_used() / 1024) - sql0, grow <= 2048 ? "ok" : "OVER");
	register_free(&r);
	free(lat);
	return 0;
}

int main(int argc, char **argv)
{
	struct am_error e;
	if (argc < 2) {
		fprintf(stderr, "usage: bench_year DB [SCANS]\n");
		return 2;
	}
	int n_scans = argc > 2 ? atoi(argv[2]) : 10000;
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* store_open turns SQLite's allocation statistics off (a tenth of a
	 * scan's CPU); the memory line below reads them, so on here first */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 1);
	sqlite3_initialize();
	double t0 = mono();
	if (store_open(argv[1], &S, &e)) {
		fprintf(stderr, "%s\n", e.msg);
		return 1;
	}
	size_t n = 0;
	LOGIN_MS = now_ms() - 8 * 3600 * 1000LL;
	shift_screen(&n);
	printf("  %-34s %7.2f ms  (the store's part of start-up)\n", "open + the shift screen's data", (mono() - t0) * 1e3);

	n = 0;
	register_list(&n);
	store_envelope_each(S, ST_PLACED, first_env, NULL, &e);
	printf("  each screen's store calls, %d draws (a frame is 16 ms; floor: the status line alone)\n", REPEAT);
	measure("floor: status line (outbox counts)", status_line);
	measure("shift screen (supervisor, 80x24)", shift_screen);
	measure(" - its states, soonest, damaged", ss_states);
	measure(" - its people", ss_people);
	measure(" - its deadlines (totals, a page)", ss_deadlines);
	measure(" - its acts", ss_acts);
	measure("recent lines under a scan field", recent_lines);
	measure("close the shift? (my count)", close_confirm);
	measure("register list (clerk)", register_list);
	measure("tally of a register (clerk)", tally_screen);
	measure("to deliver (courier)", courier_list);
	measure("returns (clerk)", returns_list);
	measure("status / look-up card", envelope_card);
	measure("acts (desk)", acts_list);
	measure("rejected upstream (desk)", dead_letters);
	measure("log-in (staff)", login_screen);

	size_t events;
	double fw, fc;
	if (bare_read(argv[1], &events, &fw, &fc))
		return 1;
	printf("  floor: the log read bare (the same columns, one statement): %zu events in %.2f s (CPU %.2f s)"
	       " = %.0f events/s\n", events, fw, fc, events / fw);
	double gw, gc;
	if (bare_read_fn(argv[1], &gw, &gc))
		return 1;
	printf("  floor: the same rows through an aggregate function, as verify reads them: %.2f s (CPU %.2f s)"
	       " = %.0f events/s, %.0f per CPU second\n", gw, gc, events / gw, events / gc);
	double a = mono(), c = cpu();
	if (store_verify(S, &events, &e)) {
		fprintf(stderr, "verify: %s\n", e.msg);
		return 1;
	}
	double full = mono() - a, used = cpu() - c;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	/* one thread and read connection per CPU (src/store/verify_full.c):
	 * the clock is what a user waits, the CPU what the machine spends */
	printf("  verify, full (%ld threads): %zu events in %.2f s (CPU %.2f s) = %.0f events/s on the clock,"
	       " %.0f per CPU second (target 1,000,000/s on the clock)\n", cpus < 1 ? 1 : cpus > 8 ? 8 : cpus, events,
	       full, used, events / full, events / used);
	printf("    beside the bare read: clock %.2fx, CPU %.2fx; beside the function's read: CPU %.2fx (the floors are"
	       " one thread's; %ld CPUs could at best read the log in %.2f s)\n", full / fw, used / fc, used / gc,
	       cpus < 1 ? 1 : cpus, gc / (double)(cpus < 1 ? 1 : cpus));
	if (scans(n_scans))
		return 1;
	int64_t from;
	a = mono();
	c = cpu();
	if (store_verify_quick(S, &events, &from, &e)) {
		fprintf(stderr, "verify --quick: %s\n", e.msg);
		return 1;
	}
	printf("  verify --quick after them: %zu new events in %.1f ms (CPU %.1f ms; target 100 ms)\n", events,
	       (mono() - a) * 1e3, (cpu() - c) * 1e3);
	store_close(S);
	return 0;
}
