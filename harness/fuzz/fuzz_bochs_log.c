/*
 * libFuzzer target: the Bochs-log reader (harness/lib/bochs_oracle.c), which
 * picks the VM-entry lines out of Bochs's log with their ticks, each matched
 * against the catalogue of Bochs 2.7's messages; each text is looked up again.
 */
#include <stdint.h>

#include "bochs_oracle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bochs_lines l;
	bochs_lines_parse((const char *)data, size, &l);
	for (size_t i = 0; i < l.n; i++) {
		(void)bochs_message_find(l.v[i].text);
		(void)bochs_reason_family(l.v[i].text);
	}
	bochs_lines_free(&l);
	return 0;
}
