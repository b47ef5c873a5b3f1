/*
 * report.h - the shift report: counts by state and by person, every open
 * deadline (breached ones marked), acts and the outbox, as text and CSV.
 * Written by the supervisor's "close shift" and by `amanat report shift`.
 */
#ifndef AMANAT_REPORT_H
#define AMANAT_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include "amanat/app.h"

/* Write <dir>/shift-<date>-<time>.txt and .csv; the paths go to txt and csv.
 * since_ms <= 0: the point's shift (since its last close). */
int report_shift(struct app *a, int64_t since_ms, const char *dir, char *txt, size_t txt_len,
		 char *csv, size_t csv_len, struct am_error *e);

#endif
