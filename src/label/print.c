/*
 * print.c - register and act sheets as text with their codes beside them,
 * and sending a file to a printer: CUPS through `lp -d PRINTER`, or the raw
 * bytes to a device (a Zebra on /dev/usb/lp0 takes ZPL as it is).  lp runs
 * from an argument vector (spawn.h), never through a shell.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>
#include "amanat/config.h"
#include "amanat/file.h"
#include "amanat/i18n.h"
#include "amanat/label.h"
#include "amanat/spawn.h"
#include "amanat/store.h"
#include "amanat/timeutil.h"

static int close_checked(FILE *f, const char *path, struct am_error *e)
{
	int bad = ferror(f);
	bad |= fclose(f);
	return bad ? am_fail(e, AM_ENV, _("cannot write %s: %s"), path, strerror(errno)) : 0;
}

int sheet_write_register(struct store *s, const char *reg_id, const char *path, enum code2d kind,
			 int offset_min, size_t *n_parts, struct am_error *e)
{
	struct register_info info;
	struct reg r;
	char **parts;
	char t[32], file[4200];
	int rc = store_register_get(s, reg_id, &info, &r, e);
	if (rc)
		return rc;
	if ((rc = sheet_encode(&r, SHEET_PART_MAX, &parts, n_parts, e))) {
		register_free(&r);
		return rc;
	}
	FILE *f = file_create(path);
	if (!f) {
		rc = am_fail(e, AM_ENV, _("cannot write %s: %s"), path, strerror(errno));
		goto out;
	}
	time_format_human(info.formed_at, offset_min, t, sizeof t);
	fprintf(f, "%s %s (%s)\n%s: %s\n%s: %s\n%s: %s\n%s: %zu\n\n", _("REGISTER"), info.id,
		register_kind_name(info.kind), _("From"), info.from, _("To"), info.to, _("Formed"), t,
		_("Envelopes"), r.n_lines);
	for (size_t i = 0; i < r.n_lines; i++) {
		const struct register_line *l = &r.lines[i];
		char masked[16];
		iin_mask(l->iin, masked, sizeof masked);
		fprintf(f, "%4zu  %-14s %-20s %-14s %-14s %s\n", i + 1, l->waybill, l->application, l->postomat,
			l->city, masked);
	}
	fprintf(f, "\n%s: ______________________   %s: ______________________\n\n",
		_("Handed over (name, signature)"), _("Received (name, signature)"));
	fprintf(f, "%s:\n", _("The codes of this register (scan all of them, in any order)"));
	for (size_t k = 0; k < *n_parts; k++) {
		snprintf(file, sizeof file, "%s-%zu.png", path, k + 1);
		fprintf(f, "  %zu/%zu  %s\n", k + 1, *n_parts, file);
		if ((rc = code2d_file(parts[k], kind, file, e)))
			break;
	}
	int rc2 = close_checked(f, path, e);
	if (!rc)
		rc = rc2;
out:
	sheet_parts_free(parts, *n_parts);
	register_free(&r);
	return rc;
}

struct act_sheet {
	FILE *f;
	const char *path;
	int offset_min;
};

static int write_act(const struct act_row *a, void *arg)
{
	struct act_sheet *as = arg;
	char t[32];
	time_format_human(a->created_ms, as->offset_min, t, sizeof t);
	json_error_t je;
	json_t *body = a->body ? json_loads(a->body, 0, &je) : NULL;
	/* The reason amanat itself wrote ("acceptance does not match the
	 * register", in English when the CLI drew the act) reads in this copy's
	 * language; a person's own words have no translation and stay as typed. */
	for (int copy = 1; copy <= a->copies; copy++) {
		fprintf(as->f, "%s %s — %s\n%s %d / %d\n%s: %s\n", !strcmp(a->kind, "loss") ? _("LOSS ACT") : _("DISCREPANCY ACT"),
			a->id, t, _("Copy"), copy, a->copies, _("Reason"),
			a->reason && a->reason[0] ? _(a->reason) : "");
		if (a->register_id[0])
			fprintf(as->f, "%s: %s\n", _("Register"), a->register_id);
		if (a->waybill[0])
			fprintf(as->f, "%s: %s\n", _("Waybill"), a->waybill);
		const char *side = json_string_value(json_object_get(body, "side"));
		const char *liable = json_string_value(json_object_get(body, "liable"));
		if (side)	/* a loss: whose side (§22 Kaspi, §23 State Corp) and who is liable */
			fprintf(as->f, "%s: %s\n", _("Lost on the side of"),
				strcmp(side, "kaspi") ? _("State Corp (§23)") : _("Kaspi (§22)"));
		if (liable && *liable)
			fprintf(as->f, "%s: %s\n", _("Liable worker"), liable);
		const char *keys[] = { "missing", "unexpected", "damaged" };
		const char *labels[] = { N_("Missing"), N_("Not on the register"), N_("Damaged") };
		for (int k = 0; k < 3; k++) {
			json_t *list = json_object_get(body, keys[k]);
			size_t i;
			json_t *v;
			if (!json_array_size(list))
				continue;
			fprintf(as->f, "%s:", _(labels[k]));
			json_array_foreach(list, i, v)
				fprintf(as->f, " %s", json_string_value(v));
			fputc('\n', as->f);
		}
		fprintf(as->f, "\n%s: ______________________   %s: ______________________\n\f",
			_("Drawn up by"), _("Counterpart"));
	}
	json_decref(body);
	return 1;
}

int sheet_write_act(struct store *s, const char *act_id, const char *path, int offset_min,
		    struct am_error *e)
{
	return sheet_write_act_lang(s, act_id, path, offset_min, NULL, e);
}

int sheet_write_act_lang(struct store *s, const char *act_id, const char *path, int offset_min,
			 const char *lang, struct am_error *e)
{
	char code[128], file[4200], was[8];
	FILE *f = file_create(path);
	if (!f)
		return am_fail(e, AM_ENV, _("cannot write %s: %s"), path, strerror(errno));
	/* the act in the terminal's language and, for the other side, in Russian */
	snprintf(was, sizeof was, "%s", i18n_language());
	if (!lang || !*lang)
		lang = was[0] ? was : "en";
	struct act_sheet as = { f, path, offset_min };
	i18n_init(lang, NULL);
	int rc = store_act_get(s, act_id, write_act, &as, e);
	if (!rc && strcmp(lang, "ru")) {
		i18n_init("ru", NULL);
		rc = store_act_get(s, act_id, write_act, &as, e);
	}
	i18n_init(was[0] ? was : "en", NULL);
	int rc2 = close_checked(f, path, e);
	if (rc || rc2) {
		unlink(path);
		return rc ? rc : rc2;
	}
	snprintf(code, sizeof code, "AMA1:%s", act_id);
	snprintf(file, sizeof file, "%s-code.png", path);
	return code2d_file(code, CODE2D_QR, file, e);
}

int print_file(const struct config *cfg, const char *path, struct am_error *e)
{
	const char *printer = config_get(cfg, "print.printer", NULL);
	const char *device = config_get(cfg, "print.device", NULL);
	if (device && *device) {
		int in = open(path, O_RDONLY | O_CLOEXEC);
		int out = open(device, O_WRONLY | O_CLOEXEC | O_APPEND);
		char buf[8192];
		ssize_t n;
		int rc = 0;
		if (in < 0 || out < 0)
			rc = am_fail(e, AM_ENV, _("cannot open the printer %s: %s"), device, strerror(errno));
		while (!rc && (n = read(in, buf, sizeof buf)) > 0)
			if (write(out, buf, (size_t)n) != n)
				rc = am_fail(e, AM_ENV, _("the printer %s took only part of the job: %s"), device, strerror(errno));
		if (in >= 0)
			close(in);
		if (out >= 0 && close(out) && !rc)
			rc = am_fail(e, AM_ENV, _("the printer %s: %s"), device, strerror(errno));
		return rc;
	}
	if (!printer || !*printer)
		return am_fail(e, AM_ENV, _("no printer configured: set print.printer (CUPS) or print.device (raw)"));
	/* An argument vector, never a shell: a printer name is one argument. */
	const char *argv[] = { "lp", "-s", "-d", printer, path, NULL };
	int code;
	int rc = spawn_run(argv, 0, &code, e);
	if (rc)
		return rc;
	if (code != 0)
		return am_fail(e, AM_ENV, _("lp -d %s failed (is CUPS running and the printer known?)"), printer);
	return 0;
}
