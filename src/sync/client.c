/*
 * client.c - the sync client: one libcurl easy handle (one keep-alive
 * connection) driven by a multi handle whose sockets and timer are handed to
 * the caller's poll() loop (CURLMOPT_SOCKETFUNCTION / TIMERFUNCTION).
 *
 * A round: POST the outbox in batches until it is empty, then GET the
 * registers for this point (resumable by cursor) and the postomats.  An
 * event is marked acknowledged only after the answer naming it was parsed
 * whole; rejected events become dead letters.
 *
 * Faults are told apart, because an unattended run must fail loudly on a
 * set-up error and quietly when merely offline (sync.h, enum sync_fault).
 * Retry-After is kept in the database (meta sync.not_before) and honoured
 * by every process.  The batches and what their answers mean: upload.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>
#include <curl/curl.h>
#include <jansson.h>
#include "amanat/endpoint.h"
#include "amanat/feed.h"
#include "amanat/i18n.h"
#include "amanat/postomat_json.h"
#include "amanat/sync.h"
#include "amanat/timeutil.h"
#include "sync_internal.h"

static size_t on_body(char *p, size_t size, size_t n, void *arg)
{
	struct sync *s = arg;
	size_t len = size * n;
	if (s->body_len + len + 1 > s->body_cap) {
		size_t cap = s->body_cap ? s->body_cap : 65536;
		while (cap < s->body_len + len + 1)
			cap *= 2;
		if (cap > (64u << 20))
			return 0;	/* an answer this big is not ours: abort */
		char *b = realloc(s->body, cap);
		if (!b)
			return 0;
		s->body = b;
		s->body_cap = cap;
	}
	memcpy(s->body + s->body_len, p, len);
	s->body_len += len;
	s->body[s->body_len] = '\0';
	return len;
}

static int on_socket(CURL *easy, curl_socket_t fd, int what, void *arg, void *sockp)
{
	struct sync *s = arg;
	(void)easy;
	(void)sockp;
	for (int i = 0; i < s->n_socks; i++)
		if (s->socks[i].fd == fd) {
			if (what == CURL_POLL_REMOVE)
				s->socks[i] = s->socks[--s->n_socks];
			else
				s->socks[i].what = what;
			return 0;
		}
	if (what != CURL_POLL_REMOVE && s->n_socks < MAX_SOCKS) {
		s->socks[s->n_socks].fd = fd;
		s->socks[s->n_socks++].what = what;
	}
	return 0;
}

static int on_timer(CURLM *multi, long ms, void *arg)
{
	struct sync *s = arg;
	(void)multi;
	s->timer_at = ms < 0 ? 0 : now_ms() + ms;
	return 0;
}

void sync_meta_set(struct sync *s, const char *key, const char *value)
{
	struct am_error e;
	store_meta_set(s->app->store, key, value, &e);
}

void sync_meta_time(struct sync *s, const char *key, int64_t ms)
{
	char buf[32];
	snprintf(buf, sizeof buf, "%lld", (long long)ms);
	sync_meta_set(s, key, buf);
}

static uint32_t random32(void)
{
	uint32_t r;
	if (getrandom(&r, sizeof r, 0) != (ssize_t)sizeof r)
		r = (uint32_t)now_ms();
	return r;
}

int64_t sync_meta_int(struct sync *s, const char *key)
{
	char buf[32];
	if (store_meta_get(s->app->store, key, buf, sizeof buf) != 0)
		return 0;
	return strtoll(buf, NULL, 10);
}

/* Exponential backoff with full jitter, never sooner than Retry-After. */
static void imports_drop(struct sync *s);

void sync_fail_round(struct sync *s, enum sync_fault kind, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void sync_fail_round(struct sync *s, enum sync_fault kind, const char *fmt, ...)
{
	char msg[256];
	s->again = false;
	va_list ap;
	va_start(ap, fmt);
	am_fit(msg, sizeof msg, vsnprintf(msg, sizeof msg, fmt, ap));
	va_end(ap);
	curl_off_t retry_after = 0;
	if (kind == SYNC_FAULT_OFFLINE)
		curl_easy_getinfo(s->easy, CURLINFO_RETRY_AFTER, &retry_after);
	if (retry_after < 0 || retry_after > 3600)
		retry_after = retry_after < 0 ? 0 : 3600;
	if (retry_after > 0)	/* the hub's word binds every process: keep it */
		sync_meta_time(s, "sync.not_before", now_ms() + retry_after * 1000);
	s->fault = kind;
	if (kind != SYNC_FAULT_STORE)
		s->fault_status = kind == SYNC_FAULT_OFFLINE ? AM_ENV_OFFLINE : kind == SYNC_FAULT_TOKEN ? AM_ENV_TOKEN
				: kind == SYNC_FAULT_UPSTREAM ? AM_ENV_UPSTREAM : AM_ENV_REFUSES_ALL;
	snprintf(s->error, sizeof s->error, "%s", msg);
	sync_upload_forget(s);	/* the held events are sent alone again: cheap, and nothing is lost */
	imports_drop(s);
	int64_t cap = s->base_ms << (s->attempt < 20 ? s->attempt : 20);
	if (cap > s->max_ms || cap <= 0)
		cap = s->max_ms;
	int64_t delay = (int64_t)(random32() % (uint64_t)(cap + 1));
	if (delay < retry_after * 1000)
		delay = retry_after * 1000;
	s->attempt++;
	s->next_try = now_ms() + delay;
	s->phase = PH_IDLE;
	s->rounds++;
	s->last_ok = false;
	sync_meta_set(s, "sync.last_error", msg);
	sync_meta_time(s, "sync.last_error_at", now_ms());
}

static void ok_round(struct sync *s)
{
	s->attempt = 0;
	s->fault = SYNC_FAULT_NONE;
	s->error[0] = '\0';
	s->phase = PH_IDLE;
	s->rounds++;
	s->last_ok = true;
	s->next_try = now_ms() + s->interval_ms;
	sync_meta_time(s, "sync.last_ok_at", now_ms());
}

void sync_request(struct sync *s, const char *path, const char *post)
{
	char url[1100];
	snprintf(url, sizeof url, "%s%s", s->ep.url, path);
	s->body_len = 0;
	if (s->body)
		s->body[0] = '\0';
	curl_easy_setopt(s->easy, CURLOPT_URL, url);
	if (post) {
		curl_easy_setopt(s->easy, CURLOPT_POST, 1L);
		curl_easy_setopt(s->easy, CURLOPT_POSTFIELDS, post);
		curl_easy_setopt(s->easy, CURLOPT_POSTFIELDSIZE, (long)strlen(post));
	} else {
		curl_easy_setopt(s->easy, CURLOPT_HTTPGET, 1L);
	}
	curl_multi_add_handle(s->multi, s->easy);
	s->in_flight = true;
	int running;
	curl_multi_socket_action(s->multi, CURL_SOCKET_TIMEOUT, 0, &running);
}

/* ---- downloads --------------------------------------------------------- */

/* The registers the hub sent are imported a slice at a time, from the poll
 * loop (sync_handle), like a register a clerk loads: a scan in this process
 * waits for one slice, never for a 100,000-line register. */
enum { SYNC_SLICE_MS = 25 };

static void note_refused(struct sync *s, const char *why)
{
	if (!s->refused && asprintf(&s->refused, _("a downloaded register was refused: %s"), why) < 0)
		s->refused = NULL;
}

/* Drop what is not imported yet: a job dropped half way leaves its slices
 * hidden, and the next round's download goes on from them. */
static void imports_drop(struct sync *s)
{
	store_import_free(s->job);
	s->job = NULL;
	for (size_t i = s->next_reg; i < s->n_regs; i++)
		register_free(&s->regs[i]);
	free(s->regs);
	s->regs = NULL;
	s->n_regs = s->next_reg = 0;
	free(s->regs_cursor);
	s->regs_cursor = NULL;
	free(s->refused);
	s->refused = NULL;
}

static void registers_answer(struct sync *s)
{
	json_error_t je;
	struct am_error e;
	imports_drop(s);
	json_t *root = s->body ? json_loadb(s->body, s->body_len, 0, &je) : NULL;
	json_t *list = json_object_get(root, "registers");
	if (!json_is_array(list)) {
		json_decref(root);
		sync_fail_round(s, SYNC_FAULT_OFFLINE, _("the registers answer was incomplete or not JSON"));
		return;
	}
	const char *cursor = json_string_value(json_object_get(root, "cursor"));
	s->regs = calloc(json_array_size(list) + 1, sizeof *s->regs);
	if (!s->regs || (cursor && !(s->regs_cursor = strdup(cursor)))) {
		json_decref(root);
		sync_fail_store(s, AM_ENV, _("out of memory"));
		return;
	}
	size_t i;
	json_t *item;
	json_array_foreach(list, i, item) {
		char *text = json_dumps(item, JSON_COMPACT);
		if (!text)
			continue;
		if (register_parse_json(text, strlen(text), &s->app->rules.waybill, s->app->rules.offset_min,
					&s->regs[s->n_regs], &e) == 0)
			s->n_regs++;
		else	/* refused whole, reported; the others go in */
			note_refused(s, e.msg);
		free(text);
	}
	json_decref(root);
	s->phase = PH_IMPORT;
}

/* One slice of the downloaded registers (all of them when budget_ms is 0).
 * True when they are all in, or when the store failed (the round failed,
 * the cursor not moved: they come again). */
static bool imports_step(struct sync *s, int budget_ms)
{
	struct am_error e;
	while (s->job || s->next_reg < s->n_regs) {
		if (!s->job) {
			struct reg *r = &s->regs[s->next_reg++];
			struct event_ctx ctx = app_ctx(s->app);
			int rc = store_import_start(s->app->store, r, &ctx, &s->job, &e);	/* takes r's lines */
			register_free(r);
			if (rc == AM_REFUSED)
				note_refused(s, e.msg);
			else if (rc) {
				sync_fail_store(s, rc, e.msg);
				return true;
			}
			if (!s->job)	/* refused, or here already */
				continue;
		}
		bool done = false;
		int rc = store_import_step(s->job, budget_ms > 0 ? budget_ms : 1000000, &done, &e);
		if (rc == AM_REFUSED) {
			note_refused(s, e.msg);
			done = true;
		} else if (rc) {
			sync_fail_store(s, rc, e.msg);
			return true;
		}
		if (done) {
			store_import_free(s->job);
			s->job = NULL;
		}
		if (budget_ms > 0)
			return !s->job && s->next_reg >= s->n_regs;
	}
	return true;
}

/* All in: the cursor moves past them, a refusal is reported. */
static void imports_done(struct sync *s)
{
	if (s->regs_cursor)
		sync_meta_set(s, "sync.cursor", s->regs_cursor);
	if (s->refused) {
		sync_meta_set(s, "sync.last_error", s->refused);
		sync_meta_time(s, "sync.last_error_at", now_ms());
	}
	imports_drop(s);
	s->phase = PH_POSTOMATS;
}

static void postomats_answer(struct sync *s)
{
	json_error_t je;
	struct am_error e;
	size_t np, nc;
	json_t *root = s->body ? json_loadb(s->body, s->body_len, 0, &je) : NULL;
	if (!root) {
		sync_fail_round(s, SYNC_FAULT_OFFLINE, _("the postomats answer was incomplete or not JSON"));
		return;
	}
	if (postomat_import_json(s->app->store, root, "GET /v1/postomats", &np, &nc, &e)) {
		sync_meta_set(s, "sync.last_error", e.msg);
		sync_meta_time(s, "sync.last_error_at", now_ms());
	}
	json_decref(root);
}

/* ---- the round --------------------------------------------------------- */

/* Downloaded registers make events of their own: upload them in the same
 * round, once, so that one `amanat sync` leaves the outbox empty. */
static void end_round(struct sync *s)
{
	size_t depth = 0, dead = 0;
	int64_t oldest;
	struct am_error e;
	store_outbox_stats(s->app->store, &depth, &oldest, &dead, &e);
	if (depth && !s->again) {
		s->again = true;
		s->phase = PH_EVENTS;
		return;
	}
	s->again = false;
	ok_round(s);
}

static void next_step(struct sync *s)
{
	char path[400], cursor[128] = "";
	for (;;) {
		switch (s->phase) {
		case PH_IDLE:
		case PH_IMPORT:	/* sync_handle imports a slice each turn */
			return;
		case PH_EVENTS:
			if (sync_upload_send(s))
				return;
			if (s->again) {	/* the second pass uploads only */
				s->again = false;
				ok_round(s);
				return;
			}
			s->phase = PH_REGISTERS;
			break;
		case PH_REGISTERS:
			s->phase = PH_POSTOMATS;
			if (!s->point[0])
				break;
			store_meta_get(s->app->store, "sync.cursor", cursor, sizeof cursor);
			{
				char *p = curl_easy_escape(s->easy, s->point, 0), *c = curl_easy_escape(s->easy, cursor, 0);
				snprintf(path, sizeof path, "/v1/registers?point=%s%s%s", p ? p : "", cursor[0] ? "&since=" : "",
					 cursor[0] && c ? c : "");
				curl_free(p);
				curl_free(c);
			}
			s->phase = PH_REGISTERS;
			sync_request(s, path, NULL);
			return;
		case PH_POSTOMATS:
			if (!s->city[0]) {
				s->phase = PH_FEED;
				break;
			}
			{
				char *c = curl_easy_escape(s->easy, s->city, 0);
				snprintf(path, sizeof path, "/v1/postomats?city=%s", c ? c : "");
				curl_free(c);
			}
			sync_request(s, path, NULL);
			return;
		case PH_FEED:	/* the point hub's feed: feed.c */
			feed_path(s->app, path, sizeof path);
			sync_request(s, path, NULL);
			return;
		}
	}
}

/* What a transport failure means for the technician: offline now (retry
 * later, quietly) or a set-up that will never work (fail loudly). */
static enum sync_fault curl_fault(CURLcode c)
{
	switch (c) {
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_URL_MALFORMAT:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_CRL_BADFILE:
	case CURLE_TOO_MANY_REDIRECTS:
		return SYNC_FAULT_UPSTREAM;
	default:
		return SYNC_FAULT_OFFLINE;
	}
}

static void finished(struct sync *s, CURLcode result)
{
	long status = 0;
	curl_easy_getinfo(s->easy, CURLINFO_RESPONSE_CODE, &status);
	curl_multi_remove_handle(s->multi, s->easy);
	s->in_flight = false;
	if (result != CURLE_OK) {
		sync_fail_round(s, curl_fault(result), "%s", curl_easy_strerror(result));
		return;
	}
	if (s->phase == PH_FEED && status == 404) {	/* a server without a feed */
		end_round(s);
		next_step(s);
		return;
	}
	if (status == 401 || status == 403) {
		sync_fail_round(s, SYNC_FAULT_TOKEN, _("the hub refused the device token (HTTP %ld): check sync.token"), status);
		return;
	}
	bool batch_4xx = s->phase == PH_EVENTS && (status == 400 || status == 422 || status == 413);
	if (status != 200 && !batch_4xx) {
		if (status == 404 || status == 405 || status == 410 || (status >= 300 && status < 400))
			sync_fail_round(s, SYNC_FAULT_UPSTREAM, _("the hub answered HTTP %ld at %s: check sync.url"), status,
				   s->ep.url);
		else
			sync_fail_round(s, SYNC_FAULT_OFFLINE, _("the hub answered HTTP %ld"), status);
		return;
	}
	switch (s->phase) {
	case PH_EVENTS:
		sync_upload_answer(s, status);
		break;
	case PH_REGISTERS:
		registers_answer(s);
		break;
	case PH_POSTOMATS:
		postomats_answer(s);
		if (s->phase == PH_POSTOMATS)
			s->phase = PH_FEED;
		break;
	case PH_IMPORT:
		break;
	case PH_FEED: {
		struct am_error e;
		bool more = false;
		int rc = feed_answer(s->app, s->body, s->body_len, &more, &e);
		if (rc && rc != AM_ENV)	/* the database failed (read-only...): its own code */
			sync_fail_store(s, rc, e.msg);
		else if (rc)		/* a bad answer: like a cut one, try again later */
			sync_fail_round(s, SYNC_FAULT_OFFLINE, "%s", e.msg);
		else if (!more)
			end_round(s);
		break;
	}
	case PH_IDLE:
		break;
	}
	next_step(s);
}

/* ---- the public face --------------------------------------------------- */

static int read_config(struct sync *s, const struct config *c, struct am_error *e)
{
	snprintf(s->point, sizeof s->point, "%s", config_get(c, "sync.point", s->app->place));
	snprintf(s->city, sizeof s->city, "%s", config_get(c, "sync.city", ""));
	s->batch = config_get_long(c, "sync.batch", 500);
	if (s->batch < 1 || s->batch > 5000)
		s->batch = 500;
	s->interval_ms = config_get_long(c, "sync.interval_s", 60) * 1000;
	s->base_ms = config_get_long(c, "sync.backoff_base_ms", 1000);
	s->max_ms = config_get_long(c, "sync.backoff_max_ms", 300000);
	if (s->base_ms < 1)
		s->base_ms = 1;
	if (s->max_ms < s->base_ms)
		s->max_ms = s->base_ms;
	(void)e;
	return 0;
}

struct sync *sync_new(struct app *a, struct am_error *e)
{
	int status;
	return sync_open(a, &status, e);
}

struct sync *sync_open(struct app *a, int *status, struct am_error *e)
{
	struct endpoint ep;
	/* the address (https), the token, the CA: as doctor checks them */
	if ((*status = endpoint_load(&ep, a->cfg, e)))
		return NULL;
	*status = AM_ENV;
	static bool global;
	if (!global) {
		curl_global_init(CURL_GLOBAL_DEFAULT);
		global = true;
	}
	struct sync *s = calloc(1, sizeof *s);
	if (!s) {
		endpoint_free(&ep);
		am_fail(e, AM_ENV, _("out of memory"));
		return NULL;
	}
	s->app = a;
	s->ep = ep;
	if ((*status = read_config(s, a->cfg, e))) {
		sync_free(s);
		return NULL;
	}
	s->cur_batch = (size_t)s->batch;
	s->sent = calloc((size_t)s->batch, sizeof *s->sent);
	s->multi = curl_multi_init();
	s->easy = curl_easy_init();
	if (!s->sent || !s->multi || !s->easy) {
		sync_free(s);
		am_fail(e, AM_ENV, _("cannot start libcurl"));
		return NULL;
	}
	curl_multi_setopt(s->multi, CURLMOPT_SOCKETFUNCTION, on_socket);
	curl_multi_setopt(s->multi, CURLMOPT_SOCKETDATA, s);
	curl_multi_setopt(s->multi, CURLMOPT_TIMERFUNCTION, on_timer);
	curl_multi_setopt(s->multi, CURLMOPT_TIMERDATA, s);
	curl_multi_setopt(s->multi, CURLMOPT_MAX_HOST_CONNECTIONS, 1L);
	CURL *c = s->easy;
	if (endpoint_apply(&s->ep, c, e)) {
		*status = AM_ENV_UPSTREAM;
		sync_free(s);
		return NULL;
	}
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, s);
	curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L);
	s->phase = PH_IDLE;
	s->isolate_to = sync_meta_int(s, "sync.isolate_to");
	s->next_try = sync_meta_int(s, "sync.not_before");	/* a first round at once, unless the hub said wait */
	return s;
}

void sync_free(struct sync *s)
{
	if (!s)
		return;
	if (s->in_flight)
		curl_multi_remove_handle(s->multi, s->easy);
	curl_easy_cleanup(s->easy);
	curl_multi_cleanup(s->multi);
	endpoint_free(&s->ep);
	free(s->sent);
	free(s->held);
	free(s->body);
	free(s->request);
	imports_drop(s);
	free(s);
}

int sync_fds(struct sync *s, struct pollfd *fds, int max)
{
	int n = 0;
	for (int i = 0; i < s->n_socks && n < max; i++) {
		fds[n].fd = s->socks[i].fd;
		fds[n].events = (short)(((s->socks[i].what & CURL_POLL_IN) ? POLLIN : 0)
					| ((s->socks[i].what & CURL_POLL_OUT) ? POLLOUT : 0));
		fds[n].revents = 0;
		n++;
	}
	return n;
}

int sync_timeout_ms(struct sync *s, int64_t now)
{
	if (s->phase == PH_IMPORT)
		return 0;	/* a slice to import: at once, after the keys and scans waiting */
	int64_t at = s->in_flight ? s->timer_at : s->next_try;
	if (s->in_flight && !at)
		return 1000;
	int64_t left = at - now;
	if (left < 0)
		return 0;
	return left > 60000 ? 60000 : (int)left;
}

void sync_handle(struct sync *s, const struct pollfd *fds, int n, int64_t now)
{
	int running;
	if (s->phase == PH_IMPORT) {
		if (imports_step(s, SYNC_SLICE_MS) && s->phase == PH_IMPORT) {
			imports_done(s);
			next_step(s);
		}
		return;
	}
	if (s->in_flight) {
		for (int i = 0; i < n; i++) {
			if (!fds[i].revents)
				continue;
			int ev = ((fds[i].revents & POLLIN) ? CURL_CSELECT_IN : 0)
				 | ((fds[i].revents & POLLOUT) ? CURL_CSELECT_OUT : 0)
				 | ((fds[i].revents & (POLLERR | POLLHUP)) ? CURL_CSELECT_ERR : 0);
			curl_multi_socket_action(s->multi, fds[i].fd, ev, &running);
		}
		if (s->timer_at && now >= s->timer_at) {
			s->timer_at = 0;
			curl_multi_socket_action(s->multi, CURL_SOCKET_TIMEOUT, 0, &running);
		}
		CURLMsg *m;
		int left;
		while ((m = curl_multi_info_read(s->multi, &left)))
			if (m->msg == CURLMSG_DONE && m->easy_handle == s->easy) {
				finished(s, m->data.result);
				break;
			}
		return;
	}
	if (s->phase == PH_IDLE && now >= s->next_try) {
		int64_t not_before = sync_meta_int(s, "sync.not_before");	/* maybe set by another process */
		if (not_before > now) {
			s->next_try = not_before;
			return;
		}
		if (s->isolate_to == 0)	/* another process may have met a poisoned batch */
			s->isolate_to = sync_meta_int(s, "sync.isolate_to");
		s->phase = PH_EVENTS;
		next_step(s);
	}
}

void sync_kick(struct sync *s)
{
	s->next_try = 0;	/* a Retry-After still running is checked at the start */
}

int sync_rounds(const struct sync *s, bool *last_ok)
{
	if (last_ok)
		*last_ok = s->last_ok;
	return s->rounds;
}

void sync_status_read(struct app *a, struct sync_status *out)
{
	struct am_error e;
	char buf[64];
	memset(out, 0, sizeof *out);
	store_outbox_stats(a->store, &out->depth, &out->oldest_ms, &out->dead, &e);
	store_meta_get(a->store, "sync.last_error", out->last_error, sizeof out->last_error);
	if (store_meta_get(a->store, "sync.last_error_at", buf, sizeof buf) == 0)
		out->last_error_ms = strtoll(buf, NULL, 10);
	if (store_meta_get(a->store, "sync.last_ok_at", buf, sizeof buf) == 0)
		out->last_ok_ms = strtoll(buf, NULL, 10);
	if (store_meta_get(a->store, "sync.not_before", buf, sizeof buf) == 0)
		out->not_before_ms = strtoll(buf, NULL, 10);
	if (store_meta_get(a->store, "sync.isolate_to", buf, sizeof buf) == 0)
		out->isolate_to = strtoll(buf, NULL, 10);
}

void sync_status(struct sync *s, struct sync_status *out)
{
	sync_status_read(s->app, out);
	out->next_try_ms = s->next_try;
	out->busy = s->in_flight;
	out->attempt = s->attempt;
	out->fault = s->fault;
	out->fault_status = s->fault_status;
	snprintf(out->error, sizeof out->error, "%s", s->error);
}

/* ---- answers without a network (tests, tests/fuzz) ----------------------- */

void sync_take_answer(struct sync *s, enum sync_answer what, long status, const char *body, size_t len)
{
	struct am_error e;
	s->body_len = 0;
	int rc;
	if (on_body((char *)body, 1, len, s) != len) {
		sync_fail_store(s, AM_ENV, _("out of memory"));
		return;
	}
	switch (what) {
	case SYNC_ANSWER_EVENTS:	/* as if the batch send_events picks were in flight */
		s->n_sent = 0;
		s->sent_max_seq = 0;
		rc = s->isolate_to > 0
		     ? store_outbox_batch_range(s->app->store, s->iso_cursor, s->isolate_to, 1, sync_upload_note, s, &e)
		     : store_outbox_batch(s->app->store, s->cur_batch, sync_upload_note, s, &e);
		if (rc)
			sync_fail_store(s, rc, e.msg);
		else if (s->n_sent)
			sync_upload_answer(s, status);
		break;
	case SYNC_ANSWER_REGISTERS:
		registers_answer(s);
		if (s->phase == PH_IMPORT && imports_step(s, 0) && s->phase == PH_IMPORT)
			imports_done(s);
		break;
	case SYNC_ANSWER_POSTOMATS:
		postomats_answer(s);
		break;
	}
}
