/*
 * Test helpers for direct boot (harness/lib/direct_boot.h): a kernel ELF in
 * miniature to boot, and a reader of the disk that sees it the way the loader
 * leaves it, so tests can check what the kernel would be handed.
 */
#ifndef VEXIT_TESTS_DIRECT_BOOT_FIXTURE_H
#define VEXIT_TESTS_DIRECT_BOOT_FIXTURE_H

#include <elf.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/multiboot2.h"

/*
 * A kernel like vexit.elf in miniature: a text segment at 1 MiB that starts with a
 * multiboot2 header and has 0x1000 bytes of bss after its 0x40 bytes of file
 * content, and a data segment at 1 MiB + 0x3000. Entry 1 MiB + 0x20.
 */
struct test_kernel {
	Elf64_Ehdr eh;
	Elf64_Phdr ph[2];
	uint8_t text[0x40];
	uint8_t data[0x10];
};

void test_kernel_build(struct test_kernel *k);
/* Build one and write it to dir/name. */
void test_kernel_write(const char *dir, const char *name);

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
 * (1 MiB..256 MiB, as Bochs's BIOS reports for the bochsrc) and the end tag,
 * as the loader does, and parse the result with the kernel's own mb2_parse.
 * Check assertions fail if the disk cannot be read or is not a direct-boot disk.
 */
void boot_disk_read(const char *path, struct boot_disk *d);
/* The byte of the memory image that lands at physical address pa. */
const uint8_t *boot_disk_at(const struct boot_disk *d, uint64_t pa);
void boot_disk_free(struct boot_disk *d);

#endif
