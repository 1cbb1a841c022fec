/*
 * libFuzzer target: the direct-boot disk writer's ELF reader
 * (harness/lib/direct_boot.c), which loads whatever `vexit-run --kernel` names.
 * The input is the kernel file (in a memfd); the disk goes to /dev/null.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "direct_boot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	static char path[64];
	if (fd < 0) {
		fd = memfd_create("fuzz-kernel", 0);
		if (fd < 0)
			abort();
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	char err[512];
	(void)direct_boot_disk_write("/dev/null", path, "budget=1000 tests=hello", NULL, 0, err, sizeof(err));
	return 0;
}
