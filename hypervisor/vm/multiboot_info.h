/*
 * The boot information a multiboot kernel finds through EBX (version 1:
 * Multiboot Specification 0.6.96, section 3.3; version 2: Multiboot 2.0,
 * section 3.6): memory sizes, a memory map, the command line (beginning with
 * the kernel's name, as GRUB and QEMU pass it), the boot loader's name and the
 * modules. Written into guest memory where the kernel is not; plain C,
 * host-tested.
 */
#ifndef VEXIT_MULTIBOOT_INFO_H
#define VEXIT_MULTIBOOT_INFO_H

#include <stdint.h>

#include "vm/kernel_image.h"

/* Bits of the boot information's flags word. */
#define MB1_INFO_MEMORY (1u << 0)
#define MB1_INFO_CMDLINE (1u << 2)
#define MB1_INFO_MODS (1u << 3)
#define MB1_INFO_MMAP (1u << 6)
#define MB1_INFO_LOADER_NAME (1u << 9)
#define MB1_INFO_SIZE 116u /* through the framebuffer fields, which vexit leaves zero */
#define MB1_MMAP_ENTRY_SIZE 24u /* the size word, then base, length and type (20 bytes) */
#define MB1_MMAP_AVAILABLE 1u
#define MB1_MMAP_RESERVED 2u
#define MB1_MAX_MODULES 8
#define MB1_LOADER_NAME "vexit"
/* The PC's low-memory hole, reported reserved: the EBDA, the VGA window and the BIOS area. */
#define MB1_LOW_MEMORY_END 0x9fc00ull
#define MB1_HIGH_MEMORY 0x100000ull

struct vm;

struct mb1_module {
	const uint8_t *data;
	uint64_t size;
	const char *string;
};

/*
 * Write the boot information (and copy the modules, each page-aligned) into the
 * VM's memory, outside the kernel's ranges and the low-memory hole, above the
 * first page. NULL and *mbi_addr, or a token saying why it could not.
 */
const char *multiboot_info_write(struct vm *vm, const struct kernel_ranges *kernel, const char *cmdline,
				 const struct mb1_module *mods, unsigned n_mods, uint32_t *mbi_addr);
/* The same information in version 2's tags: command line (1), loader name (2), modules (3), basic memory
 * information (4), memory map (6), end (0); 8-byte aligned. */
const char *multiboot2_info_write(struct vm *vm, const struct kernel_ranges *kernel, const char *cmdline,
				  const struct mb1_module *mods, unsigned n_mods, uint32_t *mbi_addr);

#endif
