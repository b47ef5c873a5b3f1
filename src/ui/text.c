/*
 * text.c - human text on the screen, measured in characters and display
 * columns (wcwidth), never in bytes: a line is cut or wrapped only between
 * characters, and a word is cut only when no wrap or shorter text exists.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include "ui_internal.h"

/* s as wide characters (malloc'd; *n gets the count). A text cut inside a
 * letter by a byte buffer somewhere keeps every whole letter before the cut
 * (the broken tail is dropped), and a stray bad byte shows as U+FFFD: the
 * line is never lost whole. NULL only when memory runs out. */
static wchar_t *widen(const char *s, size_t *n)
{
	size_t left = strlen(s), k = 0;
	wchar_t *w = malloc((left + 1) * sizeof *w);
	if (!w)
		return NULL;
	mbstate_t st;
	memset(&st, 0, sizeof st);
	while (left) {
		size_t r = mbrtowc(&w[k], s, left, &st);
		if (r == (size_t)-2)
			break;			/* cut inside the last letter */
		if (r == (size_t)-1) {
			w[k++] = L'\uFFFD';
			memset(&st, 0, sizeof st);
			r = 1;
		} else {
			k++;
		}
		s += r;
		left -= r;
	}
	w[k] = L'\0';
	*n = k;
	return w;
}

/* The screen-fit check (tests/e2e/tui_fit.sh): with AMANAT_FIT_LOG set,
 * every text cut inside a word is written there, with the room it had. */
void ui_fit_report(const char *what, const char *s, int width)
{
	static FILE *log;
	static bool tried;
	if (!tried) {
		const char *path = getenv("AMANAT_FIT_LOG");
		tried = true;
		log = path && *path ? fopen(path, "a") : NULL;
	}
	if (log) {
		fprintf(log, "%s in %d columns: %s\n", what, width, s);
		fflush(log);
	}
}

static int cw(wchar_t c)
{
	int w = wcwidth(c);
	return w < 0 ? 1 : w;
}

int ui_width(const char *s)
{
	size_t n;
	wchar_t *w = widen(s, &n);
	if (!w)
		return (int)strlen(s);
	int cols = 0;
	for (size_t i = 0; i < n; i++)
		cols += cw(w[i]);
	free(w);
	return cols;
}

/* How many characters of w[0..n) fit in width columns. */
static size_t fit(const wchar_t *w, size_t n, int width)
{
	int used = 0;
	size_t i;
	for (i = 0; i < n; i++) {
		if (used + cw(w[i]) > width)
			break;
		used += cw(w[i]);
	}
	return i;
}

/* Where a text too long for width ends, before its "…": at a word when one
 * fits, else at a character (told to the fit check); never inside a letter. */
static size_t cut_room(const wchar_t *w, size_t n, int width, const char *s)
{
	size_t room = fit(w, n, width - 1), cut = room;
	while (cut > 0 && w[cut] != L' ')
		cut--;
	if (cut > 0)
		room = cut;
	else
		ui_fit_report("cut inside a word", s, width);
	while (room > 0 && w[room - 1] == L' ')
		room--;
	return room;
}

/* w back in the locale's multibyte text, malloc'd (NULL: not
 * representable, or out of memory). */
static char *narrow(const wchar_t *w)
{
	size_t bytes = wcstombs(NULL, w, 0);
	char *out = bytes == (size_t)-1 ? NULL : malloc(bytes + 1);
	if (out)
		wcstombs(out, w, bytes + 1);
	return out;
}

char *ui_cut(const char *s, int width)
{
	size_t n;
	if (width < 1)
		return strdup("");
	wchar_t *w = widen(s, &n);
	if (!w)
		return NULL;
	if (fit(w, n, width) < n) {
		size_t room = cut_room(w, n, width, s);	/* < n: room for "…" and the end */
		w[room] = L'…';
		w[room + 1] = L'\0';
	}
	char *out = narrow(w);
	free(w);
	return out;
}

char *ui_cut_left(const char *s, int width)
{
	size_t n;
	if (width < 1)
		return strdup("");
	wchar_t *w = widen(s, &n);
	if (!w)
		return NULL;
	size_t start = 0;
	if (fit(w, n, width) < n) {
		int used = cw(L'…');
		start = n;
		while (start > 0 && used + cw(w[start - 1]) <= width)
			used += cw(w[--start]);
		if (start > 0)
			w[--start] = L'…';	/* the letter before the tail gives way */
	}
	char *out = narrow(w + start);
	free(w);
	return out;
}

void ui_text(int y, int x, int width, const char *s)
{
	size_t n;
	if (width <= 0)
		return;
	wchar_t *w = widen(s, &n);
	if (!w) {
		mvaddnstr(y, x, "?", width);
		return;
	}
	size_t k = fit(w, n, width);
	if (k < n) {
		size_t room = cut_room(w, n, width, s);
		mvaddnwstr(y, x, w, (int)room);
		addwstr(L"…");
	} else {
		mvaddnwstr(y, x, w, (int)k);
	}
	free(w);
}

void ui_textf(int y, int x, int width, const char *fmt, ...)
{
	char *s = NULL;
	va_list ap;
	va_start(ap, fmt);
	int n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0) {
		ui_text(y, x, width, "?");
		return;
	}
	ui_text(y, x, width, s);
	free(s);
}

bool ui_text_fits(const char *s, int width)
{
	return ui_width(s) <= width;
}

void ui_hline(int y, int cols)
{
	move(y, 0);
	for (int i = 0; i < cols; i++)
		addstr("─");
}

int ui_wrap(const char *s, int cols, struct wrapped *out)
{
	size_t n;
	memset(out, 0, sizeof *out);
	if (cols < 1)
		return 0;
	wchar_t *w = widen(s, &n);
	if (!w)
		return 0;
	size_t i = 0;
	while (i < n) {
		while (i < n && w[i] == L' ')
			i++;
		if (i >= n)
			break;
		size_t start = i, k = fit(w + i, n - i, cols), end = start + k;
		if (k == 0)
			end = start + 1;	/* a character wider than the line */
		if (end < n && w[end] != L' ') {
			size_t sp = end;	/* back to the last space: never cut a word */
			while (sp > start && w[sp] != L' ')
				sp--;
			size_t slash = end;	/* a path breaks after one of its slashes */
			while (slash > start + 1 && w[slash - 1] != L'/')
				slash--;
			if (sp > start) {
				end = sp;
			} else if (slash > start + 1) {
				end = slash;
			} else {
				out->cut_word = true;
				ui_fit_report("a word wider than the line", s, cols);
			}
		}
		size_t len = end - start;
		while (len && w[start + len - 1] == L' ')
			len--;
		wchar_t **grown = realloc(out->line, (size_t)(out->n + 1) * sizeof *grown);
		wchar_t *line = malloc((len + 1) * sizeof *line);	/* NOLINT(clang-analyzer-optin.portability.UnixAPI): len + 1 >= 1 */
		if (!grown || !line) {
			free(line);
			if (grown)
				out->line = grown;
			break;
		}
		out->line = grown;
		wmemcpy(line, w + start, len);
		line[len] = L'\0';
		out->line[out->n++] = line;
		i = end;
	}
	free(w);
	return out->n;
}

void ui_wrap_free(struct wrapped *w)
{
	for (int i = 0; i < w->n; i++)
		free(w->line[i]);
	free(w->line);
	memset(w, 0, sizeof *w);
}

int ui_draw_scrolled(int y, int x, int cols, int rows, const char *s, int *scroll)
{
	struct wrapped w;
	ui_wrap(s, cols, &w);
	if (*scroll > w.n - rows)
		*scroll = w.n - rows > 0 ? w.n - rows : 0;
	int i;
	for (i = 0; i < rows && *scroll + i < w.n; i++)
		mvaddwstr(y + i, x, w.line[*scroll + i]);
	if (*scroll + rows < w.n && rows > 0 && cols > 1)
		mvaddstr(y + rows - 1, x + cols - 1, "↓");	/* more below: the arrows scroll */
	ui_wrap_free(&w);
	return i;
}

int ui_say(int y, int x, int cols, int rows, const char *s)
{
	struct wrapped w;
	if (rows < 1)
		return 0;
	ui_wrap(s, cols, &w);
	int i;
	for (i = 0; i < w.n && i < rows - 1; i++)
		mvaddwstr(y + i, x, w.line[i]);
	if (i < w.n) {		/* the last row: its line, or all the rest cut at a word */
		size_t len = 0;
		for (int k = i; k < w.n; k++)
			len += wcslen(w.line[k]) + 1;
		wchar_t *rest = malloc((len + 1) * sizeof *rest);
		char *mb = NULL;
		if (rest) {
			rest[0] = L'\0';
			for (int k = i; k < w.n; k++) {
				if (k > i)
					wcscat(rest, L" ");
				wcscat(rest, w.line[k]);
			}
			mb = narrow(rest);
		}
		if (mb)
			ui_text(y + i, x, cols, mb);
		free(mb);
		free(rest);
		i++;
	}
	ui_wrap_free(&w);
	return i;
}

int ui_draw_wrapped(int y, int x, int cols, int rows, const char *s)
{
	struct wrapped w;
	ui_wrap(s, cols, &w);
	int i;
	for (i = 0; i < w.n && i < rows; i++)
		mvaddwstr(y + i, x, w.line[i]);
	if (w.n > rows && rows >= 0)
		ui_fit_report("lines beyond the area", s, cols);
	ui_wrap_free(&w);
	return i;
}
