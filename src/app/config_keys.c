/*
 * config_keys.c - every key amanat.conf may hold: one line each, with its
 * type, the form a value must have, and what it is for.
 *
 * A key that is not here is refused at start with its file and line (a
 * misspelt "urll" must not leave a terminal silently never uploading), and
 * so is a value that does not parse ("utc_offset = abc").  A new key is one
 * line in this table; tests/cli/config.sh checks that every key the sources
 * read is listed here.  The help texts are for developers and the man page
 * (English); the expected forms are shown to people, so they are translated.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "amanat/app.h"
#include "amanat/codes.h"
#include "amanat/config.h"
#include "amanat/i18n.h"

static bool is_waybill_format(const char *v)
{
	struct waybill_rule r;
	return waybill_rule_parse(&r, v) == 0;
}

static bool is_offset(const char *v)
{
	int off;
	return app_parse_offset(v, &off) == 0;
}

static bool is_hex(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)p[i]))
			return false;
	return true;
}

/* "0c2e:*,05e0:0b01": vendor:product pairs, 4 hex digits each, or vendor:* */
static bool is_usb_ids(const char *v)
{
	while (*v) {
		while (*v == ' ' || *v == ',')
			v++;
		if (!*v)
			break;
		if (!is_hex(v, 4) || v[4] != ':')
			return false;
		v += 5;
		if (*v == '*')
			v++;
		else if (is_hex(v, 4))
			v += 4;
		else
			return false;
		if (*v && *v != ',' && *v != ' ')
			return false;
	}
	return true;
}

static bool is_suffix(const char *v)
{
	return !strcmp(v, "cr") || !strcmp(v, "lf") || !strcmp(v, "crlf")
	       || (!strncmp(v, "0x", 2) && strlen(v) == 4 && is_hex(v + 2, 2));
}

/* libcurl's pin list: sha256//BASE64 (several joined by ';'). */
static bool is_pin(const char *v)
{
	if (strncmp(v, "sha256//", 8))
		return false;
	for (const char *p = v + 8; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("+/=;", *p)
		    && strncmp(p, "sha256//", 8))
			return false;
	return strlen(v) > 8;
}

#define TEXT(k, help)			{ k, CFG_TEXT, 0, 0, NULL, NULL, N_("any text"), help }
#define PATH(k, help)			{ k, CFG_PATH, 0, 0, NULL, NULL, N_("a file name"), help }
#define INT(k, lo, hi, help)		{ k, CFG_INT, lo, hi, NULL, NULL, NULL, help }
#define BOOL(k, help)			{ k, CFG_BOOL, 0, 0, NULL, NULL, N_("yes or no"), help }
#define CHOICE(k, list, help)		{ k, CFG_CHOICE, 0, 0, list, NULL, NULL, help }
#define CHECKED(k, fn, form, help)	{ k, CFG_CHECKED, 0, 0, NULL, fn, form, help }
#define DATE(k, help)			{ k, CFG_DATE, 0, 0, NULL, NULL, N_("a date YYYY-MM-DD"), help }
#define URL(k, help)			{ k, CFG_URL, 0, 0, NULL, NULL, N_("an https:// address"), help }

const struct config_key config_keys[] = {
	/* the terminal */
	PATH("db", "the terminal's SQLite database"),
	PATH("calendar", "the working-day calendar file"),
	CHECKED("utc_offset", is_offset, N_("an offset like +05:00 (or hours like 5, or minutes like 300)"),
		"local time = UTC + this offset (better: timezone)"),
	TEXT("timezone", "an IANA zone, e.g. Asia/Almaty (checked against tzdata at start)"),
	DATE("pilot_end", "order 6: the last day of the pilot"),
	CHECKED("waybill_format", is_waybill_format, N_("s10, luhn, luhn:MIN-MAX or pattern:PATTERN"),
		"how waybill numbers are checked"),
	TEXT("device_id", "this terminal's device id, for amanat init"),
	TEXT("point_id", "this terminal's reception point, for amanat init"),
	TEXT("actor", "who the command line records as acting"),
	CHOICE("language", "kk|ru|en", "the language of the UI"),
	CHOICE("log_level", "error|warning|info|debug", "what goes to syslog"),
	INT("idle_lock", 0, 1440, "minutes without a key before the UI locks (0: never)"),
	PATH("beep_command", "a program run with ok or error for a louder beep"),
	PATH("report_dir", "where shift reports go"),
	PATH("register.inbox", "a folder of register files the UI offers to load"),
	/* scanners */
	TEXT("scanner.port", "a serial device, a pty, or auto"),
	CHECKED("scanner.usb_ids", is_usb_ids, N_("vid:pid or vid:* in hex, separated by commas"),
		"USB ids that scanner.port = auto looks for"),
	CHOICE("scanner.baud", "1200|2400|4800|9600|19200|38400|57600|115200|230400", "serial speed"),
	CHOICE("scanner.data_bits", "5|6|7|8", "serial framing"),
	CHOICE("scanner.parity", "none|even|odd", "serial framing"),
	CHOICE("scanner.stop_bits", "1|2", "serial framing"),
	CHOICE("scanner.flow", "none|rtscts|xonxoff", "serial flow control"),
	CHECKED("scanner.suffix", is_suffix, N_("cr, lf, crlf or a byte like 0x03"), "what ends a code"),
	TEXT("scanner.prefix", "a prefix the scanner adds, stripped"),
	INT("scanner.char_timeout_ms", 5, 60000, "a partial code silent this long is dropped"),
	INT("scanner.max_length", 1, 511, "longer codes are refused"),
	INT("scanner.double_scan_ms", 0, 60000, "the same code again within this is counted once"),
	CHOICE("scanner.require_symbology", "code128|datamatrix|qr", "refuse other symbologies"),
	INT("scanner.reconnect_ms", 10, 600000, "how often an unplugged scanner is looked for"),
	BOOL("scanner.enabled", "use the serial scanner"),
	BOOL("scanner.wedge", "accept keyboard-wedge scans"),
	/* sync */
	URL("sync.url", "the upstream hub"),
	TEXT("sync.token", "the device token (better: sync.token_file)"),
	PATH("sync.token_file", "a file holding the device token"),
	TEXT("sync.point", "whose registers to download"),
	TEXT("sync.city", "whose postomats to download"),
	INT("sync.batch", 1, 5000, "events per upload"),
	INT("sync.connect_timeout_ms", 100, 600000, "connect timeout per request"),
	INT("sync.timeout_ms", 1000, 3600000, "timeout per request"),
	INT("sync.backoff_base_ms", 1, 3600000, "the first retry's wait"),
	INT("sync.backoff_max_ms", 1, 86400000, "the longest wait between retries"),
	CHECKED("sync.pin", is_pin, N_("sha256//BASE64"), "the hub's public-key pin"),
	PATH("sync.cainfo", "a private CA's certificate"),
	INT("sync.interval_s", 1, 86400, "how often the UI syncs when idle"),
	INT("sync.attempts", 1, 1000, "tries of one amanat sync run"),
	INT("sync.max_wait_s", 0, 86400, "the longest wait of one amanat sync run"),
	/* labels and printing */
	CHOICE("label.size", "58x40|100x60", "label stock in mm"),
	CHOICE("label.dpi", "203|300", "printer resolution"),
	CHOICE("label.sheet_code", "qr|datamatrix", "the 2D code of register sheets"),
	TEXT("print.printer", "a CUPS queue for lp -d"),
	PATH("print.device", "a raw printer device"),
	CHOICE("print.format", "zpl|png|svg", "what print label sends"),
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

const struct config_key *config_key_find(const struct config_key *keys, const char *key)
{
	for (const struct config_key *k = keys; k->key; k++)
		if (!strcmp(k->key, key))
			return k;
	return NULL;
}

static bool in_choices(const char *list, const char *v)
{
	size_t n = strlen(v);
	for (const char *p = list; p; p = strchr(p, '|')) {
		if (*p == '|')
			p++;
		if (!strncmp(p, v, n) && (p[n] == '|' || p[n] == '\0'))
			return n > 0;
	}
	return false;
}

bool config_key_valid(const struct config_key *k, const char *v)
{
	char *end;
	for (const unsigned char *p = (const unsigned char *)v; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return false;	/* no control characters, whatever the type */
	switch (k->type) {
	case CFG_TEXT:
		return true;
	case CFG_PATH:
		return *v != '\0';
	case CFG_INT: {
		if (!*v)
			return false;
		long n = strtol(v, &end, 10);
		return !*end && n >= k->min && n <= k->max;
	}
	case CFG_BOOL:
		return config_is_bool(v);
	case CFG_CHOICE:
		return in_choices(k->choices, v);
	case CFG_URL:
		return !strncmp(v, "https://", 8) && v[8] && !strpbrk(v, " \t");
	case CFG_DATE: {
		int y, m, d;
		char tail;
		return strlen(v) == 10 && sscanf(v, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3
		       && m >= 1 && m <= 12 && d >= 1 && d <= 31;
	}
	case CFG_CHECKED:
		return k->check(v);
	}
	return false;
}

void config_key_form(const struct config_key *k, char *buf, size_t len)
{
	if (k->type == CFG_INT)
		snprintf(buf, len, _("a whole number from %ld to %ld"), k->min, k->max);
	else if (k->type == CFG_CHOICE)
		snprintf(buf, len, _("one of %s"), k->choices);
	else
		snprintf(buf, len, "%s", _(k->form));
}

/* Edit distance, to suggest the key that was meant ("urll" -> "sync.url"). */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), row[64];
	if (lb >= 64 || la >= 64)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t prev = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t cur = row[j];
			size_t best = prev + (a[i - 1] != b[j - 1]);
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = cur;
		}
	}
	return row[lb];
}

const char *config_key_nearest(const struct config_key *keys, const char *key)
{
	const char *best = NULL;
	size_t bd = 3;
	for (const struct config_key *k = keys; k->key; k++) {
		size_t d = distance(key, k->key);
		const char *dot = strchr(k->key, '.');
		if (dot) {	/* "urll" written outside [sync] */
			size_t d2 = distance(key, dot + 1);
			if (d2 < d)
				d = d2;
		}
		if (d < bd) {
			bd = d;
			best = k->key;
		}
	}
	return best;
}
