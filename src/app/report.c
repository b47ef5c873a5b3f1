/*
 * report.c - the shift report, in text for people and CSV for spreadsheets.
 * Each CSV row is one fact: section,key,value[,extra...].
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "amanat/i18n.h"
#include "amanat/report.h"
#include "amanat/timeutil.h"

struct out {
	FILE *txt, *csv;
	const struct app *a;
	int64_t now;
	size_t n, breached, n_breaches;
};

static void csv_field(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static int by_person(const char *actor, size_t n, void *arg)
{
	struct out *o = arg;
	fprintf(o->txt, "  %-24s %6zu\n", actor, n);
	fputs("person,", o->csv);
	csv_field(o->csv, actor);
	fprintf(o->csv, ",%zu\n", n);
	return 0;
}

static int deadline_row(const struct clock_row *c, void *arg)
{
	struct out *o = arg;
	char due[32], left[32];
	time_format_local(c->due_ms, o->a->rules.offset_min, due, sizeof due);
	duration_format(c->due_ms - o->now, left, sizeof left);
	bool late = c->due_ms < o->now;
	o->n++;
	o->breached += late;
	fprintf(o->txt, "  %s %-20s %-14s %-16s %s  %8s  §%d\n", late ? "✗" : " ", clock_name(c->clock),
		c->waybill[0] ? c->waybill : "-", c->register_id[0] ? c->register_id : "-", due, left,
		clock_paragraph(c->clock));
	fprintf(o->csv, "deadline,%s,%s,%s,%s,%s,%d\n", clock_name(c->clock), c->waybill, c->register_id,
		due, late ? "breached" : "open", clock_paragraph(c->clock));
	return 0;
}

/* A breach of the period: due in it and missed, however it ended. */
static int breach_row(const struct clock_row *c, void *arg)
{
	struct out *o = arg;
	char due[32], late[32];
	int64_t end = c->closed_ms ? c->closed_ms : o->now;
	time_format_local(c->due_ms, o->a->rules.offset_min, due, sizeof due);
	duration_format((end - c->due_ms) / MS_PER_MINUTE * MS_PER_MINUTE, late, sizeof late);
	o->n_breaches++;
	fprintf(o->txt, "  ✗ %-20s %-14s %-16s %s  %s %8s  §%d\n", clock_name(c->clock),
		c->waybill[0] ? c->waybill : "-", c->register_id[0] ? c->register_id : "-", due,
		c->closed_ms ? _("late") : _("open"), late, clock_paragraph(c->clock));
	fprintf(o->csv, "breach,%s,%s,%s,%s,%s,%lld,%d\n", clock_name(c->clock), c->waybill, c->register_id,
		due, c->closed_ms ? "closed" : "open", (long long)((end - c->due_ms) / MS_PER_MINUTE),
		clock_paragraph(c->clock));
	return 0;
}

static int act_row(const struct act_row *a, void *arg)
{
	struct out *o = arg;
	fprintf(o->txt, "  %-22s %-12s %s%s x%d\n", a->id, a->kind, a->register_id[0] ? a->register_id : a->waybill,
		"", a->copies);
	fprintf(o->csv, "act,%s,%s,%s,%d\n", a->id, a->kind, a->register_id[0] ? a->register_id : a->waybill, a->copies);
	return 0;
}

int report_shift(struct app *a, int64_t since_ms, const char *dir, char *txt, size_t txt_len,
		 char *csv, size_t csv_len, struct am_error *e)
{
	char stamp[32], t[32];
	struct out o = { NULL, NULL, a, now_ms(), 0, 0, 0 };
	size_t counts[ST__COUNT], depth = 0, dead = 0;
	int64_t oldest = 0;
	int rc;
	if (!dir || !*dir)
		dir = ".";
	mkdir(dir, 0755);
	time_format_local(o.now, a->rules.offset_min, t, sizeof t);
	snprintf(stamp, sizeof stamp, "%.10s-%.2s%.2s", t, t + 11, t + 14);
	snprintf(txt, txt_len, "%s/shift-%s.txt", dir, stamp);
	snprintf(csv, csv_len, "%s/shift-%s.csv", dir, stamp);
	if ((rc = store_state_counts(a->store, counts, e)) ||
	    (rc = store_outbox_stats(a->store, &depth, &oldest, &dead, e)))
		return rc;
	o.txt = fopen(txt, "w");
	o.csv = fopen(csv, "w");
	if (!o.txt || !o.csv) {
		rc = am_fail(e, AM_ENV, _("cannot write the report in %s: %s"), dir, strerror(errno));
		goto out;
	}
	char since[32];
	time_format_local(since_ms, a->rules.offset_min, since, sizeof since);
	fprintf(o.txt, "amanat shift report · %s · %s – %s\n\n", a->place, since, t);
	fprintf(o.csv, "section,key,value\nreport,point,%s\nreport,from,%s\nreport,to,%s\n", a->place, since, t);
	fprintf(o.txt, "%s\n", _("Envelopes by state"));
	for (int s = 1; s < ST__COUNT; s++) {
		fprintf(o.txt, "  %-24s %6zu\n", state_name((enum envelope_state)s), counts[s]);
		fprintf(o.csv, "state,%s,%zu\n", state_name((enum envelope_state)s), counts[s]);
	}
	fprintf(o.txt, "\n%s\n", _("Scans by person"));
	if ((rc = store_actor_counts(a->store, since_ms, by_person, &o, e)))
		goto out;
	fprintf(o.txt, "\n%s\n", _("Open deadlines, soonest first (✗ breached)"));
	if ((rc = store_clock_each(a->store, deadline_row, &o, e)))
		goto out;
	fprintf(o.txt, "  %zu open, %zu breached\n\n%s\n", o.n, o.breached,
		_("Breached deadlines of the period (due since its start; late: how late it was closed)"));
	if ((rc = store_breach_each(a->store, since_ms, o.now, breach_row, &o, e)))
		goto out;
	fprintf(o.txt, "  %zu\n\n%s\n", o.n_breaches, _("Acts"));
	if ((rc = store_act_each(a->store, act_row, &o, e)))
		goto out;
	fprintf(o.txt, "\n%s: %zu, %s %lld min; %s: %zu\n", _("Waiting for upload"), depth, _("oldest"),
		depth ? (long long)((o.now - oldest) / MS_PER_MINUTE) : 0LL, _("rejected upstream"), dead);
	fprintf(o.csv, "outbox,depth,%zu\noutbox,oldest_minutes,%lld\noutbox,dead,%zu\n", depth,
		depth ? (long long)((o.now - oldest) / MS_PER_MINUTE) : 0LL, dead);
out:
	if (o.txt && fclose(o.txt) && !rc)
		rc = am_fail(e, AM_ENV, _("cannot write the report: %s"), strerror(errno));
	if (o.csv && fclose(o.csv) && !rc)
		rc = am_fail(e, AM_ENV, _("cannot write the report: %s"), strerror(errno));
	return rc;
}
