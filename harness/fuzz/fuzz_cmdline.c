/*
 * libFuzzer target: the kernel command line (hypervisor/kernel/cmdline.c), which
 * GRUB's configuration or the harness's --kernel-args give. Every option the
 * kernel reads is looked up, each value parsed as main.c does it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/cmdline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = malloc(size + 1);
	memcpy(line, data, size);
	line[size] = '\0';
	static const char *const keys[] = { "tests", "budget", "precheck", "dump", "debug", "" };
	char value[64];
	char list[2048];
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (cmdline_get(line, keys[i], value, sizeof(value))) {
			uint64_t n;
			(void)cmdline_parse_u64(value, &n);
			if (strlen(value) >= sizeof(value))
				abort();
		}
		if (cmdline_get(line, keys[i], list, sizeof(list)))
			(void)cmdline_list_has(list, "hello");
	}
	(void)cmdline_parse_u64(line, &(uint64_t){ 0 });
	(void)cmdline_list_has(line, "hostile_smc");
	free(line);
	return 0;
}
