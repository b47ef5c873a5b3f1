/*
 * fuzz_calendar.c - a working-day calendar file (assets/calendar, or the one
 * config names), then every pilot clock computed over it.  Input: 8 bytes of
 * an event time, then the file.
 */
#include "amanat/calendar.h"
#include "amanat/deadline.h"
#include "amanat/timeutil.h"
#include "fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_bytes b = { data, size };
	uint64_t raw = 0;
	for (int i = 0; i < 8; i++)
		raw = raw << 8 | fuzz_byte(&b);
	size_t errlen = fuzz_byte(&b) % 100;
	char *text = fuzz_text(b.p, b.n);
	char *err = malloc(errlen + 1);
	fuzz_check(err != NULL);
	err[errlen] = 'X';	/* a guard byte past what was given */
	if (errlen)
		err[0] = '\0';
	struct calendar *cal = calendar_parse(text, err, errlen);
	free(text);
	fuzz_check(err[errlen] == 'X');
	if (!cal) {
		fuzz_check(!errlen || memchr(err, '\0', errlen));
		free(err);
		return 0;
	}
	free(err);
	int first, last;
	calendar_span(cal, &first, &last);
	fuzz_check(first <= last);
	/* an event time from 2000 to 2070, UTC ms; an offset of -12 h .. +14 h */
	int64_t t = INT64_C(946684800000) + (int64_t)(raw % UINT64_C(2208988800000));
	int offset_min = (int)((raw >> 40) % 1561) - 720;
	for (int c = 0; c < CLOCK__COUNT; c++) {
		int64_t due = deadline_due(cal, (enum pilot_clock)c, t, offset_min);
		fuzz_check(due == 0 || due >= t);
	}
	int64_t day = t / 86400000;
	for (int i = 0; i < 400; i++)
		(void)calendar_is_working(cal, day + i), (void)calendar_covers(cal, day + i);
	calendar_free(cal);
	return 0;
}
