/*
 * layout.h - keyboard layouts a wedge scanner may type under.
 *
 * A keyboard-wedge scanner presses the keys of the US layout; under the
 * Kazakh or Russian layout the same keys give other characters (under
 * Kazakh the digits 1, 6, 7 arrive as " , . and 2-5, 8-0 as Kazakh
 * letters).  The tables come from xkb-data (tools/gen-layouts.py); these
 * functions map a code back, or forward (what a scan would look like).
 */
#ifndef AMANAT_LAYOUT_H
#define AMANAT_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

enum kb_layout { KB_US, KB_KZ, KB_RU, KB__COUNT };

/* What the scanner meant, had it typed in under layout l (caps: with Caps
 * Lock on).  Writes at most outlen-1 bytes, always terminated; returns the
 * number of characters that changed. */
size_t layout_unmap(enum kb_layout l, bool caps, const char *in, char *out, size_t outlen);
/* What a scan of the US text arrives as under layout l (for tests and the
 * demo).  -1 when a character cannot be typed under l. */
int layout_map(enum kb_layout l, const char *us, char *out, size_t outlen);
const char *layout_name(enum kb_layout l);

#endif
