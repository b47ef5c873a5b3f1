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
#include <string.h>
#include "store_internal.h"

/* ---- a small open-addressing map from a 64-bit key ------------------------
 *
 * One map for every kind of slot the replay keeps: slots of `size` bytes,
 * each starting with its uint64_t key (0: an empty slot), linear probing in
 * a power-of-two array kept at most half full.  The callers' wrappers pass
 * size as a constant, so each is compiled for its own slot type. */

struct map {
	void *v;		/* cap slots */
	size_t cap, n;
};

/* Slot i of m (slots of size bytes). */
static inline void *map_at(const struct map *m, size_t size, size_t i)
{
	return (unsigned char *)m->v + i * size;
}

static inline uint64_t map_key(const struct map *m, size_t size, size_t i)
{
	uint64_t k;
	memcpy(&k, map_at(m, size, i), sizeof k);
	return k;
}

/* Room for n slots without growing (false: out of memory). */
static inline bool map_reserve(struct map *m, size_t size, size_t n)
{
	if ((n + 1) * 2 <= m->cap)
		return true;
	size_t cap = m->cap;
	if (!cap)		/* the first array about 128 KiB (4096 of struct slot) */
		for (cap = 16; cap * 2 * size <= 131072;)
			cap *= 2;
	while ((n + 1) * 2 > cap)
		cap *= 2;
	unsigned char *v = calloc(cap, size);
	if (!v)
		return false;
	/* each page written once now: a large calloc's pages are mapped when
	 * first touched, and a slot read first maps the shared zero page,
	 * whose first write then flushes the TLB of every CPU the walk's
	 * threads run on (6% of a full verify's time).  (A memset of zeros
	 * after malloc is turned back into calloc by the compiler.) */
	for (size_t o = 0; o < cap * size; o += 4096)
		((volatile unsigned char *)v)[o] = 0;
	for (size_t i = 0; i < m->cap; i++) {
		uint64_t k = map_key(m, size, i);
		if (!k)
			continue;
		size_t j = k & (cap - 1);
		for (uint64_t o; memcpy(&o, v + j * size, sizeof o), o;)
			j = (j + 1) & (cap - 1);
		memcpy(v + j * size, map_at(m, size, i), size);
	}
	free(m->v);
	m->v = v;
	m->cap = cap;
	return true;
}

/* The slot of key (not 0): found, or added when add (its bytes after the
 * key zero, *fresh set when given); NULL when absent and not added, or out
 * of memory.  same, when given, tells whether a slot with this key is the
 * one meant (arg: what the caller is looking for), for slots whose key is
 * a hash of what they hold. */
static inline void *map_find_same(struct map *m, size_t size, uint64_t key, bool add, bool *fresh,
				  bool (*same)(const void *slot, const void *arg), const void *arg)
{
	if (fresh)
		*fresh = false;
	if (add && !map_reserve(m, size, m->n + 1))
		return NULL;
	if (!m->cap)
		return NULL;
	size_t j = key & (m->cap - 1);
	uint64_t k;
	while ((k = map_key(m, size, j)) && (k != key || (same && !same(map_at(m, size, j), arg))))
		j = (j + 1) & (m->cap - 1);
	void *v = map_at(m, size, j);
	if (k)
		return v;
	if (!add)
		return NULL;
	memcpy(v, &key, sizeof key);
	m->n++;
	if (fresh)
		*fresh = true;
	return v;
}

static inline void *map_find(struct map *m, size_t size, uint64_t key, bool add, bool *fresh)
{
	return map_find_same(m, size, key, add, fresh, NULL, NULL);
}

/* Where key's probe starts, for __builtin_prefetch before a map_find. */
static inline const void *map_home(const struct map *m, size_t size, uint64_t key)
{
	return m->cap ? map_at(m, size, key & (m->cap - 1)) : NULL;
}

/* The replay's own slots: an envelope's state and cell, or a scan's result. */
struct slot {
	uint64_t key;		/* 0: empty */
	uint64_t cell;		/* hash of the cell ("" = 0) */
	uint8_t state;		/* envelope state, or scan result (1 matched, 2 unexpected, 3 damaged) */
	uint8_t seen;
};

static inline struct slot *map_get(struct map *m, uint64_t key, bool add)
{
	return map_find(m, sizeof(struct slot), key, add, NULL);
}

static inline struct slot *map_slot(const struct map *m, size_t i)
{
	return map_at(m, sizeof(struct slot), i);
}

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

/* ---- the replay ------------------------------------------------------------ */

/* Each person's work in each shift (schema 11, shift_work), replayed. */
#define WORK_ACTOR 64		/* an actor's bytes kept, with its '\0' */
struct work {
	uint64_t key;		/* 0: empty; a hash of shift and actor */
	int64_t shift;
	char actor[WORK_ACTOR];
	size_t n[5];		/* total, accepted, handed, placed, returned */
	bool seen;
};

/* A record the log vouches for (verify_record.c): a deadline_missed or
 * deadline_closed_late event's clock (who: the waybill, or the register for
 * its own clocks; what: the clock; closed_ms 0 for a miss), or an act_drawn
 * event's act (who: its id; what: its kind; sha: its body's SHA-256). */
struct vfy_record {
	int64_t seq, started_ms, closed_ms;
	char who[96];
	char what[32];
	char sha[65];
	bool of_register, is_act;
};

struct replay {
	struct map env, scan;	/* of struct slot */
	struct map work;	/* of struct work */
	struct vfy_record *record;	/* in the log's order (verify_record.c) */
	size_t n_record, cap_record;
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
/* The value of "key":"..." in one of our compact payloads (key with its
 * quotes, colon and opening quote): where it starts and its length, NULL
 * when absent; and hashed (0 when absent or empty). */
const char *vfy_payload_span(const char *payload, const char *key, size_t *len);
uint64_t vfy_payload_field(const char *payload, const char *key);
void vfy_replay_free(struct replay *r);
/* verify_record.c: the records met (false: out of memory), a range's
 * appended to the whole replay's, and each one's row as its event says. */
bool vfy_replay_record(struct replay *r, int type, const char *waybill, size_t wlen, const char *reg,
		       size_t rlen, const char *payload, int64_t seq);
bool vfy_records_fold(struct replay *all, const struct replay *part);
int vfy_records_check(struct store *s, const struct replay *r, struct am_error *e);
void vfy_records_free(struct replay *r);

/* verify_derived.c: what the derived tables hold, read in the check's read
 * transaction (while the log is still walked), and those tables against the
 * whole replay; vfy_differs: the error naming a derived table that differs. */
struct vfy_digest {
	uint64_t a, b;		/* two sums of a mix of each row */
	size_t n;		/* rows */
};
struct vfy_derived {
	bool read;		/* vfy_derived_read done */
	bool fed;		/* the point hub's feed changed envelopes: compared row by row */
	bool odd_state;		/* a state no envelope can be in: envelope_count compared by SQL */
	struct vfy_digest env, scan;
	size_t marks;		/* matched scans marked on envelope rows (schema 27) */
	size_t count[ST__COUNT];	/* envelopes by state (a register being imported: not yet) */
	int64_t kept[ST__COUNT];	/* envelope_count */
	bool kept_seen[ST__COUNT];
};
int vfy_derived_read(struct store *s, struct vfy_derived *d, struct am_error *e);
int vfy_derived_check(struct store *s, struct replay *r, struct vfy_derived *d, struct am_error *e);
int vfy_differs(struct am_error *e, const char *table, const char *what, const char *detail);
/* The anchor the quick check starts from: the newest event verified and its hash. */
void vfy_anchor_save(struct store *s, int64_t seq, const char *hash);

/* verify_full.c: the full check with ranges of range_events events walked by
 * up to threads threads (0, 0: as many as there are CPUs, ranges sized for
 * them); store_verify is this with 0, 0.  For tests. */
int vfy_full(struct store *s, int64_t range_events, int threads, size_t *n_checked, struct am_error *e);

#endif
