/*
 * point.c - the whole point from the hub: GET /v1/point/summary (docs/hub.md),
 * fetched once, blocking, with a short time-out, for the supervisor's views
 * (`amanat point`, and the shift screen can call it too).  When the hub does
 * not answer, the caller falls back to this terminal's own database and says
 * so: the answer never pretends to be the point when it is one terminal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <curl/curl.h>
#include <jansson.h>
#include "amanat/feed.h"
#include "amanat/i18n.h"

struct body {
	char *text;
	size_t len;
};

static size_t on_body(char *p, size_t size, size_t n, void *arg)
{
	struct body *b = arg;
	size_t len = size * n;
	if (b->len + len > (8u << 20))
		return 0;
	char *t = realloc(b->text, b->len + len + 1);
	if (!t)
		return 0;
	memcpy(t + b->len, p, len);
	b->text = t;
	b->len += len;
	t[b->len] = '\0';
	return len;
}

/* The device token as the sync client reads it (sync.token or sync.token_file). */
static void read_token(struct app *a, char *tok, size_t len)
{
	snprintf(tok, len, "%s", config_get(a->cfg, "sync.token", ""));
	const char *tf = config_get(a->cfg, "sync.token_file", NULL);
	if (tf) {
		struct am_error e;
		char *t = app_read_file(tf, NULL, &e);
		if (t) {
			t[strcspn(t, "\r\n")] = '\0';
			snprintf(tok, len, "%s", t);
			free(t);
		}
	}
}

int point_summary_fetch(struct app *a, long timeout_ms, json_t **out, struct am_error *e)
{
	const char *url = config_get(a->cfg, "sync.url", NULL);
	*out = NULL;
	if (!url || strncmp(url, "https://", 8))
		return am_fail(e, AM_ENV, "%s", _("no hub configured (sync.url)"));
	char full[1100], tok[512], auth[600];
	snprintf(full, sizeof full, "%s", url);
	size_t l = strlen(full);
	while (l && full[l - 1] == '/')
		full[--l] = '\0';
	snprintf(full + l, sizeof full - l, "/v1/point/summary");
	read_token(a, tok, sizeof tok);
	snprintf(auth, sizeof auth, "Authorization: Bearer %s", tok);
	CURL *c = curl_easy_init();
	if (!c)
		return am_fail(e, AM_ENV, "%s", _("cannot start libcurl"));
	struct curl_slist *h = curl_slist_append(NULL, auth);
	struct body b = { NULL, 0 };
	curl_easy_setopt(c, CURLOPT_URL, full);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https");
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
	const char *cainfo = config_get(a->cfg, "sync.cainfo", NULL), *pin = config_get(a->cfg, "sync.pin", NULL);
	if (cainfo && *cainfo)
		curl_easy_setopt(c, CURLOPT_CAINFO, cainfo);
	if (pin && *pin)
		curl_easy_setopt(c, CURLOPT_PINNEDPUBLICKEY, pin);
	CURLcode rc = curl_easy_perform(c);
	long status = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	json_error_t je;
	json_t *doc = rc == CURLE_OK && status == 200 && b.text ? json_loadb(b.text, b.len, 0, &je) : NULL;
	free(b.text);
	if (rc != CURLE_OK)
		return am_fail(e, AM_ENV, "%s", curl_easy_strerror(rc));
	if (!json_is_object(doc) || !json_is_object(json_object_get(doc, "states"))) {
		json_decref(doc);
		return am_fail(e, AM_ENV, _("the hub answered HTTP %ld"), status);
	}
	*out = doc;
	return 0;
}
