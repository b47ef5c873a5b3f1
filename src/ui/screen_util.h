/*
 * screen_util.h - small drawing helpers shared by the desk screens of
 * issue 11 (shift, supervisor's desk, registers, printing): numbers with
 * thousands separators, right-aligned cells, a scroll position, and a
 * second press that confirms an irreversible step.
 */
#ifndef AMANAT_SCREEN_UTIL_H
#define AMANAT_SCREEN_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include "ui_internal.h"

/* An irreversible step asked first, recorded by Enter on the emptied
 * field, cancelled by Esc: on a desk the question wide_fmt says what (its
 * %s the arg), on a handheld the short "Enter again: record it" (the
 * form's lines above say what, and 20 columns hold no more). */
void su_ask_enter(struct ui *u, const char *wide_fmt, const char *arg) __attribute__((format(printf, 2, 0)));

/* 1000500 -> "1,000,500" */
void su_count(size_t n, char *buf, size_t len);
/* A time span as the shift screen shows it: "143:05" below 1,000 hours, whole
 * days above ("250к": a breach months old is not read as 6023 hours). */
void su_span(int64_t ms, char *buf, size_t len);
/* Text right-aligned in the width columns ending at x + width. */
void su_right(int y, int x, int width, const char *s);
/* "13–20 / 45 ▼": the rows shown of a list, with arrows when more lie
 * above or below; "" when everything fits. */
void su_position(size_t first, size_t shown, size_t total, char *buf, size_t len);
/* Keep a list's first row in range for total rows and page rows. */
size_t su_clamp(long first, size_t total, size_t page);
/* Scroll keys: arrows one row, PgUp/PgDn (and F3 as a page key) a page,
 * Home the top.  Returns true when key was a scroll key. */
bool su_scroll(int key, long *first, size_t page);

/* A list scrolled a line at a time (u->scroll: its first line shown):
 * Down only while the last drawing left lines below (more), Up to the
 * top; true when key was one of them.  su_arrows marks the list's last
 * column where more is above (row top) and below (row bottom); su_blank
 * clears rows y0 to y1 - 1 before a list is drawn again. */
bool su_line_scroll(struct ui *u, int key, bool more);
void su_arrows(int top, int bottom, int cols, bool above, bool below);
void su_blank(int y0, int y1);

/* Append s to buf padded with spaces to width display columns (labels are
 * Cyrillic: printf's %-20s pads bytes, not columns).  What does not fit in
 * len is left off whole characters at a time, never half a letter; prefer
 * su_append, which grows the line instead. */
void su_pad(char *buf, size_t len, const char *s, int width);
/* Append s to *line (malloc'd, grown as needed; *line may be NULL) padded
 * with spaces to width display columns.  0, or -1 when memory ran out. */
int su_append(char **line, const char *s, int width);

/* An envelope's state for people (malloc'd, NULL when memory is out);
 * "with a courier: Дәурен К. (COURIER-1)" names who holds it. */
char *su_state_text(struct ui *u, const struct envelope *v);

/* "Envelope 2 of 5 · route 7 of 12": the courier's progress at a postomat
 * (placing: an envelope is in hand) and on the day's route ("Envelope 2 of 5"
 * alone when narrow); malloc'd, NULL when there is none. */
char *su_route_progress(struct ui *u, const char *postomat, bool placing, bool narrow);

/* The file names in the configured inbox folder (register.inbox) ending in
 * one of exts (NULL-terminated), sorted, at most max, each malloc'd into
 * files.  Returns how many, or -1 after saying why on the screen (no folder
 * set, or it cannot be read); *dir gets the folder. */
/* A path in width columns (malloc'd): whole, or "…/" and as many of its last
 * folder names as fit (a path does not wrap at words). */
char *su_path_fit(const char *path, int width);
/* "Inbox: …/usb/inbox" on row y, in cols columns. */
void su_inbox_title(struct ui *u, int y, int cols);
/* The inbox folder dir as a message names it (malloc'd; NULL when memory
 * is out): a handheld names its last folders only. */
char *su_inbox_shown(struct ui *u, const char *dir);
int su_inbox_list(struct ui *u, const char *const *exts, char **files, int max, const char **dir);
/* F6: a sync now, or why not. */
void su_sync_now(struct ui *u);

#endif
