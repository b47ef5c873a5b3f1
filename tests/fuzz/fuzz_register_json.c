/* fuzz_register_json.c - a register file in JSON (register import, sync). */
#include "fuzz/register_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_register(register_parse_json, data, size);
	return 0;
}
