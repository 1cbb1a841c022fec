/*
 * libFuzzer target: the multiboot2 boot information (hypervisor/kernel/multiboot2.c),
 * which GRUB or the direct-boot loader hands the kernel. The input is the
 * information itself; its total_size field is set to the input's length, as a
 * boot loader does, so the parser may read exactly those bytes. Every string it
 * returns must end inside them (but the empty command line it gives when there
 * is no command-line tag).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/multiboot2.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_string(const char *s, const uint8_t *mbi, size_t size)
{
	const uint8_t *p = (const uint8_t *)s;
	if (!s || p < mbi || p >= mbi + size || !memchr(s, 0, size - (size_t)(p - mbi)))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 8 || size > 0xffffffffu)
		return 0;
	/* The specification puts the information on an 8-byte boundary. */
	uint8_t *mbi = aligned_alloc(8, (size + 7) & ~(size_t)7);
	memcpy(mbi, data, size);
	uint32_t total = (uint32_t)size;
	memcpy(mbi, &total, 4);
	struct boot_info info;
	if (mb2_parse(mbi, &info) == NULL) {
		if (info.cmdline[0] != '\0')
			check_string(info.cmdline, mbi, size);
		if (info.n_modules > MB2_MAX_MODULES)
			abort();
		for (size_t i = 0; i < info.n_modules; i++)
			check_string(info.modules[i].cmdline, mbi, size);
		/* The memory map is walked in place: exactly n_available regions. */
		size_t cursor = 0, n = 0;
		struct mb2_region r;
		while (mb2_next_available(&info, &cursor, &r))
			if (++n > info.n_available)
				abort();
		if (n != info.n_available)
			abort();
	}
	free(mbi);
	return 0;
}
