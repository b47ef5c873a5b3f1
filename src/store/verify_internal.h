/*
 * verify_internal.h - what verify.c (the quick check, the derived tables)
 * and verify_full.c (the full check, ranges of the log at once) share:
 * the replay of the log and the small maps it is kept in.
 */
#ifndef AMANAT_VERIFY_INTERNAL_H
#define AMANAT_VERIFY_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include "store_internal.h"

/* ---- a small open-addressing map from a 64-bit key ------------------------ */

struct slot {
	uint64_t key;		/* 0: empty */
	uint64_t cell;		/* hash of the cell ("" = 0) */
	uint8_t state;		/* envelope state, or scan result (1 matched, 2 unexpected, 3 damaged) */
	uint8_t seen;
};

struct map {
	struct slot *v;
	size_t cap, n;
};

static inline uint64_t fnv(const char *a, size_t alen, const char *b, size_t blen)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < alen; i++)
		h = (h ^ (unsigned char)a[i]) * 1099511628211ULL;
	h = (h ^ 0x1f) * 1099511628211ULL;
	for (size_t i = 0; i < blen; i++)
		h = (h ^ (unsigned char)b[i]) * 1099511628211ULL;
	return h ? h : 1;
}

static inline struct slot *map_get(struct map *m, uint64_t key, bool add)
{
	if (add && (m->n + 1) * 2 > m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 4096;
		struct slot *v = calloc(cap, sizeof *v);
		if (!v)
			return NULL;
		for (size_t i = 0; i < m->cap; i++) {
			if (!m->v[i].key)
				continue;
			size_t j = m->v[i].key & (cap - 1);
			while (v[j].key)
				j = (j + 1) & (cap - 1);
			v[j] = m->v[i];
		}
		free(m->v);
		m->v = v;
		m->cap = cap;
	}
	if (!m->cap)
		return NULL;
	size_t j = key & (m->cap - 1);
	while (m->v[j].key && m->v[j].key != key)
		j = (j + 1) & (m->cap - 1);
	if (m->v[j].key)
		return &m->v[j];
	if (!add)
		return NULL;
	m->v[j].key = key;
	m->n++;
	return &m->v[j];
}

/* ---- the replay ------------------------------------------------------------ */

/* Each person's work in each shift (schema 11, shift_work), replayed. */
struct work {
	uint64_t key;		/* 0: empty */
	int64_t shift;
	char actor[64];
	size_t n[5];		/* total, accepted, handed, placed, returned */
	bool seen;
};

struct replay {
	struct map env, scan;
	struct work *work;
	size_t work_cap, work_n;
	int64_t shift;		/* closed shifts so far + 1 (a range's own: so far, from 0) */
	bool nomem;
	bool no_work;		/* the quick check: shift_work is the full check's */
};

/* An event type from its name in the log (-1: none).  Its table is built
 * on the first call: make that call before starting threads. */
int vfy_type_of(const char *t, size_t len);
struct work *vfy_work_get(struct replay *r, int64_t shift, const char *actor, size_t alen, bool add);
/* One event into the shift's work (r->shift: the shift it is in). */
void vfy_replay_work(struct replay *r, int type, size_t wlen, const char *actor, size_t alen,
		     const char *payload);
/* One event into the scans (false: out of memory). */
bool vfy_replay_scan(struct replay *r, int type, const char *waybill, size_t wlen, const char *reg, size_t rlen);
/* The value of "key":"..." in one of our compact payloads, hashed (0 when absent). */
uint64_t vfy_payload_field(const char *payload, const char *key);
void vfy_replay_free(struct replay *r);

/* envelope, envelope_count, register_scan and shift_work against a full replay. */
int vfy_check_derived(struct store *s, struct replay *r, struct am_error *e);
/* The anchor the quick check starts from: the newest event verified and its hash. */
void vfy_anchor_save(struct store *s, int64_t seq, const char *hash);

/* verify_full.c: the full check with ranges of range_events events walked by
 * up to threads threads (0, 0: as many as there are CPUs, ranges sized for
 * them); store_verify is this with 0, 0.  For tests. */
int vfy_full(struct store *s, int64_t range_events, int threads, size_t *n_checked, struct am_error *e);

#endif
