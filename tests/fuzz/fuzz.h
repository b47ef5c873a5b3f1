/*
 * fuzz.h - what the libFuzzer targets of tests/fuzz share.
 *
 * Each fuzz_NAME.c is one target: LLVMFuzzerTestOneInput hands the input to
 * one parser of outside input, built with ASan and UBSan, and checks what
 * the parser promises of its output (fuzz_check).  Its seed corpus is the
 * folder tests/fuzz/NAME/; tests/fuzz/fuzz.sh runs it.
 */
#ifndef AMANAT_FUZZ_H
#define AMANAT_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input as a C string (a NUL inside ends it early, as it would in a file
 * read by the program); free() it. */
static inline char *fuzz_text(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* A promise of the parser that does not hold: a crash libFuzzer records. */
#define fuzz_check(cond)                                                         \
	do {                                                                      \
		if (!(cond)) {                                                    \
			fprintf(stderr, "%s:%d: broken promise: %s\n", __FILE__,    \
				__LINE__, #cond);                                   \
			abort();                                                  \
		}                                                                 \
	} while (0)

/* Takes bytes off the front of the input: settings for the parser. */
struct fuzz_bytes {
	const uint8_t *p;
	size_t n;
};

static inline unsigned fuzz_byte(struct fuzz_bytes *b)
{
	if (!b->n)
		return 0;
	b->n--;
	return *b->p++;
}

/* A NUL-terminated C string is valid UTF-8 without control characters. */
static inline int fuzz_clean_utf8(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		unsigned char c = *p;
		int extra = c < 0x80 ? 0 : (c & 0xe0) == 0xc0 ? 1 : (c & 0xf0) == 0xe0 ? 2 : (c & 0xf8) == 0xf0 ? 3 : -1;
		if (c < 0x20 || c == 0x7f || extra < 0)
			return 0;
		p++;
		for (int k = 0; k < extra; k++, p++)
			if ((*p & 0xc0) != 0x80)
				return 0;
	}
	return 1;
}

#endif
