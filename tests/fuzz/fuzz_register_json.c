/* fuzz_register_json.c - a register file in JSON (register import, sync):
 * accepted whole or refused, and read the same as jansson reads it
 * (register_json.c reads the plain shape itself, the rest through jansson). */
#include "fuzz/register_common.h"
#include "core/register_fields.h"

/* The same two settings bytes as fuzz_register, then the file. */
static void same_as_tree(const uint8_t *data, size_t size)
{
	struct fuzz_bytes bytes = { data, size };
	struct waybill_rule rule;
	struct reg a, b;
	struct am_error ea, eb;
	fuzz_rule(fuzz_byte(&bytes), &rule);
	int offset_min = ((int)fuzz_byte(&bytes) - 128) * 10;
	char *text = malloc(bytes.n ? bytes.n : 1);
	fuzz_check(text != NULL);
	memcpy(text, bytes.p, bytes.n);
	ea.msg[0] = eb.msg[0] = '\0';
	int ra = register_parse_json(text, bytes.n, &rule, offset_min, &a, &ea);
	int rb = register_parse_json_tree(text, bytes.n, &rule, offset_min, &b, &eb);
	free(text);
	fuzz_check(ra == rb && strcmp(ea.msg, eb.msg) == 0);
	if (ra)
		return;
	fuzz_check(!strcmp(a.id, b.id) && a.kind == b.kind && !strcmp(a.from, b.from) && !strcmp(a.to, b.to));
	fuzz_check(a.formed_at == b.formed_at && a.n_lines == b.n_lines);
	fuzz_check(memcmp(a.lines, b.lines, a.n_lines * sizeof a.lines[0]) == 0);
	register_free(&a);
	register_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_register(register_parse_json, data, size);
	same_as_tree(data, size);
	return 0;
}
