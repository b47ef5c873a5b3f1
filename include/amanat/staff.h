/*
 * staff.h - people who log in, their roles and shifts.
 *
 * A PIN is stored only as a crypt(3) yescrypt hash, never in clear.
 */
#ifndef AMANAT_STAFF_H
#define AMANAT_STAFF_H

#include <stdbool.h>
#include <stdint.h>
#include "amanat/error.h"
#include "amanat/store.h"

enum staff_role { ROLE_CLERK, ROLE_COURIER, ROLE_SUPERVISOR, ROLE_SORTING };

/* A name is measured in characters: up to 100 of any script, stored whole
 * (four bytes a character at most). */
#define STAFF_NAME_CHARS 100
#define STAFF_NAME_SIZE (STAFF_NAME_CHARS * 4 + 1)

struct staff {
	char badge[64];
	char name[STAFF_NAME_SIZE];
	enum staff_role role;
	bool active;
};

struct shift {
	int64_t id;
	char badge[64];
	int64_t opened_ms, closed_ms;	/* closed_ms 0: open */
};

const char *staff_role_name(enum staff_role r);
int staff_role_from_name(const char *name);	/* -1 if unknown */

int store_staff_add(struct store *s, const struct staff *st, const char *pin,
		    struct am_error *e);
int store_staff_get(struct store *s, const char *badge, struct staff *out,
		    struct am_error *e);
int store_staff_each(struct store *s, int (*cb)(const struct staff *, void *),
		     void *arg, struct am_error *e);
/* AM_OK when pin matches badge's hash, AM_REFUSED otherwise. */
/* Log in with a badge and PIN.  Five wrong PINs in a row lock the badge
 * for five minutes, recorded as a badge_locked event; a locked badge is
 * refused whatever the PIN.  AM_REFUSED with the reason; *locked_until
 * (may be NULL) gets the end of a lock, 0 when there is none. */
#define PIN_TRIES 5
#define PIN_LOCK_MS ((int64_t)5 * 60 * 1000)
int store_staff_login(struct store *s, const char *badge, const char *pin, struct staff *out,
		      int64_t *locked_until, struct am_error *e);
/* The badges locked at now_ms (for the supervisor), with their lock's end. */
int store_staff_locked_each(struct store *s, int64_t now_ms,
			    int (*cb)(const char *badge, int64_t until_ms, void *), void *arg,
			    struct am_error *e);
/* A supervisor lets a locked badge log in again before its five minutes
 * are over: the lock and the count of wrong PINs go, and a badge_unlocked
 * event names the badge, the lock's end and who unlocked it (ctx->actor).
 * AM_REFUSED when the badge is not locked now. */
int store_staff_unlock(struct store *s, const char *badge, const struct event_ctx *ctx,
		       struct am_error *e);
int store_staff_check_pin(struct store *s, const char *badge, const char *pin,
			  struct am_error *e);
/* Switch a badge off (no more log-in; its history stays) or on again. */
int store_staff_set_active(struct store *s, const char *badge, bool active, struct am_error *e);
int store_shift_open(struct store *s, const char *badge, struct shift *out,
		     struct am_error *e);
int store_shift_close(struct store *s, int64_t shift_id, struct am_error *e);
int store_shift_current(struct store *s, const char *badge, struct shift *out,
			struct am_error *e);

#endif
