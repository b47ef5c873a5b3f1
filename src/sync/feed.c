/*
 * feed.c - reading the point hub's feed (GET /v1/feed?since=CURSOR, see
 * docs/hub.md): the items are parsed here, checked at the edge (strings of
 * sane length, a UUID, a cursor), and handed to the store in one
 * transaction per page, which applies them through the life-cycle table and
 * keeps the cursor with them, so a cut connection resumes where the last
 * whole page ended.  A postomat's cells and reservations ("postomat" items)
 * are imported here, checked as GET /v1/postomats is; a working-day
 * calendar ("calendar") is taken into use as soon as it is kept, and every
 * open deadline not yet breached is reckoned again by it (store_clocks_recalendar).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "amanat/feed.h"
#include "amanat/i18n.h"
#include "amanat/postomat_json.h"
#include "amanat/store.h"
#include "amanat/timeutil.h"

void feed_path(struct app *a, char *path, size_t len)
{
	char cursor[32] = "";
	store_meta_get(a->store, "feed.cursor", cursor, sizeof cursor);
	if (strspn(cursor, "0123456789") != strlen(cursor))
		cursor[0] = '\0';
	snprintf(path, len, "/v1/feed%s%s", cursor[0] ? "?since=" : "", cursor);
}

static const char *field(json_t *o, const char *k, size_t max)
{
	const char *v = json_string_value(json_object_get(o, k));
	return v && strlen(v) < max ? v : "";
}

/* One item into f; false when it is not an item this terminal can keep. */
static bool parse_item(json_t *it, struct feed_item *f)
{
	memset(f, 0, sizeof *f);
	json_t *pl = json_object_get(it, "payload"), *env = json_object_get(it, "envelope");
	const char *cursor = json_string_value(json_object_get(it, "cursor"));
	f->uuid = field(it, "uuid", 37);
	f->device = field(it, "device", 64);
	f->type = field(it, "type", 32);
	if (strlen(f->uuid) != 36 || !*f->device || !*f->type || !cursor || !json_is_integer(json_object_get(it, "at_ms")))
		return false;
	f->cursor = strtoll(cursor, NULL, 10);
	f->at_ms = json_integer_value(json_object_get(it, "at_ms"));
	f->waybill = field(it, "waybill", 32);
	f->register_id = field(it, "register", 64);
	f->actor = field(it, "actor", 64);
	f->from = field(pl, "from", 32);
	f->courier = field(pl, "courier", 64);
	f->postomat = field(pl, "postomat", 64);
	f->cell = field(pl, "cell", 32);
	f->has_envelope = json_is_object(env);
	f->application = field(env, "application", 64);
	f->env_postomat = field(env, "postomat", 64);
	f->city = field(env, "city", 128);
	f->reserved_cell = field(env, "reserved_cell", 32);
	if (!*f->register_id)
		f->register_id = field(env, "register", 64);
	f->conflict = field(it, "conflict", 400);
	return true;
}

int feed_answer(struct app *a, const char *body, size_t len, bool *more, struct am_error *e)
{
	json_error_t je;
	json_t *root = body ? json_loadb(body, len, 0, &je) : NULL;
	json_t *items = json_object_get(root, "items");
	const char *cursor = json_string_value(json_object_get(root, "cursor"));
	*more = false;
	if (!json_is_array(items) || !cursor || !*cursor || strspn(cursor, "0123456789") != strlen(cursor)) {
		json_decref(root);
		return am_fail(e, AM_ENV, "%s", _("the hub's feed answer was incomplete or not JSON"));
	}
	size_t n = json_array_size(items), k = 0, i, applied = 0;
	struct feed_item *f = calloc(n + 1, sizeof *f);
	char **texts = calloc(n + 1, sizeof *texts), **outcomes = calloc(n + 1, sizeof *outcomes);
	bool calendar = false;
	json_t *it;
	int rc = f && texts && outcomes ? 0 : am_fail(e, AM_ENV, "%s", _("out of memory"));
	json_array_foreach(items, i, it) {
		if (rc || !parse_item(it, &f[k]))
			continue;
		texts[k] = json_dumps(it, JSON_COMPACT);
		f[k].body = texts[k] ? texts[k] : "{}";
		if (!strcmp(f[k].type, "postomat")) {
			struct am_error pe;
			size_t np, nc;
			if (postomat_import_json(a->store, json_object_get(it, "payload"), _("the hub's feed"), &np, &nc, &pe))
				outcomes[k] = strdup(pe.msg);
			f[k].outcome = outcomes[k] ? outcomes[k] : "applied";
		}
		calendar |= !strcmp(f[k].type, "calendar");
		k++;
	}
	char before[32] = "";
	store_meta_get(a->store, "feed.cursor", before, sizeof before);
	if (!rc)
		rc = store_feed_apply(a->store, f, k, cursor, &applied, e);
	/* more only when the cursor moved: a hub that repeats itself cannot
	 * keep the terminal asking forever */
	*more = !rc && json_is_true(json_object_get(root, "more")) && strcmp(before, cursor);
	if (!rc && calendar) {
		/* the open deadlines counted by the calendar now in use, at once */
		size_t moved = 0;
		app_use_hub_calendar(a);
		rc = store_clocks_recalendar(a->store, now_ms(), &moved, e);
	}
	for (i = 0; texts && i < k; i++) {
		free(texts[i]);
		free(outcomes[i]);
	}
	free(texts);
	free(outcomes);
	free(f);
	json_decref(root);
	return rc;
}
