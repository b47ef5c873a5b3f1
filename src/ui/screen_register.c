/*
 * screen_register.c - registers from the clerk's menu.  A register arrives
 * three ways: on paper (its sheet's split 2D codes, scanned in any order:
 * label/sheet.c puts them together and checks them), as a file in the
 * inbox folder (register.inbox: a USB stick at the desk), or by sync.  The
 * clerk forms the return register of everything back at the point (§32-33)
 * and hands it over in "Returns out"; any register's sheet (the acceptance
 * register -ACC, a return register) prints with F9.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "amanat/health.h"
#include "amanat/i18n.h"
#include "amanat/label.h"
#include "amanat/sync.h"
#include "amanat/timeutil.h"
#include "screen_print.h"
#include "screen_util.h"

/* register files listed from the inbox: a stick gathers one a day or more
 * (64 dropped files past them in the folder's order, newest ones too) */
#define INBOX_MAX 4096

/* This screen's own state. */
static struct {
	long sel, first;
	size_t page;
	char id[64];			/* the chosen register */
	struct sheet_assembly sheet;	/* codes of a sheet scanned so far */
	bool inbox;			/* the inbox's files instead of the registers */
	char *files[INBOX_MAX];
	int n_files;
	bool confirm;			/* F4 pressed once */
	bool labels;			/* the reason asked is for labels, not the sheet */
} rg;

static void inbox_free(void)
{
	for (int i = 0; i < rg.n_files; i++)
		free(rg.files[i]);
	rg.n_files = 0;
	rg.inbox = false;
}

static void reg_reset(void)
{
	inbox_free();
	sheet_assembly_free(&rg.sheet);
	memset(&rg, 0, sizeof rg);
}

static void reg_enter(struct ui *u)
{
	(void)u;
	reg_reset();
}

static void reg_leave(void) __attribute__((destructor));
static void reg_leave(void)
{
	reg_reset();
}

/* A register loads in slices of about UI_SLICE_MS from the poll loop
 * (ui.c), the keys and the scanner answered between them; it shows in the
 * list once it is whole. */
#define UI_SLICE_MS 25

/* "register R (kind) loaded: n envelopes", on a handheld without the kind
 * so that the count is not cut off */
static void loaded(struct ui *u, size_t n)
{
	if (u->layout == LAYOUT_HANDHELD)
		ui_ok(u, C_("handheld", "%s loaded: %zu envelopes"), u->import_id, n);
	else
		ui_ok(u, _("register %s (%s) loaded: %zu envelopes"), u->import_id, _(u->import_kind), n);
}

void ui_import_step(struct ui *u)
{
	struct am_error e;
	bool done = false;
	if (!u->import)
		return;
	u->dirty = true;
	if (store_import_step(u->import, UI_SLICE_MS, &done, &e)) {
		ui_fail(u, _("%s refused, nothing loaded: %s"), u->import_id, e.msg);
	} else if (done) {
		size_t total;
		store_import_lines(u->import, &total);
		loaded(u, total);
	} else {
		size_t total, n = store_import_lines(u->import, &total);
		if (u->layout == LAYOUT_HANDHELD)	/* the count first: it is what is watched */
			ui_note(u, C_("handheld", "%s: %zu of %zu lines"), u->import_id, n, total);
		else
			ui_note(u, _("loading register %s (%s): %zu of %zu lines"), u->import_id, _(u->import_kind), n, total);
		return;
	}
	store_import_free(u->import);
	u->import = NULL;
}

void ui_import_finish(struct ui *u)
{
	while (u->import)
		ui_import_step(u);
}

static int load(struct ui *u, struct reg *r, const char *where)
{
	struct am_error e;
	struct event_ctx ctx = ui_ctx(u);
	struct store_import *im;
	size_t n = r->n_lines;
	ui_import_finish(u);	/* one at a time */
	snprintf(u->import_id, sizeof u->import_id, "%s", r->id);
	u->import_kind = register_kind_name(r->kind);
	if (store_import_start(u->store, r, &ctx, &im, &e)) {	/* takes r's lines */
		ui_fail(u, _("%s refused, nothing loaded: %s"), where, e.msg);
		return -1;
	}
	snprintf(rg.id, sizeof rg.id, "%s", u->import_id);
	rg.sel = 0;
	if (!im) {	/* the same register again */
		loaded(u, n);
		return 0;
	}
	u->import = im;
	ui_import_step(u);
	return 0;
}

/* One code of a sheet.  The code is taken as read when it starts as a
 * sheet code does (a serial scanner sends the city in Cyrillic as it is),
 * else as mapped back from the keyboard layout. */
static bool reg_scan(struct ui *u, enum code_kind kind, const char *code)
{
	struct am_error e;
	struct reg r;
	if (kind != CODE_SHEET)
		return false;
	const char *part = u->read_raw && !strncmp(u->read_raw, "AMR1:", 5) ? u->read_raw : code;
	if (rg.sheet.total && strncmp(part + 5, rg.sheet.reg_id, strlen(rg.sheet.reg_id))) {
		sheet_assembly_free(&rg.sheet);	/* another sheet: start again */
		memset(&rg.sheet, 0, sizeof rg.sheet);
	}
	if (sheet_assembly_add(&rg.sheet, part, &e)) {
		ui_fail(u, "%s", e.msg);
		return true;
	}
	if (!sheet_assembly_complete(&rg.sheet)) {
		ui_ok(u, _("code %d of %d of %s: scan the others"), rg.sheet.have, rg.sheet.total, rg.sheet.reg_id);
		return true;
	}
	if (sheet_assembly_decode(&rg.sheet, u->app->rules.offset_min, &r, &e))
		ui_fail(u, "%s", e.msg);
	else {
		char *where = NULL;
		if (asprintf(&where, _("the sheet of %s"), r.id) < 0)
			where = NULL;
		load(u, &r, where ? where : r.id);
		free(where);
		register_free(&r);
	}
	sheet_assembly_free(&rg.sheet);
	memset(&rg.sheet, 0, sizeof rg.sheet);
	return true;
}

/* ---- the inbox folder ---------------------------------------------------- */

static void inbox_open(struct ui *u)
{
	static const char *const exts[] = { ".json", ".csv", NULL };
	const char *dir;
	inbox_free();
	int n = su_inbox_list(u, exts, rg.files, INBOX_MAX, &dir);
	if (n < 0)
		return;
	rg.n_files = n;
	rg.inbox = true;
	rg.sel = rg.first = 0;
	if (!rg.n_files) {
		char *shown = su_inbox_shown(u, dir);
		ui_note(u, _("no register files (.json, .csv) in %s"), shown ? shown : dir);
		free(shown);
	}
}

static void inbox_load(struct ui *u)
{
	struct am_error e;
	struct reg r;
	size_t len;
	char path[4200];
	if (rg.sel < 0 || rg.sel >= rg.n_files)
		return;
	snprintf(path, sizeof path, "%s/%s", config_get(u->app->cfg, "register.inbox", "."), rg.files[rg.sel]);
	char *text = app_read_file(path, &len, &e);
	if (!text) {
		ui_fail(u, "%s", e.msg);
		return;
	}
	int rc = register_parse(text, len, &u->app->rules.waybill, u->app->rules.offset_min, &r, &e);
	free(text);
	if (rc) {
		ui_fail(u, _("%s refused, nothing loaded: %s"), rg.files[rg.sel], e.msg);
		return;
	}
	if (!load(u, &r, rg.files[rg.sel]))
		inbox_free();
	register_free(&r);
}

/* ---- the return register ------------------------------------------------- */

static void form_return(struct ui *u)
{
	struct am_error e;
	struct reg r;
	char t[32], id[64];
	struct event_ctx ctx = ui_ctx(u);
	if (!rg.confirm) {
		rg.confirm = true;
		ui_note(u, "%s", u->cols < 40 ? C_("handheld", "F4 again: form the return register")	/* three lines */
						 : _("F4 again forms the return register of every envelope back at the point"));
		return;
	}
	rg.confirm = false;
	time_format_local(now_ms(), u->app->rules.offset_min, t, sizeof t);	/* 2026-03-20 12:00 */
	snprintf(id, sizeof id, "RET-%s-%.4s%.2s%.2s-%.2s%.2s", u->app->place, t, t + 5, t + 8, t + 11, t + 14);
	if (store_register_create_return(u->store, id, NULL, &ctx, &r, &e)) {
		ui_fail(u, "%s", e.msg);
		return;
	}
	if (u->cols < 40)	/* a handheld: the id, wider than 20 columns, is on the list above */
		ui_ok(u, C_("handheld", "return register formed: %zu envelopes; F9 its sheet"), r.n_lines);
	else
		ui_ok(u, _("return register %s formed: %zu envelopes - F9 prints its sheet; hand it over in Returns out"),
		      r.id, r.n_lines);
	snprintf(rg.id, sizeof rg.id, "%s", r.id);
	rg.sel = 0;
	register_free(&r);
}

/* The chosen register's sheet, or its labels; a reprint asks the reason. */
static void print_chosen(struct ui *u, bool labels, const char *reason)
{
	if (!rg.id[0]) {
		ui_fail(u, "%s", _("choose a register with the arrows first"));
		return;
	}
	rg.labels = labels;
	if (ui_print_register(u, rg.id, labels, reason)) {
		ui_set_field(u, "code");
	} else {
		ui_set_field(u, "reason");
	}
}

/* ---- fields, keys, drawing --------------------------------------------- */

static void reg_field(struct ui *u, const char *field, const char *value)
{
	struct register_info info;
	struct am_error e;
	if (!strcmp(field, "reason")) {
		print_chosen(u, rg.labels, value);
		return;
	}
	if (store_register_get(u->store, value, &info, NULL, &e)) {	/* a register id: choose it */
		ui_fail(u, _("%s is not here yet: scan the codes of its sheet, or load its file (F2)"), value);
		return;
	}
	snprintf(rg.id, sizeof rg.id, "%s", value);
	rg.sel = -1;	/* found when drawn */
	ui_note(u, "%s", value);
}

static void reg_request(struct ui *u, enum ui_request r)
{
	int key = (int)r - REQ_UI__COUNT;
	bool confirm = rg.confirm;
	rg.confirm = false;
	if (r == REQ_UI_BACK) {
		if (u->field > 0)
			ui_set_field(u, "code");
		else if (rg.inbox)
			inbox_free();
		else
			ui_go(u, "menu");
	} else if (r == REQ_UI_OPEN) {
		inbox_open(u);
	} else if (r == REQ_UI_NEW) {
		rg.confirm = confirm;
		form_return(u);
	} else if (r == REQ_UI_PRINT) {
		print_chosen(u, false, NULL);
	} else if (r == REQ_UI_LABELS) {
		print_chosen(u, true, NULL);
	} else if (r == REQ_UI_SYNC) {
		su_sync_now(u);
	} else if (key == '\n' && rg.inbox) {
		inbox_load(u);
	} else if ((int)r >= REQ_UI__COUNT) {
		su_scroll(key, &rg.sel, rg.page);
		if (rg.sel < 0)
			rg.sel = 0;
	}
}

struct regs {
	struct ui *u;
	int y, cols;
	long i;
	size_t n;
};

static int reg_line(const struct register_info *info, void *arg)
{
	struct regs *l = arg;
	if (rg.sel < 0 && !strcmp(info->id, rg.id))
		rg.sel = l->i;
	if (l->i == rg.sel)
		snprintf(rg.id, sizeof rg.id, "%s", info->id);
	if (l->y >= 0 && l->i >= rg.first && l->i < rg.first + (long)rg.page) {
		char n[64], t[32], *line = NULL;
		/* every column ends in a space: a register id of 20 columns (an
		 * -ACC register's) or the kind "acceptance" ran into the next */
		int idw = ui_width(info->id);
		bool wide = l->cols >= 60, bad = su_append(&line, l->i == rg.sel ? ">" : " ", 2) ||
						 su_append(&line, info->id, wide ? (idw < 20 ? 20 : idw + 1) : 0);
		if (wide && !bad) {
			char *ends = NULL;
			const char *kind = _(register_kind_name(info->kind));
			int kw = ui_width(kind);
			bad = asprintf(&ends, "%s → %s", info->from, info->to) < 0;
			if (bad)
				ends = NULL;
			snprintf(n, sizeof n, "%zu/%zu", info->n_scanned, info->n_lines);
			bad = bad || su_append(&line, kind, kw < 10 ? 10 : kw + 1) ||
			      su_append(&line, ends ? ends : "", ends && ui_width(ends) >= 23 ? ui_width(ends) + 1 : 24) ||
			      su_append(&line, n, (int)strlen(n) >= 10 ? (int)strlen(n) + 1 : 10);
			free(ends);
			if (info->finished_at) {
				/* when it was finished, whole where it fits, else the
				 * day and time without the year (80 columns cut it to "✓…") */
				time_format_human(info->finished_at, l->u->app->rules.offset_min, t, sizeof t);
				snprintf(n, sizeof n, "✓ %.16s", t);
				if (line && ui_width(line) + ui_width(n) > l->cols)
					snprintf(n, sizeof n, "✓ %.5s %.5s", t, t + 11);
			}
			bad = bad || su_append(&line, info->finished_at ? n : _("open"), 0);
		}
		if (l->i == rg.sel)
			attron(A_REVERSE);
		ui_text(l->y + (int)(l->i - rg.first), 0, l->cols, !bad && line ? line : "?");
		attroff(A_REVERSE);
		free(line);
	}
	l->i++;
	l->n++;
	return 0;
}

/* A register whose import was cut short (killed, the disk full) is hidden
 * from the list until its file is loaded again: the first such one is
 * named above the list, with what to do (not the one this terminal is
 * loading now). */
struct unfinished {
	const char *loading;
	char id[REG_ID_MAX];
	size_t lines;
	bool found;
};

static int unfinished_one(const char *id, size_t lines, void *arg)
{
	struct unfinished *f = arg;
	if (f->loading && !strcmp(id, f->loading))
		return 0;
	snprintf(f->id, sizeof f->id, "%s", id);
	f->lines = lines;
	f->found = true;
	return 1;	/* the first is named: the walk stops */
}

static int unfinished_note(struct ui *u, int y, int cols, int rows)
{
	struct am_error e;
	struct unfinished f = { u->import ? u->import_id : NULL, "", 0, false };
	char *note = NULL;
	if (rows < 4 || store_registers_unfinished(u->store, unfinished_one, &f, &e) || !f.found)
		return 0;
	int ok = u->layout == LAYOUT_HANDHELD
		? asprintf(&note, C_("handheld", "! %s: load it again (F2)"), f.id)
		: asprintf(&note, _("! %s was not loaded whole (%zu lines): load its file again (F2)"), f.id, f.lines);
	int n = ok < 0 ? 0 : ui_say(y, 0, cols, 2, note);
	free(note);
	return n;
}

static void reg_draw(struct ui *u, int y0, int rows, int cols)
{
	struct am_error e;
	char pos[64];
	int y = y0;
	if (rg.sheet.total) {
		ui_textf(y++, 0, cols, _("sheet of %s: %d of %d codes"), rg.sheet.reg_id, rg.sheet.have, rg.sheet.total);
	}
	if (rg.inbox) {
		su_inbox_title(u, y++, cols);
		/* a list longer than the screen keeps its last row for where it is */
		rg.page = (size_t)(y0 + rows - y);
		if ((long)rg.page < rg.n_files && rg.page > 1)
			rg.page--;
		rg.first = (long)su_clamp(rg.sel < rg.first ? rg.sel : rg.sel - (long)rg.page + 1 > rg.first
					  ? rg.sel - (long)rg.page + 1 : rg.first, (size_t)rg.n_files, rg.page);
		if (rg.sel >= rg.n_files)
			rg.sel = rg.n_files ? rg.n_files - 1 : 0;
		int top = y;
		for (long i = rg.first; i < rg.n_files && y < top + (int)rg.page; i++) {
			ui_textf(y++, 0, cols, "%s %s", i == rg.sel ? ">" : " ", rg.files[i]);
		}
		su_position((size_t)rg.first, rg.page, (size_t)rg.n_files, pos, sizeof pos);
		if (pos[0])
			su_right(y0 + rows - 1, 0, cols, pos);
		return;
	}
	y += unfinished_note(u, y, cols, y0 + rows - y);
	rg.page = rows > y - y0 + 1 ? (size_t)(y0 + rows - y - 1) : 1;
	struct regs count = { u, -1, cols, 0, 0 };
	store_register_each(u->store, reg_line, &count, &e);
	if (rg.sel >= (long)count.n)
		rg.sel = count.n ? (long)count.n - 1 : 0;
	if (rg.sel < rg.first)
		rg.first = rg.sel;
	if (rg.sel >= rg.first + (long)rg.page)
		rg.first = rg.sel - (long)rg.page + 1;
	if (!count.n) {
		ui_say(y, 0, cols, y0 + rows - y, _("no registers yet: scan a sheet, or F2 for the inbox"));
		return;
	}
	struct regs l = { u, y, cols, 0, 0 };
	store_register_each(u->store, reg_line, &l, &e);
	su_position((size_t)rg.first, rg.page, count.n, pos, sizeof pos);
	su_right(y0 + rows - 1, 0, cols, pos);
}

const struct screen screen_registers = {
	.name = "registers", .enter = reg_enter, .field = reg_field, .request = reg_request,
	.draw = reg_draw, .scan = reg_scan,
};
