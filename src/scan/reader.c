/*
 * reader.c - bytes from a scanner into codes: the part every way in shares.
 *
 * A code ends with the suffix (CR, LF or CRLF, or a configured byte).  Bytes
 * that stop coming for longer than the inter-character timeout leave a
 * partial code, which is thrown away with a warning, never accepted half.
 * What is not printable ASCII or valid UTF-8, what is empty and what is
 * longer than the maximum becomes an error event; the garbage itself never
 * leaves this file.  AIM ids (]C1, ]d2, ]Q1 ...) are stripped and kept; the
 * same code again within the double-scan window is a duplicate, not a scan.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "amanat/i18n.h"
#include "amanat/scan.h"

void scan_settings_default(struct scan_settings *s)
{
	memset(s, 0, sizeof *s);
	s->suffix = '\r';
	s->any_eol = true;
	s->char_timeout_ms = 100;
	s->max_length = 64;
	s->double_scan_ms = 800;
}

/* A whole number from lo to hi, or the default when the key is absent; text
 * that is not a number is refused, not read as the default. */
static int config_int(const struct config *cfg, const char *key, long def, long lo, long hi,
		      int *out, struct am_error *e)
{
	const char *v = config_get(cfg, key, NULL);
	long n = def;
	if (v && *v) {
		char *end;
		errno = 0;
		n = strtol(v, &end, 10);
		if (*end || errno)
			n = lo - 1;
	}
	if (n < lo || n > hi)
		return am_fail(e, AM_ENV, _("config: %s must be a whole number from %ld to %ld"), key, lo, hi);
	*out = (int)n;
	return 0;
}

int scan_settings_from_config(struct scan_settings *s, const struct config *cfg, struct am_error *e)
{
	scan_settings_default(s);
	const char *suffix = config_get(cfg, "scanner.suffix", "crlf");
	if (!strcmp(suffix, "cr") || !strcmp(suffix, "lf") || !strcmp(suffix, "crlf")) {
		s->any_eol = true;
	} else if (!strncmp(suffix, "0x", 2) && strlen(suffix) == 4 && isxdigit((unsigned char)suffix[2])
		   && isxdigit((unsigned char)suffix[3])) {
		s->any_eol = false;
		s->suffix = (unsigned char)strtol(suffix + 2, NULL, 16);
	} else {
		return am_fail(e, AM_ENV, _("config: scanner.suffix is cr, lf, crlf or a byte like 0x03"));
	}
	const char *prefix = config_get(cfg, "scanner.prefix", "");
	if (strlen(prefix) >= sizeof s->prefix)
		return am_fail(e, AM_ENV, _("config: scanner.prefix is at most %d bytes"), (int)sizeof s->prefix - 1);
	memcpy(s->prefix, prefix, strlen(prefix) + 1);
	int rc;
	if ((rc = config_int(cfg, "scanner.char_timeout_ms", 100, 5, 60000, &s->char_timeout_ms, e))
	    || (rc = config_int(cfg, "scanner.max_length", 64, 1, SCAN_CODE_MAX - 1, &s->max_length, e))
	    || (rc = config_int(cfg, "scanner.double_scan_ms", 800, 0, 60000, &s->double_scan_ms, e)))
		return rc;
	const char *req = config_get(cfg, "scanner.require_symbology", "");
	if (!strcmp(req, "code128"))
		snprintf(s->require, sizeof s->require, "C");
	else if (!strcmp(req, "datamatrix"))
		snprintf(s->require, sizeof s->require, "d");
	else if (!strcmp(req, "qr"))
		snprintf(s->require, sizeof s->require, "Q");
	else if (*req)
		return am_fail(e, AM_ENV, _("config: scanner.require_symbology is code128, datamatrix or qr"));
	return 0;
}

static const struct { char letter; const char *name; } aim_names[] = {
	{ 'C', "Code 128" }, { 'd', "DataMatrix" }, { 'Q', "QR Code" }, { 'L', "PDF417" },
	{ 'E', "EAN/UPC" }, { 'A', "Code 39" }, { 'I', "ITF" }, { 'e', "GS1 DataBar" },
	{ 'z', "Aztec" }, { 'G', "Code 93" }, { 'F', "Codabar" },
};

const char *aim_symbology(const char *aim)
{
	if (!aim || aim[0] != ']')
		return NULL;
	for (size_t i = 0; i < sizeof aim_names / sizeof aim_names[0]; i++)
		if (aim_names[i].letter == aim[1])
			return aim_names[i].name;
	return NULL;
}

void reader_init(struct scan_reader *r, const struct scan_settings *s)
{
	memset(r, 0, sizeof *r);
	r->set = *s;
	/* The buffers trust only these two, so they are forced into range. */
	if (r->set.max_length < 1)
		r->set.max_length = 1;
	if (r->set.max_length > SCAN_CODE_MAX - 1)
		r->set.max_length = SCAN_CODE_MAX - 1;
	r->set.prefix[sizeof r->set.prefix - 1] = '\0';
}

struct scan_event *reader_push(struct scan_reader *r, enum scan_event_kind kind)
{
	if (r->count == SCAN_QUEUE) {	/* full: the oldest goes */
		r->head = (r->head + 1) % SCAN_QUEUE;
		r->count--;
	}
	struct scan_event *ev = &r->queue[(r->head + r->count++) % SCAN_QUEUE];
	memset(ev, 0, sizeof *ev);
	ev->kind = kind;
	ev->symbology = "";
	ev->first_ms = r->first_ms;
	ev->last_ms = r->last_ms;
	return ev;
}

/* Printable ASCII or well-formed UTF-8 (no control characters). */
static bool clean_text(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned char c = s[i];
		if (c < 0x20 || c == 0x7f)
			return false;
		if (c < 0x80) {
			i++;
			continue;
		}
		int extra = (c & 0xe0) == 0xc0 ? 1 : (c & 0xf0) == 0xe0 ? 2 : (c & 0xf8) == 0xf0 ? 3 : -1;
		if (extra < 0 || c == 0xc0 || c == 0xc1 || c > 0xf4 || i + (size_t)extra >= n)
			return false;
		for (int k = 1; k <= extra; k++)
			if ((s[i + (size_t)k] & 0xc0) != 0x80)
				return false;
		i += (size_t)extra + 1;
	}
	return true;
}

static void finish_code(struct scan_reader *r)
{
	struct scan_event *ev;
	const unsigned char *p = r->buf;
	size_t n = r->len;
	r->len = 0;
	if (r->overflow) {
		r->overflow = false;
		ev = reader_push(r, SCAN_EV_ERROR);
		snprintf(ev->message, sizeof ev->message, _("code longer than %d characters: ignored, scan again"),
			 r->set.max_length);
		return;
	}
	if (!clean_text(p, n)) {
		ev = reader_push(r, SCAN_EV_ERROR);
		snprintf(ev->message, sizeof ev->message, "%s", _("unreadable bytes from the scanner: ignored, scan again"));
		return;
	}
	char aim[4] = "";
	/* An AIM id is ']', a symbology letter and a modifier: ASCII only, so
	 * that stripping it never cuts a character in two. */
	if (n >= 3 && p[0] == ']' && p[1] < 0x80 && p[2] < 0x80 && isalpha(p[1]) && isalnum(p[2])) {
		memcpy(aim, p, 3);
		aim[3] = '\0';
		p += 3;
		n -= 3;
	}
	size_t plen = strlen(r->set.prefix);
	if (plen && n >= plen && memcmp(p, r->set.prefix, plen) == 0) {
		p += plen;
		n -= plen;
	}
	if (n && !clean_text(p, n)) {	/* a prefix that ended inside a character */
		ev = reader_push(r, SCAN_EV_ERROR);
		snprintf(ev->message, sizeof ev->message, "%s", _("unreadable bytes from the scanner: ignored, scan again"));
		return;
	}
	if (n == 0) {
		ev = reader_push(r, SCAN_EV_ERROR);
		snprintf(ev->message, sizeof ev->message, "%s", _("empty code from the scanner: scan again"));
		return;
	}
	if (n > (size_t)r->set.max_length) {	/* room was kept for an AIM id and prefix not sent */
		ev = reader_push(r, SCAN_EV_ERROR);
		snprintf(ev->message, sizeof ev->message, _("code longer than %d characters: ignored, scan again"),
			 r->set.max_length);
		return;
	}
	if (r->set.require[0] && aim[0] && aim[1] != r->set.require[0]) {
		ev = reader_push(r, SCAN_EV_ERROR);
		const char *sym = aim_symbology(aim);
		snprintf(ev->message, sizeof ev->message, _("wrong barcode type (%s): scan the waybill's Code 128"),
			 sym ? sym : aim);
		return;
	}
	char code[SCAN_CODE_MAX];
	memcpy(code, p, n);
	code[n] = '\0';
	bool again = r->last_code_ms && r->first_ms - r->last_code_ms <= r->set.double_scan_ms
		     && strcmp(code, r->last_code) == 0;
	ev = reader_push(r, again ? SCAN_EV_DUPLICATE : SCAN_EV_CODE);
	memcpy(ev->code, code, n + 1);
	memcpy(ev->aim, aim, sizeof aim);
	const char *sym = aim_symbology(aim);
	ev->symbology = sym ? sym : "";
	memcpy(r->last_code, code, n + 1);
	r->last_code_ms = r->last_ms;
}

void reader_feed(struct scan_reader *r, const unsigned char *bytes, size_t n, int64_t now_ms)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = bytes[i];
		if (r->len && now_ms - r->last_ms > r->set.char_timeout_ms)
			reader_tick(r, now_ms);
		bool end = r->set.any_eol ? (c == '\r' || c == '\n') : c == r->set.suffix;
		if (end) {
			if (c == '\n' && r->after_cr && r->len == 0 && !r->overflow) {
				r->after_cr = false;	/* the LF of CRLF */
				continue;
			}
			r->after_cr = c == '\r';
			r->last_ms = now_ms;
			if (r->len == 0 && !r->overflow)
				r->first_ms = now_ms;
			finish_code(r);
			continue;
		}
		r->after_cr = false;
		if (r->len == 0 && !r->overflow)
			r->first_ms = now_ms;
		r->last_ms = now_ms;
		if (r->overflow)
			continue;
		if (r->len >= (size_t)r->set.max_length + SCAN_AIM_LEN + strlen(r->set.prefix)
		    || r->len >= sizeof r->buf) {
			r->overflow = true;	/* drop the rest up to the suffix */
			r->len = 0;
			continue;
		}
		r->buf[r->len++] = c;
	}
}

void reader_tick(struct scan_reader *r, int64_t now_ms)
{
	if ((r->len || r->overflow) && now_ms - r->last_ms > r->set.char_timeout_ms) {
		struct scan_event *ev = reader_push(r, SCAN_EV_PARTIAL);
		snprintf(ev->message, sizeof ev->message, _("incomplete scan thrown away (%zu bytes, no end mark): scan again"),
			 r->overflow ? (size_t)r->set.max_length : r->len);
		r->len = 0;
		r->overflow = false;
	}
}

int reader_timeout_ms(const struct scan_reader *r, int64_t now_ms)
{
	if (!r->len && !r->overflow)
		return -1;
	int64_t left = r->last_ms + r->set.char_timeout_ms + 1 - now_ms;
	return left < 0 ? 0 : (int)left;
}

bool reader_next(struct scan_reader *r, struct scan_event *out)
{
	if (!r->count)
		return false;
	*out = r->queue[r->head];
	r->head = (r->head + 1) % SCAN_QUEUE;
	r->count--;
	return true;
}
