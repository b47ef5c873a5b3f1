/*
 * print.c - register and act sheets as text with their codes beside them,
 * and sending a file to a printer: CUPS through `lp -d PRINTER`, or the raw
 * bytes to a device (a Zebra on /dev/usb/lp0 takes ZPL as it is).  lp runs
 * from an argument vector (spawn.h), never through a shell.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
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

/* s and spaces up to width display columns, then one more: the sheet's
 * columns line up on paper whatever the script (%-14s counted bytes, so a
 * Cyrillic city pushed the IIN column left). */
static void pad_cols(FILE *f, const char *s, int width)
{
	int w = 0;	/* the characters (UTF-8 lead bytes): whatever the locale */
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		w += (*p & 0xc0) != 0x80;
	fputs(s, f);
	for (; w < width; w++)
		fputc(' ', f);
	fputc(' ', f);
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
		_(register_kind_name(info.kind)), _("From"), info.from, _("To"), info.to, _("Formed"), t,
		_("Envelopes"), r.n_lines);
	for (size_t i = 0; i < r.n_lines; i++) {
		const struct register_line *l = &r.lines[i];
		char masked[16];
		iin_mask(l->iin, masked, sizeof masked);
		fprintf(f, "%4zu  %-14s ", i + 1, l->waybill);
		pad_cols(f, l->application, 20);
		pad_cols(f, l->postomat, 14);
		pad_cols(f, l->city, 14);	/* Cyrillic: its bytes are not its columns */
		fprintf(f, "%s\n", masked);
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

/* Put one line built from fmt (no fixed buffer: a reason may be long). */
static void putf(void (*put)(void *, const char *), void *arg, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void putf(void (*put)(void *, const char *), void *arg, const char *fmt, ...)
{
	char *line = NULL;
	va_list ap;
	va_start(ap, fmt);
	int n = vasprintf(&line, fmt, ap);
	va_end(ap);
	if (n >= 0)
		put(arg, line);
	free(line);
}

void act_lines(const struct act_row *a, int offset_min, void (*put)(void *arg, const char *line), void *arg)
{
	char t[32];
	time_format_human(a->created_ms, offset_min, t, sizeof t);
	json_t *body = a->body ? json_loads(a->body, 0, NULL) : NULL;
	putf(put, arg, "%s %s — %s", !strcmp(a->kind, "loss") ? _("LOSS ACT") : _("DISCREPANCY ACT"), a->id, t);
	/* The reason amanat itself wrote ("acceptance does not match the
	 * register", in English when the CLI drew the act) reads in this
	 * language; a person's own words have no translation and stay as typed. */
	putf(put, arg, "%s: %s", _("Reason"), a->reason && a->reason[0] ? _(a->reason) : "");
	if (a->register_id[0])
		putf(put, arg, "%s: %s", _("Register"), a->register_id);
	if (a->waybill[0])
		putf(put, arg, "%s: %s", _("Waybill"), a->waybill);
	const char *side = json_string_value(json_object_get(body, "side"));
	const char *liable = json_string_value(json_object_get(body, "liable"));
	if (side)	/* a loss: whose side (§22 Kaspi, §23 State Corp) and who is liable */
		putf(put, arg, "%s: %s", _("Lost on the side of"),
		     strcmp(side, "kaspi") ? _("State Corp (§23)") : _("Kaspi (§22)"));
	if (liable && *liable)
		putf(put, arg, "%s: %s", _("Liable worker"), liable);
	json_t *expected = json_object_get(body, "expected"), *matched = json_object_get(body, "matched");
	if (json_is_integer(expected) && json_is_integer(matched))
		putf(put, arg, _("Expected: %lld, matched: %lld"), (long long)json_integer_value(expected),
		     (long long)json_integer_value(matched));
	const char *keys[] = { "missing", "unexpected", "damaged" };
	const char *labels[] = { N_("Missing"), N_("Not on the register"), N_("Damaged") };
	for (int k = 0; k < 3; k++) {
		json_t *list = json_object_get(body, keys[k]), *v;
		size_t i;
		char *line = NULL;
		if (!json_array_size(list))
			continue;
		size_t len = 0;
		FILE *f = open_memstream(&line, &len);
		if (!f)
			continue;
		fprintf(f, "%s:", _(labels[k]));
		json_array_foreach(list, i, v)
			if (json_is_string(v))
				fprintf(f, " %s", json_string_value(v));
		if (fclose(f) == 0)
			put(arg, line);
		free(line);
	}
	json_decref(body);
}

struct act_sheet {
	FILE *f;
	int offset_min;
	int copy;
	bool first;		/* the next line is the copy's first (its title) */
	const struct act_row *a;
};

/* A copy's line: after its title, which copy of how many. */
static void sheet_line(void *arg, const char *line)
{
	struct act_sheet *as = arg;
	fprintf(as->f, "%s\n", line);
	if (as->first)
		fprintf(as->f, "%s %d / %d\n", _("Copy"), as->copy, as->a->copies);
	as->first = false;
}

static int write_act(const struct act_row *a, void *arg)
{
	struct act_sheet *as = arg;
	as->a = a;
	for (as->copy = 1; as->copy <= a->copies; as->copy++) {
		as->first = true;
		act_lines(a, as->offset_min, sheet_line, as);
		fprintf(as->f, "\n%s: ______________________   %s: ______________________\n\f",
			_("Drawn up by"), _("Counterpart"));
	}
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
	struct act_sheet as = { f, offset_min, 0, false, NULL };
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
