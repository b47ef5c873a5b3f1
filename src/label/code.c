/*
 * code.c - barcodes through libzint: files (PNG, SVG by the file's name),
 * the waybill label in PNG, SVG and ZPL, and 2D codes as half blocks.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zint.h>
#include "amanat/file.h"
#include "amanat/i18n.h"
#include "amanat/label.h"

int label_size_parse(const char *size, int dpi, struct label_size *out)
{
	if (!strcmp(size, "58x40")) {
		out->width_mm = 58;
		out->height_mm = 40;
	} else if (!strcmp(size, "100x60")) {
		out->width_mm = 100;
		out->height_mm = 60;
	} else {
		return -1;
	}
	if (dpi != 203 && dpi != 300)
		return -1;
	out->dpi = dpi;
	return 0;
}

static const char *ext(const char *path)
{
	const char *dot = strrchr(path, '.');
	return dot ? dot + 1 : "";
}

/* Text beyond ASCII goes in as UTF-8 with ECI 26, so that every decoder
 * gives back the same bytes (zint would otherwise pick ISO-8859-5 for
 * Russian and UTF-8 only for Kazakh letters). */
static int utf8_eci(const char *data)
{
	for (const unsigned char *p = (const unsigned char *)data; *p; p++)
		if (*p >= 0x80)
			return 26;
	return 0;
}

/* A QR or DataMatrix symbol for data; ecc is QR's error correction level. */
static struct zint_symbol *new_2d(enum code2d kind, const char *data, int ecc)
{
	struct zint_symbol *z = ZBarcode_Create();
	if (!z)
		return NULL;
	z->symbology = kind == CODE2D_QR ? BARCODE_QRCODE : BARCODE_DATAMATRIX;
	z->input_mode = UNICODE_MODE;
	z->eci = utf8_eci(data);
	if (kind == CODE2D_QR)
		z->option_1 = ecc;
	return z;
}

static int zint_fail(struct zint_symbol *z, int rc, struct am_error *e)
{
	int status = am_fail(e, AM_ENV, _("barcode: %s"), z->errtxt[0] ? z->errtxt : "failed");
	(void)rc;
	ZBarcode_Delete(z);
	return status;
}

int code2d_file(const char *data, enum code2d kind, const char *path, struct am_error *e)
{
	struct zint_symbol *z = new_2d(kind, data, 2);	/* QR error correction M: paper wears */
	if (!z)
		return am_fail(e, AM_ENV, _("out of memory"));
	z->output_options |= BARCODE_QUIET_ZONES;
	z->scale = 4;
	snprintf(z->outfile, sizeof z->outfile, "%s", path);
	if (file_precreate(path)) {
		ZBarcode_Delete(z);
		return am_fail(e, AM_ENV, _("cannot write %s: %s"), path, strerror(errno));
	}
	int rc = ZBarcode_Encode_and_Print(z, (const unsigned char *)data, (int)strlen(data), 0);
	if (rc >= ZINT_ERROR)
		return zint_fail(z, rc, e);
	ZBarcode_Delete(z);
	return 0;
}

static int code128(struct zint_symbol **out, float scale, struct am_error *e)
{
	struct zint_symbol *z = ZBarcode_Create();
	if (!z) {
		am_fail(e, AM_ENV, _("out of memory"));
		return AM_ENV;	/* (not am_fail's value: the analyzer then knows *out is set on 0) */
	}
	z->symbology = BARCODE_CODE128;
	z->input_mode = DATA_MODE;
	z->output_options |= BARCODE_QUIET_ZONES;
	z->scale = scale;
	z->height = 50;
	*out = z;
	return 0;
}

/* SVG: the bars from zint's vector output, the texts laid out here. */
static int label_svg(const struct label_info *l, const struct label_size *size, const char *path,
		     struct am_error *e)
{
	struct zint_symbol *z;
	int rc = code128(&z, 1, e);
	if (rc)
		return rc;
	rc = ZBarcode_Encode_and_Buffer_Vector(z, (const unsigned char *)l->waybill, (int)strlen(l->waybill), 0);
	if (rc >= ZINT_ERROR)
		return zint_fail(z, rc, e);
	FILE *f = file_create(path);
	if (!f) {
		ZBarcode_Delete(z);
		return am_fail(e, AM_ENV, _("cannot write %s"), path);
	}
	float w = (float)size->width_mm, h = (float)size->height_mm;
	float sx = (w - 6) / z->vector->width;	/* the code fills the width, 3 mm margins */
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%gmm\" height=\"%gmm\" viewBox=\"0 0 %g %g\">\n"
		"<rect width=\"%g\" height=\"%g\" fill=\"#fff\"/>\n<g transform=\"translate(3 2) scale(%g %g)\">\n",
		w, h, w, h, w, h, sx, sx);
	for (struct zint_vector_rect *r = z->vector->rectangles; r; r = r->next)
		fprintf(f, "<rect x=\"%g\" y=\"%g\" width=\"%g\" height=\"%g\" fill=\"#000\"/>\n", r->x, r->y,
			r->width, r->height);
	fprintf(f, "</g>\n");
	float y = 2 + z->vector->height * sx + 5;
	const char *lines[3] = { l->waybill, NULL, NULL };
	char second[300], third[100];
	snprintf(second, sizeof second, "%s %s", l->postomat, l->city);
	snprintf(third, sizeof third, "%s %s", _("register"), l->register_id);
	lines[1] = second;
	lines[2] = third;
	for (int i = 0; i < 3; i++) {
		fprintf(f, "<text x=\"3\" y=\"%g\" font-family=\"DejaVu Sans, sans-serif\" font-size=\"%g\">",
			y + 5.0f * (float)i, i == 0 ? 4.5 : 3.5);
		for (const char *p = lines[i]; *p; p++) {	/* escape for XML */
			if (*p == '<') fputs("&lt;", f);
			else if (*p == '&') fputs("&amp;", f);
			else if (*p == '>') fputs("&gt;", f);
			else fputc(*p, f);
		}
		fputs("</text>\n", f);
	}
	fputs("</svg>\n", f);
	int bad = ferror(f);
	bad |= fclose(f);
	ZBarcode_Delete(z);
	return bad ? am_fail(e, AM_ENV, _("cannot write %s"), path) : 0;
}

/* Text from a register (a city, a postomat) as ZPL field data: '^' and '~'
 * start commands, so a city with a caret ended the label's field and sent
 * its own commands to the printer (a black box, ~JR: reset).  With ^FH the
 * two and the hex indicator '_' itself go as _5E, _7E, _5F. */
static void zpl_text(const char *s, char *out, size_t len)
{
	size_t o = 0;
	for (; *s && o + 4 <= len; s++) {
		if (*s == '^' || *s == '~' || *s == '_')
			o += (size_t)snprintf(out + o, len - o, "_%02X", (unsigned char)*s);
		else
			out[o++] = *s;
	}
	out[o] = '\0';
}

int label_zpl(const struct label_info *l, const struct label_size *size, char *buf, size_t len)
{
	char postomat[3 * sizeof l->postomat], city[3 * sizeof l->city], reg[3 * sizeof l->register_id];
	zpl_text(l->postomat, postomat, sizeof postomat);
	zpl_text(l->city, city, sizeof city);
	zpl_text(l->register_id, reg, sizeof reg);
	double dpmm = size->dpi / 25.4;
	int w = (int)(size->width_mm * dpmm), h = (int)(size->height_mm * dpmm);
	int m = (int)(3 * dpmm), bar = (int)(size->height_mm * dpmm * 0.38);
	int module = size->dpi >= 300 ? 3 : 2, font = (int)(3.5 * dpmm);
	/* ^CI28: the printer reads the texts as UTF-8 (Cyrillic and Kazakh). */
	return snprintf(buf, len,
			"^XA\n^CI28\n^PW%d\n^LL%d\n"
			"^FO%d,%d^BY%d^BCN,%d,Y,N,N^FD%s^FS\n"
			"^FO%d,%d^A0N,%d,%d^FH^FD%s %s^FS\n"
			"^FO%d,%d^A0N,%d,%d^FH^FD%s %s^FS\n"
			"^FO%d,%d^BXN,%d,200^FD%s^FS\n"
			"^XZ\n",
			w, h, m, m, module, bar, l->waybill,
			m, m + bar + font + m, font, font, postomat, city,
			m, m + bar + 2 * font + 2 * m, font * 4 / 5, font * 4 / 5, _("register"), reg,
			w - m - 14 * module * 3, h - m - 14 * module * 3, module * 2, l->waybill);
}

int label_waybill(const struct label_info *l, const struct label_size *size, const char *path,
		  struct am_error *e)
{
	const char *x = ext(path);
	if (!strcmp(x, "svg"))
		return label_svg(l, size, path, e);
	if (!strcmp(x, "zpl")) {
		char buf[2048];
		label_zpl(l, size, buf, sizeof buf);
		FILE *f = file_create(path);
		if (!f || fputs(buf, f) < 0 || fclose(f))
			return am_fail(e, AM_ENV, _("cannot write %s"), path);
		return 0;
	}
	if (strcmp(x, "png"))
		return am_fail(e, AM_USAGE, _("a label is written as .png, .svg or .zpl"));
	/* PNG: zint draws the code and the waybill under it, at the label's
	 * resolution (one module = 2 dots at 203 dpi, 3 at 300). */
	struct zint_symbol *z;
	int rc = code128(&z, size->dpi >= 300 ? 1.5f : 1.0f, e);
	if (rc)
		return rc;
	snprintf(z->outfile, sizeof z->outfile, "%s", path);
	if (file_precreate(path)) {
		ZBarcode_Delete(z);
		return am_fail(e, AM_ENV, _("cannot write %s: %s"), path, strerror(errno));
	}
	rc = ZBarcode_Encode_and_Print(z, (const unsigned char *)l->waybill, (int)strlen(l->waybill), 0);
	if (rc >= ZINT_ERROR)
		return zint_fail(z, rc, e);
	ZBarcode_Delete(z);
	return 0;
}

/* ---- half blocks -------------------------------------------------------- */

int halfblock(const char *data, enum code2d kind, int max_cols, int max_rows, char ***lines,
	      int *n_lines, struct am_error *e)
{
	struct zint_symbol *z = new_2d(kind, data, 1);	/* QR error correction L: smallest on screen */
	if (!z)
		return am_fail(e, AM_ENV, _("out of memory"));
	int rc = ZBarcode_Encode(z, (const unsigned char *)data, (int)strlen(data));
	if (rc >= ZINT_ERROR)
		return zint_fail(z, rc, e);
	int quiet = kind == CODE2D_QR ? 4 : 2;
	int w = z->width + 2 * quiet, h = z->rows + 2 * quiet;
	int rows = (h + 1) / 2;
	if (w > max_cols || rows > max_rows) {
		ZBarcode_Delete(z);
		return am_fail(e, AM_REFUSED, _("the code needs %dx%d characters, the screen has %dx%d: enlarge the terminal"),
			       w, rows, max_cols, max_rows);
	}
	char **out = calloc((size_t)rows, sizeof *out);
	if (!out) {
		ZBarcode_Delete(z);
		return am_fail(e, AM_ENV, _("out of memory"));
	}
	for (int r = 0; r < rows; r++) {
		out[r] = malloc((size_t)w * 3 + 1);
		if (!out[r]) {
			halfblock_free(out, r);
			ZBarcode_Delete(z);
			return am_fail(e, AM_ENV, _("out of memory"));
		}
		char *p = out[r];
		for (int c = 0; c < w; c++) {
			/* a dark module is drawn as the terminal's foreground: light
			 * text on a dark screen reads inverted, so the cells are chosen
			 * so that "dark" is a space and "light" is a block */
			int top = 0, bottom = 0;
			int y0 = 2 * r - quiet, y1 = 2 * r + 1 - quiet, x = c - quiet;
			if (x >= 0 && x < z->width) {
				if (y0 >= 0 && y0 < z->rows)
					top = (z->encoded_data[y0][x >> 3] >> (x & 7)) & 1;
				if (y1 >= 0 && y1 < z->rows)
					bottom = (z->encoded_data[y1][x >> 3] >> (x & 7)) & 1;
			}
			const char *cell = top && bottom ? " " : top ? "▄" : bottom ? "▀" : "█";
			size_t n = strlen(cell);
			memcpy(p, cell, n);
			p += n;
		}
		*p = '\0';
	}
	ZBarcode_Delete(z);
	*lines = out;
	*n_lines = rows;
	return 0;
}

void halfblock_free(char **lines, int n)
{
	for (int i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}
