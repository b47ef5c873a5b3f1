/*
 * endpoint.h - where and how this terminal talks to the hub: the https://
 * address, the device token (from sync.token_file or sync.token), the CA
 * and the public-key pin.  `amanat sync`, the UI's sync and `amanat doctor`
 * all set up their requests here, so doctor checks exactly what sync uses.
 */
#ifndef AMANAT_ENDPOINT_H
#define AMANAT_ENDPOINT_H

#include <curl/curl.h>
#include "amanat/config.h"
#include "amanat/error.h"

struct endpoint {
	char url[512];			/* without a trailing '/' */
	char token[512];
	char token_file[512];		/* "" when the token is in the config */
	char pin[256], cainfo[512];
	long connect_ms, timeout_ms;
	struct curl_slist *headers;	/* Authorization, Content-Type */
};

/*
 * Read sync.url and the token: set-up errors, never "offline".
 * AM_ENV_UPSTREAM: sync.url unset or not https://, the CA file unreadable;
 * AM_ENV_TOKEN: a token file that cannot be read (naming the file and why),
 * or no token at all.
 */
int endpoint_load(struct endpoint *ep, const struct config *c, struct am_error *e);
/* Set TLS verification, CA, pin, timeouts and the headers on a handle. */
int endpoint_apply(struct endpoint *ep, CURL *easy, struct am_error *e);
void endpoint_free(struct endpoint *ep);

/* What one authenticated request to the hub showed. */
enum probe_result {
	PROBE_OK,		/* HTTP 200 */
	PROBE_UNREACHABLE,	/* no connection: network, DNS, port */
	PROBE_TLS,		/* certificate not trusted, wrong pin */
	PROBE_NOT_FOUND,	/* HTTP 404: the address is not the hub's */
	PROBE_TOKEN,		/* HTTP 401/403: the token is refused */
	PROBE_HTTP,		/* any other answer */
};

/* GET the postomat list once, as sync does; *status is the HTTP status. */
enum probe_result endpoint_probe(struct endpoint *ep, long *status, char *why, size_t len);

#endif
