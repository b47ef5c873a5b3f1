/*
 * cmd_label.c - paper and codes: `amanat label`, `sheet`, `print`, `code`,
 * and `register import-scan` (a register loaded from its sheet's codes).
 */
#include <dirent.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "amanat/cli.h"
#include "amanat/i18n.h"
#include "amanat/label.h"

extern const struct cli_command cmd_label, cmd_sheet, cmd_print, cmd_code;

static int label_info_of(struct cli *c, const char *waybill, struct label_info *l, struct am_error *e)
{
	char why[200];
	struct envelope v;
	struct am_error ignore;
	if (waybill_validate(&c->app.rules.waybill, waybill, why, sizeof why))
		return am_fail(e, AM_REFUSED, _("%s is not a valid waybill, nothing printed: %s"), waybill, why);
	memset(l, 0, sizeof *l);
	snprintf(l->waybill, sizeof l->waybill, "%s", waybill);
	if (store_envelope_get(c->app.store, waybill, &v, &ignore) == 0) {
		snprintf(l->postomat, sizeof l->postomat, "%s", v.postomat);
		snprintf(l->city, sizeof l->city, "%s", v.city);
		snprintf(l->register_id, sizeof l->register_id, "%s", v.register_id);
	}
	return 0;
}

static int size_of(struct cli *c, const char *size, const char *dpi, struct label_size *out, struct am_error *e)
{
	if (!size)
		size = config_get(c->app.cfg, "label.size", "58x40");
	long d = dpi ? strtol(dpi, NULL, 10) : config_get_long(c->app.cfg, "label.dpi", 203);
	if (label_size_parse(size, (int)d, out))
		return am_fail(e, AM_USAGE, _("a label is 58x40 or 100x60, at 203 or 300 dpi"));
	return 0;
}

static int label_exec(struct cli *c, int argc, char **argv, struct am_error *e)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "size", required_argument, NULL, 's' },
		{ "dpi", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL, *size = NULL, *dpi = NULL;
	int opt, rc;
	while ((opt = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		if (opt == 'o') out = optarg;
		else if (opt == 's') size = optarg;
		else if (opt == 'd') dpi = optarg;
		else return cli_usage(&cmd_label, e);
	}
	if (optind + 1 != argc || !out)
		return cli_usage(&cmd_label, e);
	struct label_info l;
	struct label_size sz;
	if ((rc = label_info_of(c, argv[optind], &l, e)) || (rc = size_of(c, size, dpi, &sz, e)) ||
	    (rc = label_waybill(&l, &sz, out, e)))
		return rc;
	if (c->json)
		cli_json_out(json_pack("{s:s, s:s}", "waybill", l.waybill, "file", out));
	else
		printf("%s\n", out);
	return 0;
}

static enum code2d code_kind(struct cli *c, const char *opt)
{
	const char *k = opt ? opt : config_get(c->app.cfg, "label.sheet_code", "qr");
	return !strcmp(k, "datamatrix") ? CODE2D_DATAMATRIX : CODE2D_QR;
}

static int sheet_exec(struct cli *c, int argc, char **argv, struct am_error *e)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "code", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL, *code = NULL;
	int opt, rc;
	size_t parts = 0;
	while ((opt = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		if (opt == 'o') out = optarg;
		else if (opt == 'c') code = optarg;
		else return cli_usage(&cmd_sheet, e);
	}
	if (optind + 1 != argc || !out)
		return cli_usage(&cmd_sheet, e);
	const char *id = argv[optind];
	bool act = strncmp(id, "ACT-", 4) == 0;
	rc = act ? sheet_write_act_lang(c->app.store, id, out, c->app.rules.offset_min, c->app.lang, e)
		 : sheet_write_register(c->app.store, id, out, code_kind(c, code), c->app.rules.offset_min, &parts, e);
	if (rc)
		return rc;
	if (c->json)
		cli_json_out(json_pack("{s:s, s:s, s:I}", act ? "act" : "register", id, "file", out, "codes",
				       (json_int_t)(act ? 1 : parts)));
	else
		printf(_("%s written with %zu code(s) beside it\n"), out, act ? (size_t)1 : parts);
	return 0;
}

/* Was this document printed before?  The CLI records a sheet as
 * {"what":"sheet"} on its register's event, the UI as {"what":"register",
 * "id":...}; a label or an act as {"what":"label"|"act", "id":...}: a
 * reprint from either side needs its reason. */
struct printed {
	const char *what;	/* label, sheet or act */
	const char *id;
	bool found;
};

static int was_printed(const struct event_row *r, void *arg)
{
	struct printed *p = arg;
	if (r->type != EV_PRINTED || !r->payload)
		return 0;
	json_t *j = json_loads(r->payload, 0, NULL);
	const char *what = json_string_value(json_object_get(j, "what"));
	const char *id = json_string_value(json_object_get(j, "id"));
	if (what && !strcmp(p->what, "label"))
		p->found = !strcmp(what, "label");	/* the events of that waybill only */
	else if (what && !strcmp(p->what, "sheet"))
		p->found = (!strcmp(what, "sheet") && !strcmp(r->register_id, p->id))
			   || (!strcmp(what, "register") && id && !strcmp(id, p->id));
	else if (what)
		p->found = !strcmp(what, p->what) && id && !strcmp(id, p->id);
	json_decref(j);
	return p->found;	/* found: stop walking */
}

/* Remove the print job's temporary directory (flat: only our files). */
static int remove_tree(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char path[PATH_MAX];
	if (!d)
		return -1;
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
			snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
			unlink(path);
		}
	closedir(d);
	return rmdir(dir);
}

/* Write the document into dir and send it, with its 2D codes. */
static int print_document(struct cli *c, const char *what, const char *id, const struct label_info *l,
			  const char *dir, struct am_error *e)
{
	char file[128];
	size_t parts = 0;
	int rc;
	if (!strcmp(what, "label")) {
		struct label_size sz;
		const char *fmt = config_get(c->app.cfg, "print.format", "zpl");
		snprintf(file, sizeof file, "%s/label.%s", dir, fmt);
		if (!(rc = size_of(c, NULL, NULL, &sz, e)) && !(rc = label_waybill(l, &sz, file, e)))
			rc = print_file(c->app.cfg, file, e);
		return rc;
	}
	snprintf(file, sizeof file, "%s/sheet.txt", dir);
	if (!strcmp(what, "act")) {	/* two copies in the terminal's language, and in Russian */
		if ((rc = sheet_write_act_lang(c->app.store, id, file, c->app.rules.offset_min, c->app.lang, e)) ||
		    (rc = print_file(c->app.cfg, file, e)))
			return rc;
		char png[200];
		snprintf(png, sizeof png, "%s-code.png", file);
		return print_file(c->app.cfg, png, e);
	}
	rc = sheet_write_register(c->app.store, id, file, code_kind(c, NULL), c->app.rules.offset_min, &parts, e);
	if (!rc)
		rc = print_file(c->app.cfg, file, e);
	for (size_t k = 0; !rc && k < parts; k++) {
		char png[200];
		snprintf(png, sizeof png, "%s-%zu.png", file, k + 1);
		rc = print_file(c->app.cfg, png, e);
	}
	return rc;
}

/* `print label WAYBILL | sheet REGISTER|ACT | act ACT [--reason TEXT]` */
static int print_exec(struct cli *c, int argc, char **argv, struct am_error *e)
{
	static const struct option opts[] = { { "reason", required_argument, NULL, 'r' }, { NULL, 0, NULL, 0 } };
	const char *reason = NULL;
	int opt, rc;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (opt != 'r')
			return cli_usage(&cmd_print, e);
		reason = optarg;
	}
	if (optind + 2 != argc)
		return cli_usage(&cmd_print, e);
	const char *what = argv[optind], *id = argv[optind + 1];
	if (strcmp(what, "label") && strcmp(what, "sheet") && strcmp(what, "act"))
		return cli_usage(&cmd_print, e);
	if (!strcmp(what, "sheet") && !strncmp(id, "ACT-", 4))
		what = "act";	/* `sheet` writes an act's sheet too */
	bool label = !strcmp(what, "label"), act = !strcmp(what, "act");
	char dir[] = "/tmp/amanat-print.XXXXXX";
	struct label_info l;
	struct printed p = { what, id, false };
	if (label && (rc = label_info_of(c, id, &l, e)))
		return rc;
	if (!label && !act) {	/* a sheet's prints are its register's events */
		struct register_info info;
		if ((rc = store_register_get(c->app.store, id, &info, NULL, e)))
			return rc;
	}
	if ((rc = store_event_each(c->app.store, label ? id : NULL, false, was_printed, &p, e)))
		return rc;
	if (p.found && (!reason || !*reason))
		return am_fail(e, AM_REFUSED, _("%s was printed before: a reprint needs --reason"), id);
	if (!mkdtemp(dir))
		return am_fail(e, AM_ENV, _("cannot make a temporary directory"));
	rc = print_document(c, what, id, label ? &l : NULL, dir, e);
	if (remove_tree(dir))
		fprintf(stderr, "amanat: %s was left behind\n", dir);
	if (rc)
		return rc;
	/* every print and reprint is an event */
	json_t *pl = json_pack("{s:s, s:s, s:s, s:b}", "what", what, "id", id, "reason", reason ? reason : "",
			       "reprint", p.found);
	char *payload = pl ? json_dumps(pl, JSON_COMPACT) : NULL;
	json_decref(pl);
	struct event_ctx ctx = app_ctx(&c->app);
	rc = store_append_event(c->app.store, EV_PRINTED, label ? id : "", label ? l.register_id : act ? "" : id,
				payload ? payload : "{}", &ctx, e);
	free(payload);
	if (!rc && !c->json)
		printf(_("%s sent to the printer\n"), id);
	else if (!rc)
		cli_json_out(json_pack("{s:s, s:s, s:b}", "printed", id, "what", what, "reprint", p.found));
	return rc;
}

static int code_exec(struct cli *c, int argc, char **argv, struct am_error *e)
{
	static const struct option opts[] = {
		{ "part", required_argument, NULL, 'p' },
		{ "cols", required_argument, NULL, 'c' },
		{ "rows", required_argument, NULL, 'r' },
		{ "id", no_argument, NULL, 'i' },
		{ NULL, 0, NULL, 0 },
	};
	long part = 1, cols = 0, rows = 0;
	bool id_only = false;
	int opt, rc;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (opt == 'p') part = strtol(optarg, NULL, 10);
		else if (opt == 'c') cols = strtol(optarg, NULL, 10);
		else if (opt == 'r') rows = strtol(optarg, NULL, 10);
		else if (opt == 'i') id_only = true;
		else return cli_usage(&cmd_code, e);
	}
	if (optind + 1 != argc)
		return cli_usage(&cmd_code, e);
	struct winsize ws;
	if (!cols || !rows) {
		if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col) {
			cols = cols ? cols : ws.ws_col;
			rows = rows ? rows : ws.ws_row - 1;
		} else {
			cols = cols ? cols : 80;
			rows = rows ? rows : 23;
		}
	}
	struct reg r;
	char **parts, **lines;
	size_t n = 1;
	int n_lines;
	const char *id = argv[optind];
	char text[200];
	json_t *data = NULL;	/* --json: what the code carries */
	if (id_only || !strncmp(id, "ACT-", 4)) {	/* just the id: small enough for any desk */
		part = 1;
		if (id_only) {
			struct register_info info;
			if ((rc = store_register_get(c->app.store, id, &info, NULL, e)))
				return rc;
			snprintf(text, sizeof text, "%s", id);
		} else {
			snprintf(text, sizeof text, "AMA1:%s", id);
		}
		if ((rc = halfblock(text, CODE2D_QR, (int)cols, (int)rows, &lines, &n_lines, e)))
			return rc;
	} else {
		if ((rc = store_register_get(c->app.store, id, NULL, &r, e)))
			return rc;
		rc = sheet_encode(&r, SHEET_PART_MAX, &parts, &n, e);
		register_free(&r);
		if (rc)
			return rc;
		if (part < 1 || (size_t)part > n) {
			sheet_parts_free(parts, n);
			return am_fail(e, AM_USAGE, _("%s has %zu code(s): --part 1 to %zu"), id, n, n);
		}
		rc = halfblock(parts[part - 1], CODE2D_QR, (int)cols, (int)rows, &lines, &n_lines, e);
		if (!rc && c->json)
			data = json_string(parts[part - 1]);
		sheet_parts_free(parts, n);
		if (rc)
			return rc;
	}
	if (c->json) {	/* one document: the id, which part, the data and the drawn lines */
		json_t *arr = json_array();
		for (int i = 0; i < n_lines; i++)
			json_array_append_new(arr, json_string(lines[i]));
		cli_json_out(json_pack("{s:s, s:I, s:I, s:o, s:o}", "id", id, "part", (json_int_t)part, "parts",
				       (json_int_t)n, "data", data ? data : json_string(text), "lines", arr));
	} else {
		for (int i = 0; i < n_lines; i++)
			printf("%s\n", lines[i]);
	}
	halfblock_free(lines, n_lines);
	return 0;
}

int cmd_register_import_scan(struct cli *c, int argc, char **argv, struct am_error *e)
{
	struct sheet_assembly a;
	struct reg r = { 0 };	/* (cppcheck: filled by the decode) */
	int rc = 0;
	if (argc < 2)
		return am_fail(e, AM_USAGE, "usage: amanat register import-scan CODE...");
	memset(&a, 0, sizeof a);
	for (int i = 1; i < argc && !rc; i++)
		rc = sheet_assembly_add(&a, argv[i], e);
	if (!rc)
		rc = sheet_assembly_decode(&a, c->app.rules.offset_min, &r, e);
	if (!rc && (rc = register_check(&r, &c->app.rules.waybill, e)))
		register_free(&r);	/* the same checks as a file import */
	if (!rc) {
		struct event_ctx ctx = app_ctx(&c->app);
		rc = store_register_import(c->app.store, &r, &ctx, e);
		if (!rc) {
			if (c->json)
				cli_json_out(json_pack("{s:s, s:s, s:I, s:i}", "register", r.id, "kind",
						       register_kind_name(r.kind), "lines", (json_int_t)r.n_lines,
						       "codes", a.total));
			else
				printf(_("register %s (%s) loaded from %d code(s): %zu envelopes\n"), r.id,
				       register_kind_name(r.kind), a.total, r.n_lines);
		}
		register_free(&r);
	}
	sheet_assembly_free(&a);
	return rc;
}

const struct cli_command cmd_label = {
	.name = "label", .usage = "WAYBILL -o FILE.{png,svg,zpl} [--size 58x40|100x60] [--dpi 203|300]",
	.help = "a waybill label: Code 128, the waybill, postomat and city, register (a bad check digit is never printed)",
	.flags = CLI_NEEDS_STORE, .exec = label_exec,
};
const struct cli_command cmd_sheet = {
	.name = "sheet", .usage = "REGISTER|ACT -o FILE [--code qr|datamatrix]",
	.help = "a register sheet (text) with 2D codes that carry the whole register (FILE-1.png ...), or an act's sheet",
	.flags = CLI_NEEDS_STORE, .exec = sheet_exec,
};
const struct cli_command cmd_print = {
	.name = "print", .usage = "label WAYBILL | sheet REGISTER|ACT | act ACT [--reason TEXT]",
	.help = "print through CUPS (print.printer) or a raw device (print.device); a reprint needs --reason; every print is an event",
	.flags = CLI_NEEDS_STORE, .exec = print_exec,
};
const struct cli_command cmd_code = {
	.name = "code", .usage = "REGISTER|ACT [--id] [--part K] [--cols N --rows N]",
	.help = "draw a register's (or an act's) 2D code on the terminal with half blocks",
	.flags = CLI_NEEDS_STORE, .exec = code_exec,
};
