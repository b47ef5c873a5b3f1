/*
 * screen_util.c - drawing helpers for the desk screens (see screen_util.h).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include "amanat/app.h"
#include "amanat/config.h"
#include "amanat/i18n.h"
#include "amanat/sync.h"
#include "amanat/text.h"
#include "amanat/timeutil.h"
#include "screen_util.h"

void su_count(size_t n, char *buf, size_t len)
{
	char digits[32];
	int nd = snprintf(digits, sizeof digits, "%zu", n);
	size_t o = 0;
	for (int i = 0; i < nd && o + 2 < len; i++) {
		if (i && (nd - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o < len ? o : len - 1] = '\0';
}

void su_span(int64_t ms, char *buf, size_t len)
{
	if (ms < 0)
		ms = -ms;
	if (ms < 1000 * MS_PER_HOUR)	/* "+999:59" is as wide as the column */
		duration_format(ms, buf, len);
	else
		snprintf(buf, len, _("%lldd"), (long long)(ms / (24 * MS_PER_HOUR)));
}

void su_right(int y, int x, int width, const char *s)
{
	int w = ui_width(s);
	if (w > width)
		w = width;
	ui_text(y, x + width - w, w, s);
}

void su_position(size_t first, size_t shown, size_t total, char *buf, size_t len)
{
	if (total <= shown && first == 0) {
		buf[0] = '\0';
		return;
	}
	size_t last = first + shown < total ? first + shown : total;
	snprintf(buf, len, "%s%zu–%zu / %zu%s", first > 0 ? "▲ " : "", total ? first + 1 : 0, last, total,
		 last < total ? " ▼" : "");
}

size_t su_clamp(long first, size_t total, size_t page)
{
	long max = total > page ? (long)(total - page) : 0;
	if (first > max)
		first = max;
	return first < 0 ? 0 : (size_t)first;
}

bool su_scroll(int key, long *first, size_t page)
{
	long p = page > 1 ? (long)page - 1 : 1;
	switch (key) {
	case KEY_DOWN: *first += 1; return true;
	case KEY_UP: *first -= 1; return true;
	case KEY_NPAGE: *first += p; return true;
	case KEY_PPAGE: *first -= p; return true;
	case KEY_HOME: *first = 0; return true;
	}
	return false;
}

bool su_line_scroll(struct ui *u, int key, bool more)
{
	if (key == KEY_DOWN && more)
		u->scroll++;	/* a list that fits stays put */
	else if (key == KEY_UP && u->scroll > 0)
		u->scroll--;
	return key == KEY_DOWN || key == KEY_UP;
}

void su_arrows(int top, int bottom, int cols, bool above, bool below)
{
	if (cols <= 1)
		return;
	if (above && below && top == bottom)	/* a list of one row */
		mvaddstr(top, cols - 1, "↕");
	else if (above)
		mvaddstr(top, cols - 1, "↑");
	if (below && !(above && top == bottom))
		mvaddstr(bottom, cols - 1, "↓");
}

void su_blank(int y0, int y1)
{
	for (int y = y0; y < y1; y++) {
		move(y, 0);
		clrtoeol();
	}
}

void su_pad(char *buf, size_t len, const char *s, int width)
{
	size_t o = strlen(buf);
	if (o + 1 >= len)
		return;
	size_t n = text_fit(s, strlen(s), len - o - 1);
	memcpy(buf + o, s, n);
	buf[o + n] = '\0';
	o += n;
	for (int w = ui_width(buf + o - n); w < width && o + 1 < len; w++)
		buf[o++] = ' ';
	buf[o] = '\0';
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool ends_in(const char *name, const char *const *exts)
{
	const char *dot = strrchr(name, '.');
	for (int i = 0; dot && exts[i]; i++)
		if (!strcmp(dot, exts[i]))
			return true;
	return false;
}

char *su_path_fit(const char *path, int width)
{
	if (ui_width(path) <= width)
		return strdup(path);
	char *best = NULL;
	for (const char *p = path + strlen(path); p > path; p--) {
		if (p[-1] != '/' || !*p)
			continue;
		char *t = NULL;
		if (asprintf(&t, "…/%s", p) < 0)
			break;
		if (ui_width(t) > width) {
			free(t);
			break;
		}
		free(best);
		best = t;
	}
	return best ? best : ui_cut(path, width);
}

char *su_inbox_shown(struct ui *u, const char *dir)
{
	return su_path_fit(dir, u->layout == LAYOUT_HANDHELD ? 14 : 60);
}

void su_inbox_title(struct ui *u, int y, int cols)
{
	const char *dir = config_get(u->app->cfg, "register.inbox", "");
	int room = cols - (ui_width(_("Inbox: %s")) - 2);
	char *shown = su_path_fit(dir, room > 1 ? room : 1);
	ui_textf(y, 0, cols, _("Inbox: %s"), shown ? shown : "");
	free(shown);
}

int su_inbox_list(struct ui *u, const char *const *exts, char **files, int max, const char **dir)
{
	*dir = config_get(u->app->cfg, "register.inbox", NULL);
	if (!*dir || !**dir) {
		ui_fail(u, "%s", _("no inbox folder: set register.inbox in the config"));
		return -1;
	}
	DIR *d = opendir(*dir);
	if (!d) {
		char *shown = su_inbox_shown(u, *dir);
		ui_fail(u, _("the inbox folder %s cannot be read"), shown ? shown : *dir);
		free(shown);
		return -1;
	}
	int n = 0;
	struct dirent *de;
	while ((de = readdir(d)) && n < max) {
		struct stat st;	/* a folder named x.json is not a register */
		if (de->d_name[0] == '.' || !ends_in(de->d_name, exts) ||
		    fstatat(dirfd(d), de->d_name, &st, 0) != 0 || !S_ISREG(st.st_mode))
			continue;
		if (!(files[n] = strdup(de->d_name)))
			break;
		n++;
	}
	closedir(d);
	qsort(files, (size_t)n, sizeof files[0], by_name);
	return n;
}

void su_sync_now(struct ui *u)
{
	if (!u->sync) {
		ui_fail(u, "%s", _("no upstream configured: set sync.url in the config"));
		return;
	}
	sync_kick(u->sync);
	ui_note(u, "%s", _("sync started"));
}

int su_append(char **line, const char *s, int width)
{
	size_t o = *line ? strlen(*line) : 0, n = strlen(s);
	int w = ui_width(s), pad = w < width ? width - w : 0;
	char *grown = realloc(*line, o + n + (size_t)pad + 1);
	if (!grown)
		return -1;
	memcpy(grown + o, s, n);
	memset(grown + o + n, ' ', (size_t)pad);
	grown[o + n + (size_t)pad] = '\0';
	*line = grown;
	return 0;
}

char *su_state_text(struct ui *u, const struct envelope *v)
{
	struct staff st;
	struct am_error e;
	char *s = NULL;
	int rc;
	if (v->state == ST_OUT_FOR_DELIVERY && v->courier[0]) {
		if (store_staff_get(u->store, v->courier, &st, &e) == 0)
			rc = asprintf(&s, "%s: %s (%s)", state_label(v->state), st.name, v->courier);
		else
			rc = asprintf(&s, "%s: %s", state_label(v->state), v->courier);
	} else {
		rc = asprintf(&s, "%s%s", state_label(v->state), v->damaged ? " ⚠" : "");
	}
	return rc < 0 ? NULL : s;
}

char *su_route_progress(struct ui *u, const char *postomat, bool placing, bool narrow)
{
	struct route_progress p;
	struct am_error e;
	int64_t day = 86400000LL, off = u->app->rules.offset_min * 60000LL;
	int64_t midnight = (now_ms() + off) / day * day - off;	/* the route is the day's */
	if (store_route_progress(u->store, u->user.badge, postomat, midnight, &p, &e))
		return NULL;
	size_t here = p.left_here + p.done_here, all = p.left + p.done;
	if (!all)
		return NULL;
	/* placing: the envelope in hand is the next one */
	size_t at = p.done_here + (placing && p.left_here ? 1 : 0), on = p.done + (placing && p.left ? 1 : 0);
	char *s = NULL;
	int rc;
	if (postomat && here && narrow)
		rc = asprintf(&s, _("Envelope %zu of %zu"), at, here);
	else if (postomat && here)
		rc = asprintf(&s, _("Envelope %zu of %zu · route %zu of %zu"), at, here, on, all);
	else
		rc = asprintf(&s, _("Route: %zu of %zu placed"), p.done, all);
	return rc < 0 ? NULL : s;
}

void su_ask_enter(struct ui *u, const char *wide_fmt, const char *arg)
{
	if (u->cols < 40)
		ui_note(u, "%s", _("Enter again: record it. Esc: cancel."));
	else
		ui_note(u, wide_fmt, arg);
}
