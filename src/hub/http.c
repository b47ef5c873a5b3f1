/*
 * http.c - the hub's HTTP(S) face on libmicrohttpd: a pool of threads, each
 * with its own PostgreSQL connection, routing a handful of paths.
 *
 *   POST /v1/events         ingest.c      (device token)
 *   GET  /v1/feed?since=N   feed.c        (device token)
 *   GET  /v1/registers      docs.c        (device token; its own point only)
 *   GET  /v1/postomats      docs.c        (device token)
 *   GET  /v1/point/summary  summary.c     (device token)
 *   GET  /healthz           200 when PostgreSQL answers, else 503
 *   GET  /metrics           Prometheus text (metrics.c)
 *
 * TLS is libmicrohttpd's (GnuTLS) when --tls-cert/--tls-key are given.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <microhttpd.h>
#include "hub.h"

#define MAX_BODY (32u << 20)

struct upload {
	char *buf;
	size_t len, cap;
	bool too_big;
};

atomic_ullong hub_requests, hub_ingested_batches;

static enum MHD_Result answer(struct MHD_Connection *con, int status, char *body, const char *type)
{
	if (!body) {
		status = 503;
		body = strdup("{\"error\":\"out of memory\"}");
		if (!body)
			return MHD_NO;
	}
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(body), body, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(r, "Content-Type", type ? type : "application/json");
	if (status == 503)
		MHD_add_response_header(r, "Retry-After", "2");
	enum MHD_Result ok = MHD_queue_response(con, (unsigned)status, r);
	MHD_destroy_response(r);
	return ok;
}

static bool append(struct upload *u, const char *data, size_t n)
{
	if (u->too_big || u->len + n + 1 > MAX_BODY) {
		u->too_big = true;
		return true;
	}
	if (u->len + n + 1 > u->cap) {
		size_t cap = u->cap ? u->cap : 65536;
		while (cap < u->len + n + 1)
			cap *= 2;
		char *b = realloc(u->buf, cap);
		if (!b)
			return false;
		u->buf = b;
		u->cap = cap;
	}
	memcpy(u->buf + u->len, data, n);
	u->len += n;
	u->buf[u->len] = '\0';
	return true;
}

/* The device behind the bearer token: 0, or the HTTP status with *body. */
static int authenticate(struct MHD_Connection *con, PGconn *c, struct hub_device *d, char **body)
{
	const char *auth = MHD_lookup_connection_value(con, MHD_HEADER_KIND, "Authorization");
	struct am_error e = { "" };
	if (!auth || strncmp(auth, "Bearer ", 7) || !auth[7]) {
		*body = hub_json_error("a device token is needed (Authorization: Bearer)");
		return 401;
	}
	int rc = hub_device_auth(c, auth + 7, d, &e);
	if (rc == AM_REFUSED) {
		hub_log("warn", "token_refused", "%s", "");
		*body = hub_json_error("unknown or revoked device token");
		return 401;
	}
	if (rc) {
		*body = hub_json_error(e.msg);
		return 503;
	}
	return 0;
}

enum path { P_EVENTS, P_FEED, P_SUMMARY, P_REGISTERS, P_POSTOMATS, P_NONE };

/* A device's request on connection c: the HTTP status, *body its answer. */
static int device_request(struct MHD_Connection *con, PGconn *c, enum path p, struct upload *u, char **body)
{
	struct hub_device d;
	int st = authenticate(con, c, &d, body);
	if (st)
		return st;
	switch (p) {
	case P_EVENTS:
		if (u->too_big) {
			*body = hub_json_error("the batch is too large: send fewer events");
			return 413;
		}
		st = hub_ingest(c, &d, u->buf ? u->buf : "", u->len, body);
		if (st == 200)
			atomic_fetch_add(&hub_ingested_batches, 1);
		return st;
	case P_FEED:
		return hub_feed(c, &d, MHD_lookup_connection_value(con, MHD_GET_ARGUMENT_KIND, "since"), body);
	case P_REGISTERS:
		return hub_registers(c, &d, MHD_lookup_connection_value(con, MHD_GET_ARGUMENT_KIND, "point"),
				     MHD_lookup_connection_value(con, MHD_GET_ARGUMENT_KIND, "since"), body);
	case P_POSTOMATS:
		return hub_postomats(c, MHD_lookup_connection_value(con, MHD_GET_ARGUMENT_KIND, "city"), body);
	case P_SUMMARY:
		return hub_summary(c, &d, body);
	case P_NONE:
		break;
	}
	*body = hub_json_error("no such path");
	return 404;
}

static enum MHD_Result route(struct MHD_Connection *con, const char *url, const char *method,
			     struct upload *u)
{
	struct am_error e = { "" };
	bool get = !strcmp(method, "GET"), post = !strcmp(method, "POST");
	atomic_fetch_add(&hub_requests, 1);
	PGconn *c = hub_pg(&e);
	if (!strcmp(url, "/healthz")) {
		PGresult *r = c ? PQexec(c, "SELECT 1") : NULL;
		bool ok = r && PQresultStatus(r) == PGRES_TUPLES_OK;
		PQclear(r);
		if (!ok)
			hub_pg_close();
		return answer(con, ok ? 200 : 503, strdup(ok ? "{\"status\":\"ok\"}\n"
						    : "{\"status\":\"database unreachable\"}\n"), NULL);
	}
	if (!c)
		return answer(con, 503, hub_json_error(e.msg), NULL);
	if (!strcmp(url, "/metrics") && get) {
		char *body = NULL;
		int st = hub_metrics(c, &body);
		return answer(con, st, body, "text/plain; version=0.0.4");
	}
	static const char *const paths[] = { "/v1/events", "/v1/feed", "/v1/point/summary", "/v1/registers",
					     "/v1/postomats" };
	enum path p = P_NONE;
	for (size_t i = 0; i < sizeof paths / sizeof *paths; i++)
		if (!strcmp(url, paths[i]))
			p = (enum path)i;
	if (p == P_NONE)
		return answer(con, 404, hub_json_error("no such path"), NULL);
	if ((p == P_EVENTS && !post) || (p != P_EVENTS && !get))
		return answer(con, 405, hub_json_error("method not allowed here"), NULL);
	char *body = NULL;
	int st = device_request(con, c, p, u, &body);
	if (st == 503 && PQstatus(c) != CONNECTION_OK) {
		/* PostgreSQL restarted since this thread's last request: the
		 * transaction did not happen; once more on a fresh connection */
		free(body);
		body = NULL;
		hub_pg_close();
		c = hub_pg(&e);
		st = c ? device_request(con, c, p, u, &body) : 503;
		if (!c)
			body = hub_json_error(e.msg);
	}
	return answer(con, st, body, NULL);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *con, const char *url,
				  const char *method, const char *version, const char *data,
				  size_t *size, void **ctx)
{
	(void)cls;
	(void)version;
	struct upload *u = *ctx;
	if (!u) {
		u = calloc(1, sizeof *u);
		if (!u)
			return MHD_NO;
		*ctx = u;
		/* answered on the next call, even a GET: a response queued
		 * while MHD is still reading the request closes the connection
		 * (every feed page was a new TLS handshake) */
		return MHD_YES;
	}
	if (*size) {
		if (!append(u, data, *size))
			return MHD_NO;
		*size = 0;
		return MHD_YES;
	}
	return route(con, url, method, u);
}

static void on_done(void *cls, struct MHD_Connection *con, void **ctx, enum MHD_RequestTerminationCode why)
{
	(void)cls;
	(void)con;
	(void)why;
	struct upload *u = *ctx;
	if (u) {
		free(u->buf);
		free(u);
	}
	*ctx = NULL;
}

static int parse_listen(const char *s, struct sockaddr_in *sa, struct am_error *e)
{
	const char *colon = strrchr(s, ':');
	char host[64];
	memset(sa, 0, sizeof *sa);
	sa->sin_family = AF_INET;
	if (!colon || (size_t)(colon - s) >= sizeof host)
		return am_fail(e, AM_USAGE, "--listen takes ADDRESS:PORT, e.g. 127.0.0.1:8443");
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = '\0';
	char *end;
	long port = strtol(colon + 1, &end, 10);
	if (*end || port < 0 || port > 65535 || inet_pton(AF_INET, host, &sa->sin_addr) != 1)
		return am_fail(e, AM_USAGE, "--listen takes ADDRESS:PORT, e.g. 127.0.0.1:8443");
	sa->sin_port = htons((uint16_t)port);
	return 0;
}

static int write_port(struct MHD_Daemon *d, struct am_error *e)
{
	const union MHD_DaemonInfo *i = MHD_get_daemon_info(d, MHD_DAEMON_INFO_LISTEN_FD);
	struct sockaddr_in sa = { 0 };
	socklen_t len = sizeof sa;
	if (!i || getsockname(i->listen_fd, (struct sockaddr *)&sa, &len))
		return am_fail(e, AM_ENV, "cannot read the bound port");
	hub_log("info", "listening", "\"port\":%d,\"tls\":%s", ntohs(sa.sin_port),
		hub_conf.tls_cert ? "true" : "false");
	if (!hub_conf.port_file)
		return 0;
	char tmp[4200];
	snprintf(tmp, sizeof tmp, "%s.tmp", hub_conf.port_file);
	FILE *f = fopen(tmp, "w");
	if (!f || fprintf(f, "%d\n", ntohs(sa.sin_port)) < 0 || fclose(f) || rename(tmp, hub_conf.port_file))
		return am_fail(e, AM_ENV, "cannot write %s", hub_conf.port_file);
	return 0;
}

int hub_serve(struct am_error *e)
{
	struct sockaddr_in sa;
	if (parse_listen(hub_conf.listen ? hub_conf.listen : "127.0.0.1:8443", &sa, e))
		return AM_USAGE;
	char *cert = NULL, *key = NULL;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;
	if (hub_conf.tls_cert || hub_conf.tls_key) {
		if (!hub_conf.tls_cert || !hub_conf.tls_key)
			return am_fail(e, AM_USAGE, "TLS needs both --tls-cert and --tls-key");
		if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES)
			return am_fail(e, AM_ENV, "this libmicrohttpd has no TLS: put a reverse proxy in front (docs/hub.md)");
		cert = hub_read_file(hub_conf.tls_cert, NULL, e);
		key = cert ? hub_read_file(hub_conf.tls_key, NULL, e) : NULL;
		if (!cert || !key) {
			free(cert);
			return AM_ENV;
		}
		flags |= MHD_USE_TLS;
	}
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);	/* the pool threads inherit it */
	signal(SIGPIPE, SIG_IGN);
	struct MHD_Daemon *d = cert
		? MHD_start_daemon(flags, 0, NULL, NULL, on_request, NULL,
				   MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
				   MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(hub_conf.threads > 0 ? hub_conf.threads : 4),
				   MHD_OPTION_NOTIFY_COMPLETED, on_done, NULL,
				   MHD_OPTION_CONNECTION_TIMEOUT, 60u,
				   MHD_OPTION_HTTPS_MEM_CERT, cert, MHD_OPTION_HTTPS_MEM_KEY, key, MHD_OPTION_END)
		: MHD_start_daemon(flags, 0, NULL, NULL, on_request, NULL,
				   MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
				   MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(hub_conf.threads > 0 ? hub_conf.threads : 4),
				   MHD_OPTION_NOTIFY_COMPLETED, on_done, NULL,
				   MHD_OPTION_CONNECTION_TIMEOUT, 60u, MHD_OPTION_END);
	if (!d) {
		free(cert);
		free(key);
		return am_fail(e, AM_ENV, "cannot listen on %s: %s", hub_conf.listen, strerror(errno));
	}
	int rc = write_port(d, e);
	if (!rc && hub_conf.upstream && hub_upstream_start())
		rc = am_fail(e, AM_ENV, "cannot start the upstream relay (is --upstream-token-file readable?)");
	if (!rc) {
		int sig;
		sigwait(&set, &sig);
		hub_log("info", "stopping", "\"signal\":%d", sig);
	}
	hub_upstream_stop();
	MHD_stop_daemon(d);
	hub_pg_close_all();
	free(cert);
	free(key);
	return rc;
}
