/*
 * Test helper: read a direct-boot disk (harness/lib/direct_boot.h) the way its
 * loader does, so tests can see what the kernel would be handed.
 */
#ifndef VEXIT_TESTS_BOOT_DISK_H
#define VEXIT_TESTS_BOOT_DISK_H

#include <stddef.h>
#include <stdint.h>

#include "multiboot2.h"

struct boot_disk {
	uint8_t *bytes;      /* the whole disk */
	size_t len;
	uint32_t entry, image_lba, image_sects, image_dest, mbi_sects;
	uint8_t *mbi;        /* the boot information as the loader leaves it: a memory map appended */
	struct boot_info info; /* mb2_parse of mbi */
	const char *parse_error;
};

/*
 * Read the disk at path, append a memory map of one available region
 * (1 MiB..128 MiB, as Bochs's BIOS reports for the bochsrc) and the end tag,
 * as the loader does, and parse the result with the kernel's own mb2_parse.
 * Check assertions fail if the disk cannot be read or is not a direct-boot disk.
 */
void boot_disk_read(const char *path, struct boot_disk *d);
/* The byte of the memory image that lands at physical address pa. */
const uint8_t *boot_disk_at(const struct boot_disk *d, uint64_t pa);
void boot_disk_free(struct boot_disk *d);

#endif
