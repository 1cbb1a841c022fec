/*
 * Loading an external kernel: an unmodified multiboot kernel, as the Multiboot
 * Specification 0.6.96 (version 1) or 2.0 (version 2) says a boot loader loads
 * one. The kernel is an ELF32 or ELF64 executable whose PT_LOAD segments go to
 * their physical addresses, or the flat image its header's address fields
 * describe (version 1 flag 16, the "a.out kludge"; version 2's address tag).
 * A version 1 header wins when an image has both. Plain C over the
 * image's bytes, every offset and size bounds-checked: a malformed image is
 * refused with a short token for the protocol's `bad-image why=` field.
 */
#ifndef VEXIT_KERNEL_IMAGE_H
#define VEXIT_KERNEL_IMAGE_H

#include <stdbool.h>
#include <stdint.h>

#define MB1_HEADER_MAGIC 0x1badb002u
#define MB1_BOOTLOADER_MAGIC 0x2badb002u
#define MB1_SEARCH_BYTES 8192u /* the header is 4-byte aligned in the image's first 8 KiB */
#define MB1_FLAG_PAGE_ALIGN (1u << 0)  /* modules page-aligned: vexit always does */
#define MB1_FLAG_MEMORY_INFO (1u << 1) /* mem_* and the memory map: vexit always gives them */
#define MB1_FLAG_VIDEO_MODE (1u << 2)  /* a video mode request: vexit has no display, and says so by
					* leaving the framebuffer fields out (the spec allows it) */
#define MB1_FLAG_AOUT_KLUDGE (1u << 16)
#define KERNEL_IMAGE_MAX_RANGES 16
#define MB2_HEADER_MAGIC 0xe85250d6u
#define MB2_SEARCH_BYTES 32768u /* the version 2 header is 8-byte aligned in the first 32 KiB */
#define MB2_BOOT_MAGIC 0x36d76289u

enum kernel_format { KERNEL_NOT_MULTIBOOT, KERNEL_MULTIBOOT1, KERNEL_MULTIBOOT2 };

struct vm;

/* Where a kernel's bytes went: the ranges of guest-physical memory it occupies. */
struct kernel_ranges {
	unsigned n;
	struct { uint64_t start, end; } r[KERNEL_IMAGE_MAX_RANGES];
};

/* The image has a multiboot header (version 1, else 2) with a valid checksum: it is an external kernel. */
bool kernel_image_is_multiboot(const uint8_t *image, uint64_t size);
/* Which multiboot the image is, by the header kernel_image_load goes by. */
enum kernel_format kernel_image_format(const uint8_t *image, uint64_t size);

/*
 * Load the kernel into the VM's memory (zeroed before): segments inside
 * [0, vm->mem_size), their tails past the file size zero. Returns NULL and sets
 * *entry (a 32-bit physical address inside loaded code) and *used, or a token
 * saying what is wrong; then guest memory may hold part of the image.
 */
const char *kernel_image_load(struct vm *vm, const uint8_t *image, uint64_t size, uint32_t *entry,
			      struct kernel_ranges *used);

#endif
