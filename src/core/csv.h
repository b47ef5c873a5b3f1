/*
 * csv.h - the CSV reader (RFC 4180: quotes, doubled quotes, CRLF or LF) of
 * core's file parsers: register files (register.c) and the sorting
 * sector's applications list (orders.c).  Internal to src/core.
 */
#ifndef AMANAT_CORE_CSV_H
#define AMANAT_CORE_CSV_H

#include <stddef.h>

#define CSV_MAX_COLS 16

struct csv {
	const char *p, *end;
	size_t line;
	int nul_col;		/* the first column of the record holding a NUL byte, -1: none */
};

/* Read one record into cols (each malloc'd); returns the column count, 0 at
 * the end, -1 on a malformed record. */
int csv_record(struct csv *c, char **cols, int max);
void csv_free(char **cols, int n);

#endif
