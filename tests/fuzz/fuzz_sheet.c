/*
 * fuzz_sheet.c - the codes of a register sheet, scanned in any order
 * (sheet_assembly_add) and decoded into a register (sheet_assembly_decode).
 * Byte 0 even: the input is the scanned codes, one a line.  Odd: the input
 * is a payload, cut into codes with the right checksum, so that the decoder
 * behind the checksum is reached too.
 */
#include "amanat/label.h"
#include "fuzz/fuzz.h"

static void decode(struct sheet_assembly *a)
{
	struct reg r;
	struct am_error e;
	e.msg[0] = '\0';
	if (!sheet_assembly_complete(a))
		return;
	if (sheet_assembly_decode(a, 300, &r, &e)) {
		fuzz_check(e.msg[0]);
		return;
	}
	fuzz_check(memchr(r.id, '\0', sizeof r.id) && memchr(r.from, '\0', sizeof r.from));
	for (size_t i = 0; i < r.n_lines; i++)
		fuzz_check(memchr(r.lines[i].waybill, '\0', sizeof r.lines[i].waybill) != NULL);
	/* what import-scan keeps (after register_check) is clean text */
	struct waybill_rule rule;
	waybill_rule_default(&rule);
	if (register_check(&r, &rule, &e) == 0) {
		fuzz_check(fuzz_clean_utf8(r.id) && fuzz_clean_utf8(r.from) && fuzz_clean_utf8(r.to));
		for (size_t i = 0; i < r.n_lines; i++) {
			const struct register_line *l = &r.lines[i];
			fuzz_check(fuzz_clean_utf8(l->waybill) && fuzz_clean_utf8(l->application));
			fuzz_check(fuzz_clean_utf8(l->postomat) && fuzz_clean_utf8(l->city) && fuzz_clean_utf8(l->iin));
		}
	}
	register_free(&r);
}

static void scanned_codes(char *text)
{
	struct sheet_assembly a;
	memset(&a, 0, sizeof a);
	char *save = NULL;
	for (char *part = strtok_r(text, "\n", &save); part; part = strtok_r(NULL, "\n", &save)) {
		struct am_error e;
		int before = a.have;
		if (sheet_assembly_add(&a, part, &e) == 0)
			fuzz_check(a.have == before + 1 && a.have <= a.total);
		else
			fuzz_check(a.have == before);
	}
	decode(&a);
	sheet_assembly_free(&a);
}

static void payload(const char *text, size_t chunk)
{
	size_t len = strlen(text), n = len ? (len + chunk - 1) / chunk : 1;
	if (n > 1000)
		return;
	uint32_t crc = crc32_text(text, len);
	struct sheet_assembly a;
	memset(&a, 0, sizeof a);
	for (size_t k = 0; k < n; k++) {
		size_t at = k * chunk, m = len - at < chunk ? len - at : chunk;
		char *part = malloc(m + 64);
		fuzz_check(part != NULL);
		int head = snprintf(part, 64, "AMR1:R-1:%zu/%zu:%08x:", k + 1, n, (unsigned)crc);
		memcpy(part + head, text + at, m);
		part[head + (int)m] = '\0';
		struct am_error e;
		(void)sheet_assembly_add(&a, part, &e);
		free(part);
	}
	decode(&a);
	sheet_assembly_free(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_bytes b = { data, size };
	unsigned mode = fuzz_byte(&b);
	char *text = fuzz_text(b.p, b.n);
	if (mode & 1)
		payload(text, 1 + (mode >> 1) * 8);
	else
		scanned_codes(text);
	free(text);
	return 0;
}
