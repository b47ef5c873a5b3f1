/*
 * screen_util.c - drawing helpers for the desk screens (see screen_util.h).
 */
#include <stdio.h>
#include <string.h>
#include "amanat/i18n.h"
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

void su_pad(char *buf, size_t len, const char *s, int width)
{
	size_t o = strlen(buf);
	int w = ui_width(s);
	snprintf(buf + o, len - o, "%s", s);
	o = strlen(buf);
	for (; w < width && o + 1 < len; w++)
		buf[o++] = ' ';
	buf[o] = '\0';
}

void su_state_text(struct ui *u, const struct envelope *v, char *buf, size_t len)
{
	struct staff st;
	struct am_error e;
	if (v->state == ST_OUT_FOR_DELIVERY && v->courier[0]) {
		if (store_staff_get(u->store, v->courier, &st, &e) == 0)
			snprintf(buf, len, "%s: %s (%s)", state_label(v->state), st.name, v->courier);
		else
			snprintf(buf, len, "%s: %s", state_label(v->state), v->courier);
	} else {
		snprintf(buf, len, "%s%s", state_label(v->state), v->damaged ? " ⚠" : "");
	}
}

void su_route_progress(struct ui *u, const char *postomat, bool placing, bool narrow, char *buf, size_t len)
{
	struct route_progress p;
	struct am_error e;
	int64_t day = 86400000LL, off = u->app->rules.offset_min * 60000LL;
	int64_t midnight = (now_ms() + off) / day * day - off;	/* the route is the day's */
	buf[0] = '\0';
	if (store_route_progress(u->store, u->user.badge, postomat, midnight, &p, &e))
		return;
	size_t here = p.left_here + p.done_here, all = p.left + p.done;
	if (!all)
		return;
	/* placing: the envelope in hand is the next one */
	size_t at = p.done_here + (placing && p.left_here ? 1 : 0), on = p.done + (placing && p.left ? 1 : 0);
	if (postomat && here && narrow)
		snprintf(buf, len, _("Envelope %zu of %zu"), at, here);
	else if (postomat && here)
		snprintf(buf, len, _("Envelope %zu of %zu · route %zu of %zu"), at, here, on, all);
	else
		snprintf(buf, len, _("Route: %zu of %zu placed"), p.done, all);
}
