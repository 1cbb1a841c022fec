/* Reading the multiboot2 boot information GRUB hands us: command line, modules, memory map, ACPI RSDP. */
#ifndef VEXIT_MULTIBOOT2_H
#define VEXIT_MULTIBOOT2_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MB2_BOOTLOADER_MAGIC 0x36d76289u
#define MB2_MAX_MODULES 256 /* the ISO holds every guest of the suite */

struct mb2_module {
	uint64_t start; /* physical, first byte */
	uint64_t end;   /* physical, one past the last byte */
	const char *cmdline;
};

struct mb2_region {
	uint64_t base;
	uint64_t len;
};

/*
 * The screen the loader left (multiboot2 spec 3.6.12): `type` MB2_FRAMEBUFFER_EGA_TEXT, width x
 * height cells; MB2_FRAMEBUFFER_RGB, width x height pixels of bpp bits, each colour a field of
 * the pixel (its lowest bit and its width in bits).
 */
#define MB2_FRAMEBUFFER_RGB 1
#define MB2_FRAMEBUFFER_EGA_TEXT 2
struct mb2_framebuffer {
	uint64_t addr;
	uint32_t pitch; /* bytes from one row (of pixels or cells) to the next */
	uint32_t width, height;
	uint8_t bpp, type;
	uint8_t red_pos, red_size, green_pos, green_size, blue_pos, blue_size; /* RGB only */
};

struct boot_info {
	const char *cmdline;
	size_t n_modules;
	struct mb2_module modules[MB2_MAX_MODULES];
	/*
	 * The memory map, read in place (any number of entries): its entries, validated by
	 * mb2_parse (NULL: the boot information has none), and how many are available RAM.
	 * mb2_next_available walks the available ones.
	 */
	const uint8_t *mmap;
	uint32_t mmap_len, mmap_entry_size;
	size_t n_available;
	uint64_t mbi_start, mbi_end;
	bool has_framebuffer;
	struct mb2_framebuffer framebuffer;
	/* The copy of the ACPI RSDP the loader passed (tag 15, else 14), NULL: none (kernel/acpi.h). */
	const uint8_t *rsdp;
	uint32_t rsdp_len;
};

/*
 * Parse the boot information at `mbi` (identity mapped). Returns NULL on
 * success, or a sentence saying what is malformed.
 */
const char *mb2_parse(const void *mbi, struct boot_info *out);

/*
 * The next type 1 (available) region of a parsed memory map, from *cursor (0 to start):
 * true with it in *out, or false when there is none left.
 */
bool mb2_next_available(const struct boot_info *b, size_t *cursor, struct mb2_region *out);

#endif
