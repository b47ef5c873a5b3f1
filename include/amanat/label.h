/*
 * label.h - what amanat puts on paper and on screen with libzint: waybill
 * labels (PNG, SVG, ZPL), register and act sheets whose 2D codes carry the
 * whole register (so a register loads offline by scanning its sheet), and
 * 2D codes drawn in a terminal with half blocks.
 *
 * The sheet code format (docs/sheet-code.md):
 *   part:    AMR1:<register id>:<k>/<n>:<crc32 of the payload, 8 hex>:<chunk>
 *   payload: records ended by '~': a header "id|kind|from|to|formed_at_ms~"
 *            then one per envelope "waybill|application|postomat|city|~"
 *            (the IIN is left out: anyone can scan a sheet); '%', '|', '~'
 *            and line breaks inside fields are written %25, %7C, %7E, %0A.
 *            One line of printable UTF-8: it survives any scanner.
 */
#ifndef AMANAT_LABEL_H
#define AMANAT_LABEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "amanat/error.h"
#include "amanat/register.h"

enum code2d { CODE2D_QR, CODE2D_DATAMATRIX };

struct label_info {
	char waybill[32];
	char postomat[128];
	char city[128];
	char register_id[64];
};

struct label_size {
	int width_mm, height_mm, dpi;
};

/* "58x40" / "100x60" and 203 / 300; -1 when not one of those. */
int label_size_parse(const char *size, int dpi, struct label_size *out);

/* A waybill label; the format comes from the file name: .png, .svg, .zpl. */
int label_waybill(const struct label_info *l, const struct label_size *size, const char *path,
		  struct am_error *e);
/* The same label in ZPL, into buf (for a printer). */
int label_zpl(const struct label_info *l, const struct label_size *size, char *buf, size_t len);

/* A 2D code as a PNG or SVG file (quiet zones included). */
int code2d_file(const char *data, enum code2d kind, const char *path, struct am_error *e);

/* ---- the register in codes --------------------------------------------- */
#define SHEET_PART_MAX 600	/* payload bytes per code: scannable from paper */

/* Split the register into parts; *parts is malloc'd strings. */
int sheet_encode(const struct reg *r, size_t max_chunk, char ***parts, size_t *n, struct am_error *e);
void sheet_parts_free(char **parts, size_t n);

struct sheet_assembly {
	char reg_id[64];
	uint32_t crc;
	int total, have;
	char **chunks;
};
/* Add one scanned part, in any order.  Refuses, saying so: a part scanned
 * twice, a part of another register, a damaged part. */
int sheet_assembly_add(struct sheet_assembly *a, const char *part, struct am_error *e);
bool sheet_assembly_complete(const struct sheet_assembly *a);
/* The register, checked against its CRC; then register_validate as usual. */
int sheet_assembly_decode(const struct sheet_assembly *a, int offset_min, struct reg *out,
			  struct am_error *e);
void sheet_assembly_free(struct sheet_assembly *a);
uint32_t crc32_text(const char *s, size_t n);

/* ---- on screen ---------------------------------------------------------- */
/* Draw a 2D code with half blocks (two modules per character cell) and a
 * quiet zone.  AM_REFUSED with the size needed when it does not fit. */
int halfblock(const char *data, enum code2d kind, int max_cols, int max_rows, char ***lines,
	      int *n_lines, struct am_error *e);
void halfblock_free(char **lines, int n);

/* ---- sheets and printing (print.c) -------------------------------------- */
struct store;
struct config;
/* Write a register sheet: PATH (plain UTF-8 text: header, one line per
 * envelope, signature lines) and PATH-k.png, one 2D code per part.  The
 * number of parts goes to n_parts. */
int sheet_write_register(struct store *s, const char *reg_id, const char *path, enum code2d kind,
			 int offset_min, size_t *n_parts, struct am_error *e);
/* An act's sheet: PATH (text, one copy per copies) and PATH-code.png with
 * "AMA1:<act id>". */
int sheet_write_act(struct store *s, const char *act_id, const char *path, int offset_min,
		    struct am_error *e);
/* The same in language lang ("kk", "ru", "en"; NULL: the current one), and a
 * Russian copy after it unless lang is Russian (the act goes to both sides). */
int sheet_write_act_lang(struct store *s, const char *act_id, const char *path, int offset_min,
			 const char *lang, struct am_error *e);
/* The act as people read it, one fact a line, in the current language: its
 * title (kind, id, time), reason, register, waybill, the side and the liable
 * worker of a loss, the counts and the envelopes missing, not on the
 * register and damaged.  The paper's copies and the Acts screen say the
 * same.  put gets each line (valid during the call). */
struct act_row;
void act_lines(const struct act_row *a, int offset_min, void (*put)(void *arg, const char *line), void *arg);
/* Send a file to the printer of the config: print.printer through
 * `lp -d PRINTER`, or the raw bytes to print.device. */
int print_file(const struct config *cfg, const char *path, struct am_error *e);

#endif
