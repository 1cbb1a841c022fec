/*
 * libFuzzer target: the direct-boot disk writer's ELF reader
 * (harness/lib/direct_boot.c), which loads whatever `vexit-run --kernel` names.
 * The input is the kernel file (in a memfd); the disk goes to /dev/null.
 */
#include <stdint.h>
#include <stdlib.h>

#include "direct_boot.h"
#include "fuzz_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_file(data, size);
	char err[512];
	(void)direct_boot_disk_write("/dev/null", path, "budget=1000 tests=hello", NULL, 0, err, sizeof(err));
	return 0;
}
