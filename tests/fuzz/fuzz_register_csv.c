/* fuzz_register_csv.c - a register file in CSV, and the JSON-or-CSV choice. */
#include "fuzz/register_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_register(register_parse_csv, data, size);
	if (size && data[0] & 0x80)	/* some inputs also through the sniffing entry */
		fuzz_register(register_parse, data, size);
	return 0;
}
