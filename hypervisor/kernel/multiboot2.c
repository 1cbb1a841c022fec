#include "kernel/multiboot2.h"

#include "kernel/kstring.h"

#include <stdbool.h>

/* Tag types of the multiboot2 specification, section 3.6. */
#define MB2_TAG_END 0
#define MB2_TAG_CMDLINE 1
#define MB2_TAG_MODULE 3
#define MB2_TAG_MMAP 6
#define MB2_TAG_FRAMEBUFFER 8
#define MB2_FRAMEBUFFER_TAG_MIN 30 /* through framebuffer_type (multiboot2 spec 3.6.12) */
#define MB2_FRAMEBUFFER_RGB_TAG_MIN 38 /* through blue_mask_size */
#define MB2_TAG_ACPI_OLD 14
#define MB2_TAG_ACPI_NEW 15
#define MB2_MMAP_AVAILABLE 1
#define MB2_MAX_TOTAL_SIZE (1u << 20)

struct tag {
	uint32_t type;
	uint32_t size;
};

struct mmap_entry {
	uint64_t base;
	uint64_t len;
	uint32_t type;
	uint32_t reserved;
};

static const char *parse_mmap(const uint8_t *t, uint32_t size, struct boot_info *out)
{
	if (size < 16)
		return "memory map tag too short";
	if (out->mmap)
		return "two memory map tags";
	uint32_t entry_size = *(const uint32_t *)(t + 8);
	if (entry_size < sizeof(struct mmap_entry))
		return "memory map entry size too small";
	/* The spec guarantees it ("Memory map", in section 3.6), and the entries' 64-bit fields are read in place. */
	if (entry_size % 8 != 0)
		return "memory map entry size is not a multiple of 8";
	out->mmap = t + 16;
	out->mmap_len = size - 16;
	out->mmap_entry_size = entry_size;
	struct mb2_region r;
	for (size_t cursor = 0; mb2_next_available(out, &cursor, &r);)
		out->n_available++;
	return NULL;
}

bool mb2_next_available(const struct boot_info *b, size_t *cursor, struct mb2_region *out)
{
	/* *cursor <= mmap_len throughout; `*cursor + entry_size <= mmap_len` would wrap for an entry_size near 4 GiB. */
	for (; b->mmap && b->mmap_entry_size <= b->mmap_len - *cursor; *cursor += b->mmap_entry_size) {
		const struct mmap_entry *e = (const void *)(b->mmap + *cursor);
		if (e->type == MB2_MMAP_AVAILABLE && e->len != 0) {
			*out = (struct mb2_region){ e->base, e->len };
			*cursor += b->mmap_entry_size;
			return true;
		}
	}
	return false;
}

/* Whether the string at body[from] ends with a NUL inside its tag (size bytes from the tag's header). */
static bool string_in_tag(const uint8_t *body, uint32_t from, uint32_t size)
{
	for (uint32_t i = from; i < size; i++)
		if (body[i] == '\0')
			return true;
	return false;
}

const char *mb2_parse(const void *mbi, struct boot_info *out)
{
	const uint8_t *p = mbi;
	uint32_t total = *(const uint32_t *)p;

	memset(out, 0, sizeof(*out));
	out->cmdline = "";
	if (total < 16 || total > MB2_MAX_TOTAL_SIZE)
		return "boot information has an implausible total size";
	out->mbi_start = (uint64_t)(uintptr_t)mbi;
	out->mbi_end = out->mbi_start + total;

	/* Tags start at offset 8 and are 8-byte aligned. */
	for (uint32_t off = 8; off + sizeof(struct tag) <= total;) {
		const struct tag *t = (const void *)(p + off);
		if (t->type == MB2_TAG_END)
			return NULL;
		if (t->size < sizeof(struct tag) || t->size > total - off)
			return "a tag runs past the end of the boot information";
		const uint8_t *body = p + off;
		switch (t->type) {
		case MB2_TAG_CMDLINE:
			/* Strings are read with strlen later: each must end inside its own tag. */
			if (!string_in_tag(body, 8, t->size))
				return "the command line does not end inside its tag";
			out->cmdline = (const char *)(body + 8);
			break;
		case MB2_TAG_MODULE: {
			if (t->size < 17)
				return "module tag too short";
			if (out->n_modules == MB2_MAX_MODULES)
				return "too many modules";
			struct mb2_module *m = &out->modules[out->n_modules++];
			m->start = *(const uint32_t *)(body + 8);
			m->end = *(const uint32_t *)(body + 12);
			m->cmdline = (const char *)(body + 16);
			if (!string_in_tag(body, 16, t->size))
				return "a module's name does not end inside its tag";
			if (m->end < m->start)
				return "a module ends before it starts";
			break;
		}
		case MB2_TAG_MMAP: {
			const char *err = parse_mmap(body, t->size, out);
			if (err)
				return err;
			break;
		}
		case MB2_TAG_FRAMEBUFFER: {
			if (t->size < MB2_FRAMEBUFFER_TAG_MIN)
				return "framebuffer tag too short";
			struct mb2_framebuffer *fb = &out->framebuffer;
			fb->addr = *(const uint64_t *)(body + 8);
			fb->pitch = *(const uint32_t *)(body + 16);
			fb->width = *(const uint32_t *)(body + 20);
			fb->height = *(const uint32_t *)(body + 24);
			fb->bpp = body[28];
			fb->type = body[29];
			/* GRUB's layout: a 16-bit reserved field, then the RGB colour fields. */
			if (fb->type == MB2_FRAMEBUFFER_RGB) {
				if (t->size < MB2_FRAMEBUFFER_RGB_TAG_MIN)
					return "RGB framebuffer tag too short";
				fb->red_pos = body[32];
				fb->red_size = body[33];
				fb->green_pos = body[34];
				fb->green_size = body[35];
				fb->blue_pos = body[36];
				fb->blue_size = body[37];
			}
			out->has_framebuffer = true;
			break;
		}
		case MB2_TAG_ACPI_OLD:
		case MB2_TAG_ACPI_NEW:
			/* The RSDP's copy follows the header; the ACPI 2.0 one wins. acpi.c checks its bytes. */
			if (!out->rsdp || t->type == MB2_TAG_ACPI_NEW) {
				out->rsdp = body + 8;
				out->rsdp_len = t->size - 8;
			}
			break;
		default:
			break;
		}
		off += (t->size + 7) & ~7u;
	}
	return "boot information has no end tag";
}
