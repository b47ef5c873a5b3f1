/*
 * screen_print.h - printing from any screen where a document exists: acts
 * (a loss in two copies), register sheets (the acceptance register -ACC,
 * return registers) with their codes, waybill labels, the shift report.
 * To the configured printer (print.device or print.printer); a reprint
 * needs a reason; every print is a `printed` event, as in the CLI.
 */
#ifndef AMANAT_SCREEN_PRINT_H
#define AMANAT_SCREEN_PRINT_H

#include <stdbool.h>
#include "ui_internal.h"

enum print_doc { PRINT_ACT, PRINT_REGISTER, PRINT_LABEL, PRINT_REPORT };

/* Printed before (a `printed` event names it)? */
bool ui_printed_before(struct ui *u, enum print_doc doc, const char *id);
/* Print it.  AM_REFUSED asking for a reason when it was printed before and
 * reason is NULL or empty.  path: the file, for PRINT_REPORT. */
int ui_print(struct ui *u, enum print_doc doc, const char *id, const char *path, const char *reason,
	     struct am_error *e);

/* A register's sheet (labels false) or a label for each of its envelopes,
 * with what happened said on the screen.  false when something was printed
 * before and reason is NULL: the caller asks the reason and calls again. */
bool ui_print_register(struct ui *u, const char *reg_id, bool labels, const char *reason);

#endif
