/*
 * endpoint.c - the hub's address, the device token, the CA and the pin,
 * read once and applied to every libcurl handle that talks to the hub (the
 * sync client's and doctor's probe), so that a check cannot pass where
 * sync would fail or the other way round.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "amanat/endpoint.h"
#include "amanat/i18n.h"

static int read_token_file(struct endpoint *ep, const char *path, struct am_error *e)
{
	char buf[sizeof ep->token + 2];
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		if (errno == EACCES)
			return am_fail(e, AM_ENV_TOKEN, _("cannot read the token file %s: permission denied (it is for the sync service's group amanat-sync; run amanat sync as that service, or as root)"), path);
		return am_fail(e, AM_ENV_TOKEN, _("cannot read the token file %s: %s (check sync.token_file)"), path, strerror(errno));
	}
	struct stat st;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return am_fail(e, AM_ENV_TOKEN, _("the token file %s is not a file (check sync.token_file)"), path);
	}
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n < 0)
		return am_fail(e, AM_ENV_TOKEN, _("cannot read the token file %s: %s"), path, strerror(errno));
	buf[n] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	if (strlen(buf) >= sizeof ep->token)
		return am_fail(e, AM_ENV_TOKEN, _("the token in %s is too long"), path);
	snprintf(ep->token, sizeof ep->token, "%s", buf);
	return 0;
}

int endpoint_load(struct endpoint *ep, const struct config *c, struct am_error *e)
{
	memset(ep, 0, sizeof *ep);
	const char *url = config_get(c, "sync.url", NULL);
	if (!url || !*url)
		return am_fail(e, AM_ENV_UPSTREAM, _("no upstream configured: set sync.url (and sync.token_file) in the config"));
	if (strncmp(url, "https://", 8))
		return am_fail(e, AM_ENV_UPSTREAM, _("sync.url = %s: only https:// is accepted (the token and the events must not travel in clear)"), url);
	snprintf(ep->url, sizeof ep->url, "%s", url);
	size_t l = strlen(ep->url);
	while (l && ep->url[l - 1] == '/')
		ep->url[--l] = '\0';
	const char *tf = config_get(c, "sync.token_file", NULL);
	int rc;
	if (tf && *tf) {
		snprintf(ep->token_file, sizeof ep->token_file, "%s", tf);
		if ((rc = read_token_file(ep, tf, e)))
			return rc;
	} else {
		snprintf(ep->token, sizeof ep->token, "%s", config_get(c, "sync.token", ""));
	}
	if (!ep->token[0])
		return am_fail(e, AM_ENV_TOKEN, tf && *tf ? _("the token file %s is empty: put this device's token in it")
			       : _("no device token: set sync.token_file%s"), tf && *tf ? tf : "");
	snprintf(ep->pin, sizeof ep->pin, "%s", config_get(c, "sync.pin", ""));
	snprintf(ep->cainfo, sizeof ep->cainfo, "%s", config_get(c, "sync.cainfo", ""));
	ep->connect_ms = config_get_long(c, "sync.connect_timeout_ms", 5000);
	ep->timeout_ms = config_get_long(c, "sync.timeout_ms", 30000);
	if (ep->cainfo[0] && access(ep->cainfo, R_OK))
		return am_fail(e, AM_ENV_UPSTREAM, _("cannot read the CA file %s: %s (check sync.cainfo)"), ep->cainfo, strerror(errno));
	char auth[600];
	snprintf(auth, sizeof auth, "Authorization: Bearer %s", ep->token);
	struct curl_slist *h = curl_slist_append(NULL, auth);
	struct curl_slist *h2 = h ? curl_slist_append(h, "Content-Type: application/json") : NULL;
	struct curl_slist *h3 = h2 ? curl_slist_append(h2, "Expect:") : NULL;
	explicit_bzero(auth, sizeof auth);
	if (!h3) {
		curl_slist_free_all(h2 ? h2 : h);
		return am_fail(e, AM_ENV, _("out of memory"));
	}
	ep->headers = h3;
	return 0;
}

int endpoint_apply(struct endpoint *ep, CURL *c, struct am_error *e)
{
	CURLcode rc = CURLE_OK;
	/* https only, also after a redirect */
	if (!rc) rc = curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https");
	if (!rc) rc = curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "https");
	if (!rc) rc = curl_easy_setopt(c, CURLOPT_HTTPHEADER, ep->headers);
	if (!rc) rc = curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	if (!rc) rc = curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	if (!rc) rc = curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	if (!rc) rc = curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, ep->connect_ms);
	if (!rc) rc = curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, ep->timeout_ms);
	if (!rc) rc = curl_easy_setopt(c, CURLOPT_USERAGENT, "amanat/" AMANAT_VERSION);
	if (!rc && ep->pin[0])
		rc = curl_easy_setopt(c, CURLOPT_PINNEDPUBLICKEY, ep->pin);
	if (!rc && ep->cainfo[0])
		rc = curl_easy_setopt(c, CURLOPT_CAINFO, ep->cainfo);
	if (rc)
		return am_fail(e, AM_ENV, _("libcurl refused a setting: %s"), curl_easy_strerror(rc));
	return 0;
}

void endpoint_free(struct endpoint *ep)
{
	curl_slist_free_all(ep->headers);
	explicit_bzero(ep->token, sizeof ep->token);
	ep->headers = NULL;
}

static size_t discard(char *p, size_t size, size_t n, void *arg)
{
	(void)p;
	(void)arg;
	return size * n;
}

enum probe_result endpoint_probe(struct endpoint *ep, long *status, char *why, size_t len)
{
	struct am_error e;
	char full[700];
	CURL *c = curl_easy_init();
	*status = 0;
	if (!c) {
		snprintf(why, len, "%s", _("cannot start libcurl"));
		return PROBE_UNREACHABLE;
	}
	snprintf(full, sizeof full, "%s/v1/postomats?city=", ep->url);
	if (endpoint_apply(ep, c, &e)) {
		curl_easy_cleanup(c);
		snprintf(why, len, "%s", e.msg);
		return PROBE_UNREACHABLE;
	}
	curl_easy_setopt(c, CURLOPT_URL, full);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	CURLcode rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
	curl_easy_cleanup(c);
	snprintf(why, len, "%s", rc == CURLE_OK ? "" : curl_easy_strerror(rc));
	switch (rc) {
	case CURLE_OK:
		break;
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_CERTPROBLEM:
		return PROBE_TLS;
	default:
		return PROBE_UNREACHABLE;
	}
	if (*status == 200)
		return PROBE_OK;
	if (*status == 401 || *status == 403)
		return PROBE_TOKEN;
	if (*status == 404)
		return PROBE_NOT_FOUND;
	return PROBE_HTTP;
}
