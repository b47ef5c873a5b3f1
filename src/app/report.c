/*
 * report.c - the shift report: what the shift screen shows, for people
 * (text, in the UI's language) and for spreadsheets (CSV, one fact a row:
 * section,key,value[,extra...], with machine names and the label beside).
 * The shift is the point's (shift.h): from its last close until now.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "amanat/i18n.h"
#include "amanat/file.h"
#include "amanat/report.h"
#include "amanat/shift.h"
#include "amanat/timeutil.h"

struct out {
	FILE *txt, *csv;
	const struct app *a;
	int64_t now;
	int64_t *soonest;	/* the open deadlines' soonest by state, found as they are listed */
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

/* 1000500 -> "1,000,500" */
static const char *count(size_t n, char buf[32])
{
	char d[32];
	int nd = snprintf(d, sizeof d, "%zu", n), o = 0;
	for (int i = 0; i < nd; i++) {
		if (i && (nd - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = d[i];
	}
	buf[o] = '\0';
	return buf;
}

/* label padded to width columns (labels are Cyrillic: bytes are not columns) */
static void pad(FILE *f, const char *s, int width)
{
	int cols = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		cols += (*p & 0xc0) != 0x80;
	fputs(s, f);
	for (; cols < width; cols++)
		fputc(' ', f);
}

/* right-aligned in width columns, after a space */
static void rpad(FILE *f, const char *s, int width)
{
	int cols = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		cols += (*p & 0xc0) != 0x80;
	for (; cols < width; cols++)
		fputc(' ', f);
	fputs(s, f);
}

static void when(const struct app *a, int64_t ms, char *buf, size_t len)
{
	if (ms)
		time_format_human(ms, a->rules.offset_min, buf, len);
	else
		snprintf(buf, len, "-");
}

static int person_row(const struct shift_person *p, void *arg)
{
	struct out *o = arg;
	char b[5][32];
	fputs("  ", o->txt);
	pad(o->txt, p->name, 28);
	fprintf(o->txt, " %10s %8s %8s %8s %10s\n", count(p->accepted, b[0]), count(p->handed, b[1]),
		count(p->placed, b[2]), count(p->returned, b[3]), count(p->total, b[4]));
	fputs("person,", o->csv);
	csv_field(o->csv, p->badge);
	fputc(',', o->csv);
	csv_field(o->csv, p->name);
	fprintf(o->csv, ",%s,%zu,%zu,%zu,%zu,%zu\n", p->role >= 0 ? staff_role_name((enum staff_role)p->role) : "",
		p->total, p->accepted, p->handed, p->placed, p->returned);
	return 0;
}

static int deadline_row(const struct shift_deadline *d, void *arg)
{
	struct out *o = arg;
	char due[32], left[32], closed[32];
	if (o->soonest && !d->closed_ms && d->c.waybill[0] && d->state != ST_NONE &&
	    (!o->soonest[d->state] || d->c.due_ms < o->soonest[d->state]))
		o->soonest[d->state] = d->c.due_ms;
	bool late = d->closed_ms || d->c.due_ms < o->now;
	when(o->a, d->c.due_ms, due, sizeof due);
	when(o->a, d->closed_ms, closed, sizeof closed);
	if (d->c.due_ms < o->now) {	/* breached and open: how late so far (+), as the shift screen says */
		char over[30];
		duration_format(o->now - d->c.due_ms, over, sizeof over);
		snprintf(left, sizeof left, "+%s", over);
	} else {
		duration_format(d->c.due_ms - o->now, left, sizeof left);
	}
	const char *mark = late ? "✗" : d->c.due_ms - o->now < 24 * MS_PER_HOUR ? "!" : " ";
	fprintf(o->txt, "  %s %-14s ", mark, d->c.waybill[0] ? d->c.waybill : d->c.register_id);
	pad(o->txt, clock_title(d->c.clock), 26);
	fprintf(o->txt, " %s  ", due);
	if (d->closed_ms)
		fprintf(o->txt, "%s %s", _("closed late"), closed);
	else
		fprintf(o->txt, "%8s", left);
	fprintf(o->txt, "  §%d\n", clock_paragraph(d->c.clock));
	fprintf(o->csv, "deadline,%s,%s,%s,%s,%s,%d,%s,", clock_name(d->c.clock), d->c.waybill, d->c.register_id,
		due, d->closed_ms ? "breached-closed" : late ? "breached" : "open", clock_paragraph(d->c.clock),
		d->state != ST_NONE ? state_name(d->state) : "");
	csv_field(o->csv, clock_title(d->c.clock));
	fputc('\n', o->csv);
	return 0;
}

static int act_row(const struct act_row *a, void *arg)
{
	struct out *o = arg;
	char t[32];
	when(o->a, a->created_ms, t, sizeof t);
	/* the kind in the report's language (the CSV keeps the machine name) */
	fprintf(o->txt, "  %-22s ", a->id);
	pad(o->txt, !strcmp(a->kind, "loss") ? _("loss") : _("discrepancy"), 14);
	fprintf(o->txt, " %-16s %s ×%d\n", a->register_id[0] ? a->register_id : a->waybill, t, a->copies);
	fprintf(o->csv, "act,%s,%s,%s,%d,", a->id, a->kind, a->register_id[0] ? a->register_id : a->waybill, a->copies);
	csv_field(o->csv, a->reason);
	fputc('\n', o->csv);
	return 0;
}

static void state_row(struct out *o, const char *name, const char *label, size_t n, int64_t soonest)
{
	char b[32], due[32];
	when(o->a, soonest, due, sizeof due);
	fputs("  ", o->txt);
	pad(o->txt, label, 30);
	fprintf(o->txt, " %12s   %s\n", count(n, b), soonest ? due : "");
	fprintf(o->csv, "state,%s,%zu,%s,", name, n, soonest ? due : "");
	csv_field(o->csv, label);
	fputc('\n', o->csv);
}

/* The deadlines section (text and CSV) into memory: listing every open
 * deadline with its envelope's state gives each state's soonest, which the
 * states section above it shows (store_shift_states would join every open
 * deadline to its envelope once more for them). */
static int deadlines_section(struct out *o, int64_t since_ms, char **txt, size_t *txt_len, char **csv,
			     size_t *csv_len, struct am_error *e)
{
	struct out d = *o;
	struct shift_deadline_totals t;
	char b[3][32];
	d.txt = open_memstream(txt, txt_len);
	d.csv = open_memstream(csv, csv_len);
	int rc = !d.txt || !d.csv ? am_fail(e, AM_ENV, _("out of memory")) : 0;
	if (!rc)
		rc = store_shift_deadlines(o->a->store, since_ms, o->now, 0, (size_t)-1 >> 1, deadline_row, &d, &t, e);
	if (!rc) {
		fprintf(d.txt, "  %s: %s; %s: %s; %s: %s\n", _("open"), count(t.open, b[0]), _("breached"),
			count(t.breached_open, b[1]), _("closed late"), count(t.closed_late, b[2]));
		fprintf(d.csv, "deadlines,open,%zu\ndeadlines,breached,%zu\ndeadlines,closed_late,%zu\n", t.open,
			t.breached_open, t.closed_late);
	}
	int bad_txt = d.txt ? fclose(d.txt) : 0, bad_csv = d.csv ? fclose(d.csv) : 0;
	if ((bad_txt || bad_csv) && !rc)
		rc = am_fail(e, AM_ENV, _("out of memory"));
	return rc;
}

static int write_body(struct out *o, const struct point_shift *sh, int64_t since_ms, struct am_error *e)
{
	struct app *a = (struct app *)o->a;
	struct shift_states st;
	size_t depth = 0, dead = 0, dtxt_len = 0, dcsv_len = 0;
	int64_t oldest = 0;
	char from[32], to[32], b[3][32], *dtxt = NULL, *dcsv = NULL;
	int rc;
	if ((rc = store_shift_states_counts(a->store, &st, e)) ||
	    (rc = store_outbox_stats(a->store, &depth, &oldest, &dead, e)))
		return rc;
	o->soonest = st.soonest;
	rc = deadlines_section(o, since_ms, &dtxt, &dtxt_len, &dcsv, &dcsv_len, e);
	o->soonest = NULL;
	if (rc)
		goto done;
	when(a, since_ms, from, sizeof from);
	when(a, o->now, to, sizeof to);
	fprintf(o->txt, "amanat · %s · %s %lld · %s – %s\n", a->place, _("shift"), (long long)sh->number, from, to);
	if (sh->handed_by[0] && since_ms == sh->opened_ms)
		fprintf(o->txt, "%s: %s\n", _("handed over by"), sh->handed_name);
	fprintf(o->csv, "section,key,value\nreport,point,%s\nreport,shift,%lld\nreport,from,%s\nreport,to,%s\n",
		a->place, (long long)sh->number, from, to);
	fprintf(o->txt, "\n%s\n", _("Envelopes by state (soonest deadline)"));
	for (int s = ST_REGISTERED; s < ST__COUNT; s++)
		state_row(o, state_name((enum envelope_state)s), state_label((enum envelope_state)s),
			  st.count[s], st.soonest[s]);
	state_row(o, "damaged", _("damaged, held at the point"), st.damaged, st.damaged_soonest);
	fprintf(o->txt, "\n%s\n  ", _("Work by person"));
	pad(o->txt, "", 28);
	const char *head[] = { _("acc."), _("out"), _("placed"), _("back"), _("all") };
	for (int i = 0; i < 5; i++)
		rpad(o->txt, head[i], i == 0 || i == 4 ? 11 : 9);
	fputc('\n', o->txt);
	if ((rc = store_shift_people(a->store, since_ms, person_row, o, e)))
		goto done;
	fprintf(o->txt, "\n%s\n", _("Deadlines of the shift, soonest first (✗ breached, ! under 24 h)"));
	fwrite(dtxt, 1, dtxt_len, o->txt);
	fwrite(dcsv, 1, dcsv_len, o->csv);
	fprintf(o->txt, "\n%s\n", _("Acts"));
	if ((rc = store_act_each(a->store, act_row, o, e)))
		goto done;
	long long age = depth ? (long long)((o->now - oldest) / MS_PER_MINUTE) : 0LL;
	fprintf(o->txt, "\n%s: %s", _("Waiting for upload"), count(depth, b[0]));
	if (depth)	/* "min" in the report's language too */
		fprintf(o->txt, _(", the oldest for %lld min"), age);
	fprintf(o->txt, "; %s: %s\n", _("rejected upstream"), count(dead, b[1]));
	fprintf(o->csv, "outbox,depth,%zu\noutbox,oldest_minutes,%lld\noutbox,dead,%zu\n", depth, age, dead);
done:
	free(dtxt);
	free(dcsv);
	return rc;
}

int report_shift(struct app *a, int64_t since_ms, const char *dir, char *txt, size_t txt_len,
		 char *csv, size_t csv_len, struct am_error *e)
{
	char stamp[32], t[32];
	struct out o = { NULL, NULL, a, now_ms(), NULL };
	struct point_shift sh;
	int rc;
	if ((rc = store_point_shift(a->store, &sh, e)))
		return rc;
	if (since_ms <= 0)
		since_ms = sh.opened_ms;
	if (!dir || !*dir)
		dir = ".";
	if (mkdir(dir, 0750) && errno != EEXIST)
		return am_fail(e, AM_ENV, _("cannot write the report in %s: %s"), dir, strerror(errno));
	time_format_local(o.now, a->rules.offset_min, t, sizeof t);
	snprintf(stamp, sizeof stamp, "%.10s-%.2s%.2s", t, t + 11, t + 14);
	/* A report never replaces an earlier one: a shift closed at 16:05 and
	 * the next shift's report printed in the same minute would otherwise
	 * overwrite the closed shift's (its record).  The next free name gets
	 * "-2", "-3", ... */
	struct stat sb;
	for (int k = 1;; k++) {
		char n[16] = "";
		if (k > 1)
			snprintf(n, sizeof n, "-%d", k);
		snprintf(txt, txt_len, "%s/shift-%s%s.txt", dir, stamp, n);
		snprintf(csv, csv_len, "%s/shift-%s%s.csv", dir, stamp, n);
		if ((lstat(txt, &sb) && errno == ENOENT && lstat(csv, &sb) && errno == ENOENT) || k >= 1000)
			break;
	}
	o.txt = file_create(txt);
	o.csv = file_create(csv);
	if (!o.txt || !o.csv)
		rc = am_fail(e, AM_ENV, _("cannot write the report in %s: %s"), dir, strerror(errno));
	else
		rc = write_body(&o, &sh, since_ms, e);
	if (o.txt && fclose(o.txt) && !rc)
		rc = am_fail(e, AM_ENV, _("cannot write the report: %s"), strerror(errno));
	if (o.csv && fclose(o.csv) && !rc)
		rc = am_fail(e, AM_ENV, _("cannot write the report: %s"), strerror(errno));
	return rc;
}
