/*
 * screen_point.h - the whole point from the hub on the supervisor's shift
 * screen (screen_point.c): the hook screen_super.c calls.
 */
#ifndef AMANAT_SCREEN_POINT_H
#define AMANAT_SCREEN_POINT_H

#include <stdbool.h>
#include <stddef.h>
#include "amanat/shift.h"
#include "ui_internal.h"

/* Entering the screen: ask the hub, waiting for it 1.5 s at most. */
void point_view_enter(struct ui *u);
/* The hub's counts by state over this terminal's (true), or nothing
 * (false) when the hub's latest answer is not there. */
bool point_view_states(struct ui *u, struct shift_states *st);
/* Whose figures the screen shows, wrapped in rows x cols at (y, x):
 * "whole point (hub, 14:05) · devices: 3 · conflicts: 1 · …" or "this
 * terminal only: hub not reachable". */
void point_view_draw(struct ui *u, int y, int x, int cols, int rows);
/* The same, short (malloc'd; NULL: no memory), for a handheld's title:
 * "hub 14:05" or "local". */
char *point_view_short(struct ui *u);

#endif
