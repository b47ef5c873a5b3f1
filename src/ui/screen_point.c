/*
 * screen_point.c - the whole point on the supervisor's shift screen, from
 * the point hub (GET /v1/point/summary through point_summary_fetch()).
 *
 * The UI never waits on the network: the answer is fetched by a short-lived
 * thread of its own (a blocking libcurl call with a 2 s time-out) and kept
 * here; entering the screen waits for it at most 1.5 s, later draws start a
 * new fetch when the kept one is older than 30 s and show whatever answer is
 * there.  When the latest attempt failed the screen shows this terminal's
 * own figures and says so: it never passes one terminal off as the point.
 * The thread touches only this file's state (under its lock) and the app's
 * configuration, which nothing changes while the UI runs.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <curl/curl.h>
#include <jansson.h>
#include "amanat/feed.h"
#include "amanat/i18n.h"
#include "amanat/timeutil.h"
#include "screen_point.h"
#include "screen_util.h"

#define FETCH_TIMEOUT_MS 2000
#define ENTER_WAIT_MS 1500
#define REFRESH_MS 30000

static struct {
	pthread_mutex_t lock;
	pthread_cond_t done;
	bool running;		/* a fetch thread is out */
	bool tried;		/* an attempt has ended */
	bool ok;		/* the latest attempt got an answer */
	json_t *doc;		/* the latest answer (kept after a failure, not shown) */
	int64_t started_ms;	/* the latest attempt began (monotonic) */
	struct app *app;
} pv = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, false, false, false, NULL, 0, NULL };

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void *fetch_thread(void *arg)
{
	struct app *a = arg;
	json_t *doc = NULL;
	struct am_error e;
	int rc = point_summary_fetch(a, FETCH_TIMEOUT_MS, &doc, &e);
	pthread_mutex_lock(&pv.lock);
	pv.running = false;
	pv.tried = true;
	pv.ok = rc == 0;
	if (!rc) {
		json_decref(pv.doc);
		pv.doc = doc;
	}
	pthread_cond_broadcast(&pv.done);
	pthread_mutex_unlock(&pv.lock);
	return NULL;
}

/* Start a fetch unless one is out or the kept answer is fresh (force: even
 * then).  Called with the lock held. */
static void start_fetch(struct ui *u, bool force)
{
	if (pv.running || !config_get(u->app->cfg, "sync.url", NULL))
		return;
	if (!force && pv.tried && mono_ms() - pv.started_ms < REFRESH_MS)
		return;
	pthread_t t;
	pthread_attr_t at;
	pv.app = u->app;
	pv.started_ms = mono_ms();
	if (pthread_attr_init(&at))
		return;
	pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&t, &at, fetch_thread, u->app) == 0)
		pv.running = true;
	pthread_attr_destroy(&at);
}

void point_view_enter(struct ui *u)
{
	if (!config_get(u->app->cfg, "sync.url", NULL))
		return;
	curl_global_init(CURL_GLOBAL_DEFAULT);	/* here, not in the thread: once, before it */
	pthread_mutex_lock(&pv.lock);
	start_fetch(u, true);
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += ENTER_WAIT_MS / 1000;
	until.tv_nsec += (long)(ENTER_WAIT_MS % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	while (pv.running)
		if (pthread_cond_timedwait(&pv.done, &pv.lock, &until) == ETIMEDOUT)
			break;
	pthread_mutex_unlock(&pv.lock);
}

/* The kept answer when the latest attempt got it (a new reference), else
 * NULL; starts a refresh when it is due. */
static json_t *current(struct ui *u)
{
	pthread_mutex_lock(&pv.lock);
	start_fetch(u, false);
	json_t *doc = pv.ok ? json_incref(pv.doc) : NULL;
	pthread_mutex_unlock(&pv.lock);
	return doc;
}

static size_t count_of(json_t *o, const char *k)
{
	json_int_t n = json_integer_value(json_object_get(o, k));
	return n > 0 ? (size_t)n : 0;
}

bool point_view_states(struct ui *u, struct shift_states *st)
{
	json_t *doc = current(u);
	if (!doc)
		return false;
	json_t *states = json_object_get(doc, "states");
	for (int s = ST_REGISTERED; s < ST__COUNT; s++) {
		st->count[s] = count_of(states, state_name((enum envelope_state)s));
		st->soonest[s] = 0;	/* this terminal's clocks are not the point's */
	}
	st->damaged = count_of(doc, "damaged");
	st->damaged_soonest = 0;
	json_decref(doc);
	return true;
}

/* "14:05": when the hub's figures were true, in the point's local time. */
static void answer_time(struct ui *u, json_t *doc, char *buf, size_t len)
{
	char t[32];
	json_int_t at = json_integer_value(json_object_get(doc, "at_ms"));
	time_format_human(at > 0 ? at : now_ms(), u->app->rules.offset_min, t, sizeof t);
	snprintf(buf, len, "%.5s", strlen(t) >= 16 ? t + 11 : t);
}

/* The line saying whose figures these are (malloc'd; NULL: no memory). */
static char *point_view_line(struct ui *u, bool narrow)
{
	json_t *doc = current(u);
	char at[16], n1[32], n2[32], n3[32], *line = NULL;
	if (!doc) {
		bool none = !config_get(u->app->cfg, "sync.url", NULL);
		return strdup(narrow ? _("local") : none ? _("this terminal only: no hub configured")
			      : _("this terminal only: hub not reachable"));
	}
	answer_time(u, doc, at, sizeof at);
	json_t *dl = json_object_get(doc, "deadlines");
	su_count(json_array_size(json_object_get(doc, "devices")), n1, sizeof n1);
	su_count(json_array_size(json_object_get(doc, "conflicts")), n2, sizeof n2);
	su_count(count_of(dl, "breached"), n3, sizeof n3);
	char *head = NULL;
	int rc;
	if (narrow) {
		rc = asprintf(&line, _("hub %s"), at);
	} else if ((rc = asprintf(&head, _("whole point (hub, %s)"), at)) >= 0) {
		rc = dl ? asprintf(&line, "%s · %s %s · %s %s · %s %s", head, _("devices:"), n1, _("conflicts:"), n2,
				   _("deadlines breached:"), n3)
			: asprintf(&line, "%s · %s %s · %s %s", head, _("devices:"), n1, _("conflicts:"), n2);
		free(head);
	}
	json_decref(doc);
	return rc < 0 ? NULL : line;
}

void point_view_draw(struct ui *u, int y, int x, int cols, int rows)
{
	char *line = point_view_line(u, false);
	if (line)
		ui_draw_wrapped(y, x, cols, rows, line);
	free(line);
}

char *point_view_short(struct ui *u)
{
	return point_view_line(u, true);
}
