/*
 * fuzz_config.c - amanat.conf (config_parse), then what each module reads
 * from it: the scanner settings, the waybill rule, numbers and switches.
 */
#include "amanat/codes.h"
#include "amanat/config.h"
#include "amanat/scan.h"
#include "fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);
	struct config *c = config_new();
	fuzz_check(c != NULL);
	struct am_error e;
	e.msg[0] = '\0';
	int rc = config_parse(c, text, "fuzz.conf", &e);
	free(text);
	if (rc) {
		fuzz_check(rc < 0 && e.msg[0]);
		config_free(c);
		return 0;
	}
	struct scan_settings s;
	if (scan_settings_from_config(&s, c, &e) == 0) {
		fuzz_check(s.max_length >= 1 && s.max_length < SCAN_CODE_MAX);
		fuzz_check(memchr(s.prefix, '\0', sizeof s.prefix) != NULL);
		fuzz_check(s.char_timeout_ms >= 5);
		static struct scan_reader r;
		reader_init(&r, &s);
	}
	struct waybill_rule rule;
	if (waybill_rule_parse(&rule, config_get(c, "waybill_format", "s10")) == 0)
		fuzz_check(rule.min_len >= 2 && rule.max_len <= 30);
	(void)config_get_long(c, "utc_offset", 300);
	(void)config_get_long(c, "sync.batch", 500);
	(void)config_get_bool(c, "ui.wedge", true);
	/* setting a key again replaces it */
	fuzz_check(config_set(c, "scanner.port", "/dev/null") == 0);
	fuzz_check(strcmp(config_get(c, "scanner.port", ""), "/dev/null") == 0);
	config_free(c);
	return 0;
}
