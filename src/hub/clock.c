/*
 * clock.c - the point's deadlines on the hub, by the terminal's own rules.
 *
 * Which clock a step opens and closes is core's one table (clock_step_of in
 * src/core/clock_step.c, which the terminal's store follows too); when a
 * clock is due is core's deadline_due over the working-day calendar, moved
 * by the point's force majeure as deadline_extend_by moves it.  The hub
 * keeps only what does not depend on the calendar - a clock's kind, its
 * envelope or register, when it started and from what it counts - and
 * computes the due times when the summary is read, so a corrected calendar
 * or a force majeure recorded later applies at once, as on a terminal.
 *
 * Ingest judges a batch in memory (ingest.c); each envelope's clock steps
 * are folded here into what the database must do once the batch is
 * judged: close its open clocks of some kinds, and add the clocks opened
 * (and not closed again) in the batch.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "amanat/timeutil.h"
#include "hub.h"

/* Closing is one statement that can only run as key look-ups, whatever
 * the statistics say (a join of the rows to close with the clock table was
 * planned, on a young table, as a scan of every open clock): the open
 * clocks of each row to close, found by a lateral look-up in clock_open
 * (the batch's point, waybill, register), each closed at its first closing
 * in the batch's order, through the primary key. */
static const char CLOSE_SQL[] =
	"UPDATE clock k SET closed_ms = f.at FROM (SELECT DISTINCT ON (o.id) o.id, x.at"
	" FROM ROWS FROM (json_to_recordset($1::json) AS (waybill text, register text, clock text, at bigint))"
	" WITH ORDINALITY AS x(waybill, register, clock, at, n),"
	" LATERAL (SELECT id FROM clock c WHERE c.closed_ms = 0 AND c.point = $2 AND c.waybill = x.waybill"
	" AND c.register = x.register AND (x.clock IS NULL OR c.clock = x.clock) OFFSET 0) o"
	" ORDER BY o.id, x.n) f WHERE k.id = f.id AND k.closed_ms = 0";
static const char COPY_CLOCKS[] =
	"COPY clock (point, waybill, register, clock, started_ms, basis_ms, prior_ms) FROM STDIN";

/* Closings first (by one statement), then the clocks opened (by COPY): a
 * clock the batch opens is never closed by the batch's own closings. */
int hub_clock_write(PGconn *c, const char *point, json_t *closes, json_t *adds, struct am_error *e)
{
	if (json_array_size(closes)) {
		char *arg = json_dumps(closes, JSON_COMPACT);
		if (!arg)
			return am_fail(e, AM_ENV, "out of memory");
		const char *p[] = { arg, point };
		PGresult *r = hub_q(c, PGRES_COMMAND_OK, e, CLOSE_SQL, 2, p);
		free(arg);
		if (!r)
			return AM_ENV;
		PQclear(r);
	}
	if (!json_array_size(adds))
		return 0;
	struct hub_buf b = { 0 };
	size_t i;
	json_t *a;
	json_array_foreach(adds, i, a) {
		hub_buf_text(&b, hub_str(a, "point"));
		hub_buf_text(&b, hub_str(a, "waybill"));
		hub_buf_text(&b, hub_str(a, "register"));
		hub_buf_text(&b, hub_str(a, "clock"));
		hub_buf_int(&b, json_integer_value(json_object_get(a, "started_ms")));
		hub_buf_int(&b, json_integer_value(json_object_get(a, "basis_ms")));
		hub_buf_int(&b, json_integer_value(json_object_get(a, "prior_ms")));
		hub_buf_end_row(&b);
	}
	int rc = hub_copy(c, COPY_CLOCKS, &b, NULL, e);
	hub_buf_free(&b);
	return rc;
}

int hub_clock_storage_basis(PGconn *c, const char *point, json_t *waybills, json_t *out, struct am_error *e)
{
	char *arg = json_dumps(waybills, JSON_COMPACT);
	if (!arg)
		return am_fail(e, AM_ENV, "out of memory");
	const char *p[] = { arg, point };
	PGresult *r = hub_q(c, PGRES_TUPLES_OK, e, "SELECT waybill, basis_ms FROM clock WHERE closed_ms = 0"
			    " AND clock = 'storage' AND point = $2"
			    " AND waybill IN (SELECT jsonb_array_elements_text($1::jsonb))", 2, p);
	free(arg);
	if (!r)
		return AM_ENV;
	for (int i = 0; i < PQntuples(r); i++)
		json_object_set_new(out, PQgetvalue(r, i, 0), json_integer(strtoll(PQgetvalue(r, i, 1), NULL, 10)));
	PQclear(r);
	return 0;
}

int hub_clock_register_open(PGconn *c, json_t *doc, struct am_error *e)
{
	const char *reg = json_string_value(json_object_get(doc, "register"));
	const char *point = json_string_value(json_object_get(doc, "to"));
	const char *kind = json_string_value(json_object_get(doc, "kind"));
	const char *formed = json_string_value(json_object_get(doc, "formed_at"));
	int64_t at;
	if (!reg || !point || !formed || time_parse(formed, hub_conf.offset_min, &at))
		return 0;	/* no formed_at: no clock can be reckoned (the terminal refuses it) */
	bool ret = kind && !strcmp(kind, "return");
	char ms[24];
	snprintf(ms, sizeof ms, "%lld", (long long)at);
	const char *p[] = { point, reg, ms, ret ? "{pickup-returns}" : "{to-point,courier-delivery}" };
	PGresult *r = hub_q(c, PGRES_COMMAND_OK, e, "INSERT INTO clock (point, register, clock, started_ms, basis_ms)"
			    " SELECT $1, $2, k, $3::bigint, $3::bigint FROM unnest($4::text[]) k"
			    " WHERE NOT EXISTS (SELECT 1 FROM clock WHERE waybill = '' AND register = $2)", 4, p);
	if (!r)
		return AM_ENV;
	PQclear(r);
	return 0;
}

/* §26: a lost envelope's duplicate clock stops when the duplicate comes in
 * a register (a line with the lost one's application and another waybill),
 * as the terminal's register import stops it (store/register_import.c). */
int hub_clock_duplicate_arrived(PGconn *c, json_t *doc, struct am_error *e)
{
	const char *point = json_string_value(json_object_get(doc, "to"));
	json_t *items = json_object_get(doc, "items");
	if (!point || !json_is_array(items) || !json_array_size(items))
		return 0;
	char *arg = json_dumps(items, JSON_COMPACT), now[24];
	if (!arg)
		return am_fail(e, AM_ENV, "out of memory");
	snprintf(now, sizeof now, "%lld", (long long)hub_now_ms());
	const char *p[] = { arg, now, point };
	PGresult *r = hub_q(c, PGRES_COMMAND_OK, e, "UPDATE clock k SET closed_ms = $2::bigint FROM envelope en,"
			    " json_to_recordset($1::json) AS x(waybill text, application text)"
			    " WHERE k.closed_ms = 0 AND k.clock = 'duplicate' AND k.register = '' AND k.point = $3"
			    " AND en.waybill = k.waybill AND coalesce(x.application, '') <> ''"
			    " AND en.application = x.application AND en.waybill <> coalesce(x.waybill, '')", 3, p);
	free(arg);
	if (!r)
		return AM_ENV;
	PQclear(r);
	return 0;
}

/* ---- reading: due times by the calendar, moved by force majeure -------- */

struct fm {
	char id[64];
	int64_t from, to;
};

/* The point's force majeure spans (an ongoing one ends now). */
static int fm_spans(PGconn *c, const char *point, int64_t now, struct fm **out, size_t *n, struct am_error *e)
{
	const char *p[] = { point };
	PGresult *r = hub_q(c, PGRES_TUPLES_OK, e, "SELECT type, payload->>'id', coalesce(payload->>'from_ms', '0'),"
			    " coalesce(payload->>'to_ms', '0') FROM event WHERE point = $1"
			    " AND type IN ('force_majeure', 'force_majeure_ended') ORDER BY id", 1, p);
	*out = NULL;
	*n = 0;
	if (!r)
		return AM_ENV;
	struct fm *v = calloc((size_t)PQntuples(r) + 1, sizeof *v);
	if (!v) {
		PQclear(r);
		return am_fail(e, AM_ENV, "out of memory");
	}
	for (int i = 0; i < PQntuples(r); i++) {
		const char *id = PQgetvalue(r, i, 1);
		int64_t to = strtoll(PQgetvalue(r, i, 3), NULL, 10);
		size_t j = 0;
		while (j < *n && strcmp(v[j].id, id))
			j++;
		if (!strcmp(PQgetvalue(r, i, 0), "force_majeure_ended")) {
			if (j < *n)
				v[j].to = to;
			continue;
		}
		if (j == *n)
			snprintf(v[(*n)++].id, sizeof v->id, "%s", id);
		v[j].from = strtoll(PQgetvalue(r, i, 2), NULL, 10);
		v[j].to = to;
	}
	PQclear(r);
	for (size_t j = 0; j < *n; j++)
		if (!v[j].to)
			v[j].to = now > v[j].from ? now : v[j].from;
	*out = v;
	return 0;
}

/* The calendar the point's deadlines are reckoned by, as a terminal picks
 * it (app_use_hub_calendar): the newest one `calendar import` sent, when it
 * reaches at least as far as the file, else the file (--calendar).  Read
 * for each summary (a calendar of a year or two parses in well under a
 * millisecond), so a calendar imported since applies at once to every open
 * deadline: the hub keeps what a clock counts from, not its due time.
 * *owned: the caller frees it. */
static const struct calendar *point_calendar(PGconn *c, struct calendar **owned, struct am_error *e)
{
	*owned = NULL;
	PGresult *r = hub_q(c, PGRES_TUPLES_OK, e, "SELECT body->>'text' FROM calendar_doc ORDER BY id DESC LIMIT 1",
			    0, NULL);
	if (!r)
		return NULL;
	char err[256];
	struct calendar *doc = PQntuples(r) ? calendar_parse(PQgetvalue(r, 0, 0), err, sizeof err) : NULL;
	PQclear(r);
	if (doc && (!hub_conf.calendar || calendar_last_day(doc) >= calendar_last_day(hub_conf.calendar)))
		return *owned = doc;
	calendar_free(doc);
	return hub_conf.calendar;
}

static int64_t due_of(const struct calendar *cal, enum pilot_clock k, int64_t started, int64_t basis,
		      const char *reg, const struct fm *fm, size_t n_fm)
{
	int64_t due = deadline_due(cal, k, basis, hub_conf.offset_min);
	for (size_t i = 0; i < n_fm; i++) {
		if (k == CLOCK_FORCE_MAJEURE_NOTICE && !strcmp(reg, fm[i].id))
			continue;	/* §38: the notice is not suspended by its own cause */
		due = deadline_extend_by(cal, k, started, due, fm[i].from, fm[i].to,
					 hub_conf.offset_min);
	}
	return due;
}

struct due_row {
	int row;
	enum pilot_clock clock;
	int64_t started, due;
};

static int by_due(const void *a, const void *b)
{
	const struct due_row *x = a, *y = b;
	return x->due < y->due ? -1 : x->due > y->due;
}

static json_t *deadlines_by(PGconn *c, const struct calendar *cal, const char *point, int64_t now,
			    struct am_error *e);

json_t *hub_deadlines(PGconn *c, const char *point, int64_t now, struct am_error *e)
{
	struct am_error ce = { "" };
	struct calendar *owned;
	const struct calendar *cal = point_calendar(c, &owned, &ce);
	if (!cal && ce.msg[0]) {
		*e = ce;
		return NULL;
	}
	if (!cal)
		return json_pack("{s:s}", "unavailable",
				 "the hub has no working-day calendar (serve --calendar FILE, or amanat-hub calendar import FILE)");
	json_t *out = deadlines_by(c, cal, point, now, e);
	calendar_free(owned);
	return out;
}

static json_t *deadlines_by(PGconn *c, const struct calendar *cal, const char *point, int64_t now,
			    struct am_error *e)
{
	struct fm *fm;
	size_t n_fm;
	if (fm_spans(c, point, now, &fm, &n_fm, e))
		return NULL;
	const char *p[] = { point };
	PGresult *r = hub_q(c, PGRES_TUPLES_OK, e, "SELECT waybill, register, clock, started_ms, basis_ms, prior_ms"
			    " FROM clock WHERE point = $1 AND closed_ms = 0", 1, p);
	if (!r) {
		free(fm);
		return NULL;
	}
	int n = PQntuples(r);
	struct due_row *v = calloc((size_t)n + 1, sizeof *v);
	size_t m = 0, breached = 0, soon = 0;
	for (int i = 0; v && i < n; i++) {
		int k = clock_from_name(PQgetvalue(r, i, 2));
		if (k < 0)
			continue;
		int64_t started = strtoll(PQgetvalue(r, i, 3), NULL, 10), basis = strtoll(PQgetvalue(r, i, 4), NULL, 10);
		int64_t prior = strtoll(PQgetvalue(r, i, 5), NULL, 10);
		const char *reg = PQgetvalue(r, i, 1);
		if (prior) {	/* §30 from the end of storage, when that had passed at the removal */
			int64_t end = due_of(cal, CLOCK_STORAGE, prior, prior, reg, fm, n_fm);
			if (end <= started) {
				started = end;
				basis = end - 1;
			}
		}
		struct due_row *d = &v[m++];
		*d = (struct due_row){ i, (enum pilot_clock)k, started, due_of(cal, (enum pilot_clock)k, started, basis, reg, fm, n_fm) };
		breached += d->due < now;
		soon += d->due >= now && d->due - now < 24 * MS_PER_HOUR;
	}
	free(fm);
	if (!v) {
		PQclear(r);
		am_fail(e, AM_ENV, "out of memory");
		return NULL;
	}
	qsort(v, m, sizeof *v, by_due);
	json_t *items = json_array();
	for (size_t i = 0; i < m && i < 50; i++)
		json_array_append_new(items, json_pack("{s:s, s:i, s:s, s:s, s:I, s:I, s:b, s:b}",
			"clock", clock_name(v[i].clock), "paragraph", clock_paragraph(v[i].clock),
			"waybill", PQgetvalue(r, v[i].row, 0), "register", PQgetvalue(r, v[i].row, 1),
			"started_ms", (json_int_t)v[i].started, "due_ms", (json_int_t)v[i].due,
			"breached", v[i].due < now, "keeping", clock_is_keeping(v[i].clock)));
	free(v);
	PQclear(r);
	return json_pack("{s:I, s:I, s:I, s:o}", "open", (json_int_t)m, "breached", (json_int_t)breached,
			 "soon", (json_int_t)soon, "items", items);
}
