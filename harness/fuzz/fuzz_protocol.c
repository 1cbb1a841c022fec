/*
 * libFuzzer target: the protocol reader (harness/lib/protocol.c), which parses
 * whatever came out of COM1: a hypervisor's lines, a guest's, or garbage. Every
 * guest it reports is then queried as the verdict code does.
 */
#include <stdint.h>
#include <stdlib.h>

#include "protocol.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct run_report r;
	protocol_parse((const char *)data, size, &r);
	for (size_t i = 0; i < r.n_guests; i++) {
		(void)guest_report_field(&r.guests[i], "status");
		(void)guest_report_exits(&r.guests[i], "IO_INSTRUCTION");
		(void)run_report_guest(&r, r.guests[i].name);
	}
	run_report_free(&r);
	return 0;
}
