/*
 * libFuzzer target: the external-kernel manifest reader (harness/lib/manifest.c),
 * which parses whatever file `vexit-run --manifest` names. Every kernel it
 * accepts is then looked up by its name.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	struct manifest m;
	char err[512];
	if (manifest_parse(text, &m, err, sizeof(err)) == 0) {
		for (size_t i = 0; i < m.n; i++)
			if (manifest_find(&m, m.v[i].name) == NULL)
				abort();
		manifest_free(&m);
	}
	free(text);
	return 0;
}
