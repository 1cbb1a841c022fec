/*
 * libFuzzer target: the Bochs-log reader (harness/lib/bochs_oracle.c), which
 * picks Bochs's own reasons for failed VM entries out of its log; each reason
 * is then mapped to its rule family.
 */
#include <stdint.h>

#include "bochs_oracle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bochs_reasons r;
	bochs_reasons_parse((const char *)data, size, &r);
	for (size_t i = 0; i < r.n; i++)
		(void)bochs_reason_family(r.v[i].text);
	bochs_reasons_free(&r);
	return 0;
}
