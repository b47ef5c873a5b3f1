/*
 * fuzz_reader.c - the byte stream from a scanner (src/scan/reader.c), with
 * any settings, including ones out of range.  Input: 8 bytes of settings, a
 * prefix, then chunks of [milliseconds since the last][length][bytes]; a
 * chunk whose time byte is 255 is a long silence (reader_tick).
 */
#include "amanat/scan.h"
#include "fuzz/fuzz.h"

static void drain(struct scan_reader *r, int max_length)
{
	struct scan_event ev;
	while (reader_next(r, &ev)) {
		fuzz_check(memchr(ev.message, '\0', sizeof ev.message) != NULL);
		fuzz_check(ev.symbology != NULL);
		if (ev.kind != SCAN_EV_CODE && ev.kind != SCAN_EV_DUPLICATE)
			continue;
		size_t n = strlen(ev.code);
		fuzz_check(n > 0 && n <= (size_t)max_length);
		fuzz_check(fuzz_clean_utf8(ev.code));	/* garbage never leaves the reader */
		fuzz_check(ev.aim[0] == '\0' || (ev.aim[0] == ']' && strlen(ev.aim) == 3));
		fuzz_check(ev.first_ms <= ev.last_ms);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_bytes b = { data, size };
	struct scan_settings s;
	scan_settings_default(&s);
	unsigned hi = fuzz_byte(&b), lo = fuzz_byte(&b);
	s.max_length = (int)(int16_t)(uint16_t)(hi << 8 | lo);	/* -32768 .. 32767 */
	unsigned mode = fuzz_byte(&b);
	s.any_eol = !(mode & 1);
	s.suffix = (unsigned char)fuzz_byte(&b);
	s.char_timeout_ms = 5 + (int)fuzz_byte(&b);
	s.double_scan_ms = (int)fuzz_byte(&b) * 10;
	static const char *const req[] = { "", "C", "d", "Q" };
	snprintf(s.require, sizeof s.require, "%s", req[(mode >> 1) & 3]);
	size_t plen = fuzz_byte(&b) % (sizeof s.prefix + 1);	/* up to one past: no NUL */
	fuzz_byte(&b);
	memset(s.prefix, 0, sizeof s.prefix);
	for (size_t i = 0; i < plen && i < sizeof s.prefix; i++)
		s.prefix[i] = (char)fuzz_byte(&b);

	static struct scan_reader r;	/* 100 KiB: not on the stack */
	reader_init(&r, &s);
	int max_length = s.max_length < 1 ? 1 : s.max_length > SCAN_CODE_MAX - 1 ? SCAN_CODE_MAX - 1 : s.max_length;
	int64_t now = 1700000000000;
	while (b.n) {
		unsigned dt = fuzz_byte(&b), len = fuzz_byte(&b);
		if (dt == 255) {
			now += 1000;
			reader_tick(&r, now);
		} else {
			now += dt;
		}
		if (len > b.n)
			len = (unsigned)b.n;
		reader_feed(&r, b.p, len, now);
		b.p += len;
		b.n -= len;
		int left = reader_timeout_ms(&r, now);
		fuzz_check(left >= -1);
		drain(&r, max_length);
	}
	reader_tick(&r, now + 100000);
	drain(&r, max_length);
	fuzz_check(reader_timeout_ms(&r, now + 100000) == -1);
	return 0;
}
