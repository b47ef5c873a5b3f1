/*
 * fuzz_hub_json.c - amanat-hub's JSON reader (src/hub/json_in.c) against
 * jansson's json_loadb(data, size, 0): every input either refused by both
 * or read by both into equal values.  The hub reads every upload with it,
 * so any difference is a body the hub would take or refuse unlike before.
 * One difference is meant: jansson drops a NUL byte that follows a number
 * or true/false/null ("[1\0]" reads as [1], a quirk of its lexer's unget),
 * json_in refuses every NUL outside a string as it does inside one.
 * hub_rd_skip, which reads without building (the upload's reader uses it
 * for what it does not keep), must take exactly what hub_json_loadb takes.
 */
#include <jansson.h>
#include "fuzz/fuzz.h"
#include "hub/hub.h"

struct hub_conf hub_conf = { .offset_min = 300 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_error_t je;
	json_t *want = json_loadb((const char *)data, size, 0, &je);
	json_t *got = hub_json_loadb((const char *)data, size);
	if (want && !got && memchr(data, 0, size)) {	/* the quirk above */
		json_decref(want);
		return 0;
	}
	if (!want != !got)
		fprintf(stderr, "jansson %s (%s), json_in %s\n", want ? "reads it" : "refuses it", want ? "" : je.text,
			got ? "reads it" : "refuses it");
	fuzz_check(!want == !got);
	fuzz_check(!want || json_equal(want, got));
	/* the reader that builds nothing (upload.c's) takes what it takes */
	struct hub_rd r = { (const char *)data, (const char *)data + size, NULL, 0, 0 };
	hub_rd_ws(&r);
	bool top = r.p < r.end && (*r.p == '{' || *r.p == '[');
	bool skipped = top && !hub_rd_skip(&r);
	hub_rd_ws(&r);
	free(r.tmp);
	fuzz_check((skipped && r.p == r.end) == (got != NULL));
	json_decref(want);
	json_decref(got);
	return 0;
}
