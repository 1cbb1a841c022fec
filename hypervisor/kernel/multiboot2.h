/* Reading the multiboot2 boot information GRUB hands us: command line, modules, memory map. */
#ifndef VEXIT_MULTIBOOT2_H
#define VEXIT_MULTIBOOT2_H

#include <stddef.h>
#include <stdint.h>

#define MB2_BOOTLOADER_MAGIC 0x36d76289u
#define MB2_MAX_MODULES 64
#define MB2_MAX_REGIONS 64

struct mb2_module {
	uint64_t start; /* physical, first byte */
	uint64_t end;   /* physical, one past the last byte */
	const char *cmdline;
};

struct mb2_region {
	uint64_t base;
	uint64_t len;
};

struct boot_info {
	const char *cmdline;
	size_t n_modules;
	struct mb2_module modules[MB2_MAX_MODULES];
	size_t n_available;
	struct mb2_region available[MB2_MAX_REGIONS]; /* type 1 (available) regions only */
	uint64_t mbi_start, mbi_end;
};

/*
 * Parse the boot information at `mbi` (identity mapped). Returns NULL on
 * success, or a sentence saying what is malformed.
 */
const char *mb2_parse(const void *mbi, struct boot_info *out);

#endif
