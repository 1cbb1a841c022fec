/*
 * libFuzzer target: the expectation reader (harness/lib/expect.c): a guest image
 * file, its .vexit.expect section found through the ELF headers, each string
 * parsed. The same bytes are also read as a bare section.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "expect.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *img = malloc(size ? size : 1); /* exact size: a read past it is a heap overflow */
	memcpy(img, data, size);
	char err[256];
	struct expect_set s;
	if (expect_read_elf(img, size, &s, err, sizeof(err)) == 0)
		expect_set_free(&s);
	if (expect_parse_section((const char *)img, size, &s, err, sizeof(err)) == 0)
		expect_set_free(&s);
	free(img);
	return 0;
}
