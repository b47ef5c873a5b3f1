/*
 * scan.h - barcode scanners on a serial port (RS-232, USB CDC-ACM) or a
 * pseudo-terminal (ser2net, socat), turned into exactly one code per
 * physical scan.
 *
 * Two layers.  The reader is pure: bytes and times in, events out (framing
 * by suffix, optional prefix, inter-character timeout, AIM symbology ids,
 * validation, double-trigger suppression).  The scanner owns the device:
 * libserialport for real ports (enumeration, USB ids), plain termios for
 * anything else, non-blocking, reconnecting by itself.  Use from a poll()
 * loop:
 *
 *     struct scanner *sc = scanner_open(cfg, NULL, &err);
 *     for (;;) {
 *         struct pollfd p = { scanner_pollfd(sc), POLLIN, 0 };
 *         poll(&p, p.fd >= 0, scanner_timeout_ms(sc, now_ms()));
 *         scanner_handle(sc, p.revents, now_ms());
 *         struct scan_event ev;
 *         while (scanner_next(sc, &ev))
 *             ...;
 *     }
 */
#ifndef AMANAT_SCAN_H
#define AMANAT_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "amanat/config.h"
#include "amanat/error.h"

/* Every buffer below is sized from these, and scan_settings_from_config
 * refuses any setting beyond them, so no configuration can outgrow them. */
#define SCAN_CODE_MAX 512		/* a code's bytes + NUL: max_length <= 511 */
#define SCAN_PREFIX_MAX 16		/* the prefix's bytes + NUL */
#define SCAN_AIM_LEN 3			/* "]C1" */
/* The raw bytes of one scan: AIM id, prefix, then the code. */
#define SCAN_RAW_MAX (SCAN_AIM_LEN + (SCAN_PREFIX_MAX - 1) + (SCAN_CODE_MAX - 1))

enum scan_event_kind {
	SCAN_EV_CODE,		/* a good code */
	SCAN_EV_DUPLICATE,	/* the same code again within double_scan_ms */
	SCAN_EV_ERROR,		/* garbage, empty, too long, wrong symbology */
	SCAN_EV_PARTIAL,	/* a partial code thrown away after the timeout */
	SCAN_EV_DISCONNECTED,
	SCAN_EV_CONNECTED,
};

struct scan_event {
	enum scan_event_kind kind;
	char code[SCAN_CODE_MAX];	/* without AIM id, prefix and suffix */
	char aim[4];			/* "]C1", or "" */
	const char *symbology;		/* "Code 128", ..., or "" */
	char message[160];		/* for errors and state changes */
	int64_t first_ms, last_ms;	/* first and last byte of the code */
};

struct scan_settings {
	unsigned char suffix;		/* '\r', '\n' or another byte */
	bool any_eol;			/* CR, LF and CRLF all end a code */
	char prefix[SCAN_PREFIX_MAX];
	int char_timeout_ms;		/* a partial code older than this is dropped */
	int max_length;			/* bytes of a code, 1 .. SCAN_CODE_MAX - 1 */
	int double_scan_ms;
	char require[8];		/* AIM code letter required ("C"), or "" */
};

/* Defaults: any end of line, 100 ms between characters, 64 characters,
 * 800 ms double-trigger window. */
void scan_settings_default(struct scan_settings *s);
/* Read scanner.suffix, .prefix, .char_timeout_ms, .max_length,
 * .double_scan_ms, .require_symbology from config; a value out of range is
 * refused (AM_ENV), never cut to fit. */
int scan_settings_from_config(struct scan_settings *s, const struct config *cfg,
			      struct am_error *e);
/* "Code 128" for "]C1", NULL when unknown. */
const char *aim_symbology(const char *aim);

/* ---- the pure reader ----------------------------------------------------- */
#define SCAN_QUEUE 16

struct scan_reader {
	struct scan_settings set;
	unsigned char buf[SCAN_RAW_MAX];
	size_t len;
	bool overflow;			/* longer than max_length: drop to the end */
	bool after_cr;			/* the LF of a CRLF is not an empty code */
	int64_t first_ms, last_ms;
	char last_code[SCAN_CODE_MAX];
	int64_t last_code_ms;
	struct scan_event queue[SCAN_QUEUE];
	int head, count;
};

/* Settings out of range (from code, not config) are brought into range. */
void reader_init(struct scan_reader *r, const struct scan_settings *s);
void reader_feed(struct scan_reader *r, const unsigned char *bytes, size_t n, int64_t now_ms);
/* Drop a partial code whose last byte is older than the timeout. */
void reader_tick(struct scan_reader *r, int64_t now_ms);
/* Milliseconds until reader_tick has something to do; -1 for never. */
int reader_timeout_ms(const struct scan_reader *r, int64_t now_ms);
bool reader_next(struct scan_reader *r, struct scan_event *out);
/* Queue an event (the device adds connect and disconnect); the oldest goes when full. */
struct scan_event *reader_push(struct scan_reader *r, enum scan_event_kind kind);

/* ---- the device ---------------------------------------------------------- */
struct scanner;

/* port: a path (/dev/ttyACM0, a pty or its symlink) or "auto"; NULL takes
 * config "scanner.port".  A port that is not there yet is not an error: the
 * scanner starts disconnected and connects when it appears. */
struct scanner *scanner_open(const struct config *cfg, const char *port, struct am_error *e);
void scanner_close(struct scanner *sc);
int scanner_pollfd(const struct scanner *sc);		/* -1 while disconnected */
int scanner_timeout_ms(const struct scanner *sc, int64_t now_ms);
void scanner_handle(struct scanner *sc, short revents, int64_t now_ms);
bool scanner_next(struct scanner *sc, struct scan_event *out);
bool scanner_connected(const struct scanner *sc);
const char *scanner_port(const struct scanner *sc);

/* Serial ports known to libserialport, with USB ids (0 when not USB). */
struct scan_port {
	char name[256];
	char description[256];
	int vid, pid;
};
int scanner_list(int (*cb)(const struct scan_port *, void *), void *arg, struct am_error *e);

#endif
