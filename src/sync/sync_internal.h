/*
 * sync_internal.h - what the files of src/sync share, and nothing outside
 * src/sync may include: the client's state and the few steps that one file
 * hands to another (client.c: transport, rounds, downloads; upload.c: the
 * outbox batches, their isolation and the answers to them).
 */
#ifndef AMANAT_SYNC_INTERNAL_H
#define AMANAT_SYNC_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <curl/curl.h>
#include "amanat/endpoint.h"
#include "amanat/sync.h"

enum phase { PH_IDLE, PH_EVENTS, PH_REGISTERS, PH_IMPORT /* the registers downloaded, a slice at a time */,
	     PH_POSTOMATS, PH_FEED /* src/sync/feed.c */ };

#define MAX_SOCKS 8

struct sync {
	struct app *app;
	CURLM *multi;
	CURL *easy;
	struct endpoint ep;		/* url, token, CA, pin: shared with doctor (endpoint.h) */
	struct { curl_socket_t fd; int what; } socks[MAX_SOCKS];
	int n_socks;
	int64_t timer_at;		/* curl's timer, 0: none */

	char point[64], city[128];
	long batch, interval_ms, base_ms, max_ms;

	enum phase phase;
	bool in_flight;
	int64_t next_try;
	int attempt;
	size_t cur_batch;		/* sync.batch, halved by each 413 */
	int64_t isolate_to;		/* > 0: events up to this seq go one at a time */
	int64_t iso_cursor;		/* the last seq sent alone */
	bool iso_accepted;		/* the hub took one of the isolated events */
	struct held { char uuid[37]; char answer[200]; } *held;	/* refused alone, not yet dead */
	size_t n_held;
	char (*sent)[37];		/* uuids of the batch in flight */
	int64_t sent_max_seq;
	size_t n_sent;
	enum sync_fault fault;		/* of the last failed round of this process */
	int fault_status;		/* the am_status it maps to */
	char error[256];		/* the reason of that failure */
	char *body;			/* the answer being read */
	size_t body_len, body_cap;
	char *request;			/* the body being sent */
	int rounds;
	bool last_ok;
	bool again;			/* the downloads made events: upload them too */
	/* PH_IMPORT: the registers the hub sent, imported one slice per call of
	 * sync_handle so that a scan between slices is not kept waiting; the
	 * cursor is kept only once all of them are in. */
	struct reg *regs;
	size_t n_regs, next_reg;
	struct store_import *job;	/* the register being imported */
	char *regs_cursor;
	char *refused;			/* the first register refused, reported at the end */
};

/* client.c */
void sync_meta_set(struct sync *s, const char *key, const char *value);
void sync_meta_time(struct sync *s, const char *key, int64_t ms);
int64_t sync_meta_int(struct sync *s, const char *key);
/* End the round as failed: backoff, Retry-After kept, the reason recorded. */
void sync_fail_round(struct sync *s, enum sync_fault kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Start a request: GET path, or POST post when not NULL. */
void sync_request(struct sync *s, const char *path, const char *post);

/* upload.c */
/* A database failure: the round fails with the store's own status. */
void sync_fail_store(struct sync *s, int status, const char *msg);
/* Forget the events held in this pass of an isolation (a failed round). */
void sync_upload_forget(struct sync *s);
/* Send the next batch (or the next single event of an isolation); false
 * when the outbox holds nothing more to send. */
bool sync_upload_send(struct sync *s);
/* Mark what the answer (status, s->body) to the batch in flight names. */
void sync_upload_answer(struct sync *s, long status);
/* An event_row callback noting the event as in flight (tests, fuzzing). */
int sync_upload_note(const struct event_row *r, void *arg);

#endif
