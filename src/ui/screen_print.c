/*
 * screen_print.c - print a document from the UI (see screen_print.h).  The
 * document is written into a private temporary directory, sent to the
 * printer, and removed; then the `printed` event is appended with what, the
 * id, the reason and whether it was a reprint.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>
#include "amanat/i18n.h"
#include "amanat/label.h"
#include "screen_print.h"

static const char *const doc_names[] = { "act", "register", "label", "report" };

struct seen {
	const char *what, *id;
	bool found;
};

static int was_printed(const struct event_row *r, void *arg)
{
	struct seen *s = arg;
	if (r->type != EV_PRINTED || !r->payload)
		return 0;
	json_t *j = json_loads(r->payload, 0, NULL);
	const char *what = json_string_value(json_object_get(j, "what"));
	const char *id = json_string_value(json_object_get(j, "id"));
	if (what && id && !strcmp(what, s->what) && !strcmp(id, s->id))
		s->found = true;
	json_decref(j);
	return s->found;
}

bool ui_printed_before(struct ui *u, enum print_doc doc, const char *id)
{
	struct seen s = { doc_names[doc], id, false };
	struct am_error e;
	store_event_each(u->store, doc == PRINT_LABEL ? id : NULL, false, was_printed, &s, &e);
	return s.found;
}

static int label_of(struct ui *u, const char *waybill, struct label_info *l, struct am_error *e)
{
	struct envelope v;
	int rc = store_envelope_get(u->store, waybill, &v, e);
	if (rc)
		return rc;
	memset(l, 0, sizeof *l);
	snprintf(l->waybill, sizeof l->waybill, "%s", v.waybill);
	snprintf(l->postomat, sizeof l->postomat, "%s", v.postomat);
	snprintf(l->city, sizeof l->city, "%s", v.city);
	snprintf(l->register_id, sizeof l->register_id, "%s", v.register_id);
	return 0;
}

/* Send file to the printer unless an earlier file failed (rc), then remove
 * it (it holds personal data): every file made is removed, whatever failed. */
static int send_one(struct ui *u, const char *file, int rc, struct am_error *e)
{
	if (!rc)
		rc = print_file(u->app->cfg, file, e);
	unlink(file);
	return rc;
}

/* A register's sheet: its text, then every code of it, however many a large
 * register needs (it was cut at 64: the rest were neither printed nor
 * removed, and the job failed after the paper came out). */
static int send_sheet(struct ui *u, const char *id, const char *file, struct am_error *e)
{
	const char *kind = config_get(u->app->cfg, "label.sheet_code", "qr");
	size_t parts = 0;
	int rc = sheet_write_register(u->store, id, file, strcmp(kind, "datamatrix") ? CODE2D_QR : CODE2D_DATAMATRIX,
				      u->app->rules.offset_min, &parts, e);
	rc = send_one(u, file, rc, e);
	for (size_t k = 0; k < parts; k++) {
		char *png = NULL;
		if (asprintf(&png, "%s-%zu.png", file, k + 1) < 0)
			return am_fail(e, AM_ENV, _("out of memory"));
		rc = send_one(u, png, rc, e);
		free(png);
	}
	return rc;
}

static int write_and_send(struct ui *u, enum print_doc doc, const char *id, const char *path, const char *dir,
			  char *reg_out, size_t reg_len, struct am_error *e)
{
	char file[256], code[300];
	int rc = 0;
	snprintf(file, sizeof file, "%s/doc.txt", dir);
	switch (doc) {
	case PRINT_ACT:
		rc = sheet_write_act(u->store, id, file, u->app->rules.offset_min, e);
		snprintf(code, sizeof code, "%s-code.png", file);
		rc = send_one(u, file, rc, e);
		return send_one(u, code, rc, e);
	case PRINT_REGISTER:
		snprintf(reg_out, reg_len, "%s", id);
		return send_sheet(u, id, file, e);
	case PRINT_LABEL: {
		struct label_info l;
		struct label_size sz;
		const char *fmt = config_get(u->app->cfg, "print.format", "zpl");
		snprintf(file, sizeof file, "%s/label.%s", dir, fmt);
		if (!(rc = label_of(u, id, &l, e))) {
			if (label_size_parse(config_get(u->app->cfg, "label.size", "58x40"),
					     (int)config_get_long(u->app->cfg, "label.dpi", 203), &sz))
				rc = am_fail(e, AM_ENV, "%s", _("label.size / label.dpi in the config are not valid"));
			else
				rc = label_waybill(&l, &sz, file, e);
			snprintf(reg_out, reg_len, "%s", l.register_id);
		}
		return send_one(u, file, rc, e);
	}
	case PRINT_REPORT:
		return print_file(u->app->cfg, path, e);	/* the report stays in report_dir */
	}
	return rc;
}

int ui_print(struct ui *u, enum print_doc doc, const char *id, const char *path, const char *reason,
	     struct am_error *e)
{
	bool again = ui_printed_before(u, doc, id);
	if (again && (!reason || !*reason))
		return am_fail(e, AM_REFUSED, _("%s was printed before: a reprint needs a reason"), id);
	char dir[] = "/tmp/amanat-print.XXXXXX", reg[64] = "";
	if (!mkdtemp(dir))
		return am_fail(e, AM_ENV, _("cannot make a temporary directory"));
	int rc = write_and_send(u, doc, id, path, dir, reg, sizeof reg, e);
	if (rmdir(dir))
		rc = rc ? rc : am_fail(e, AM_ENV, "%s: %s", dir, strerror(errno));
	if (rc)
		return rc;
	json_t *pl = json_pack("{s:s, s:s, s:s, s:b}", "what", doc_names[doc], "id", id, "reason", reason ? reason : "",
			       "reprint", again);
	char *payload = pl ? json_dumps(pl, JSON_COMPACT) : NULL;
	json_decref(pl);
	struct event_ctx ctx = ui_ctx(u);
	rc = store_append_event(u->store, EV_PRINTED, doc == PRINT_LABEL ? id : "",
				doc == PRINT_LABEL ? reg : doc == PRINT_REGISTER ? id : "", payload ? payload : "{}", &ctx, e);
	free(payload);
	return rc;
}

static bool print_sheet(struct ui *u, const char *reg_id, const char *reason)
{
	struct am_error e;
	if (!reason && ui_printed_before(u, PRINT_REGISTER, reg_id)) {
		ui_note(u, _("%s was printed before: type the reason for the reprint"), reg_id);
		return false;
	}
	if (ui_print(u, PRINT_REGISTER, reg_id, NULL, reason, &e))
		ui_fail(u, "%s", e.msg);
	else
		ui_ok(u, _("%s sent to the printer"), reg_id);
	return true;
}

/* A waybill label for each envelope of a register (the sorting sector's
 * §16 labels, or labels again at the point). */
static bool print_labels(struct ui *u, const char *reg_id, const char *reason)
{
	struct am_error e;
	struct register_info info;
	struct reg r;
	if (store_register_get(u->store, reg_id, &info, &r, &e)) {
		ui_fail(u, "%s", e.msg);
		return true;
	}
	size_t again = 0, done = 0;
	for (size_t i = 0; i < r.n_lines; i++)
		again += ui_printed_before(u, PRINT_LABEL, r.lines[i].waybill);
	if (again && !reason) {
		ui_note(u, _("%zu of these labels were printed before: type the reason for the reprint"), again);
		register_free(&r);
		return false;
	}
	int rc = 0;
	for (size_t i = 0; i < r.n_lines && !rc; i++)
		if (!(rc = ui_print(u, PRINT_LABEL, r.lines[i].waybill, NULL, reason, &e)))
			done++;
	register_free(&r);
	if (rc)
		ui_fail(u, _("%zu label(s) printed, then: %s"), done, e.msg);
	else
		ui_ok(u, _("%zu label(s) of %s sent to the printer"), done, reg_id);
	return true;
}

bool ui_print_register(struct ui *u, const char *reg_id, bool labels, const char *reason)
{
	return labels ? print_labels(u, reg_id, reason) : print_sheet(u, reg_id, reason);
}
