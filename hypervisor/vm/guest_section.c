#include "vm/guest_section.h"

#include "kernel/kstring.h"
#include "vm/elf64.h"

#define SHT_NOBITS 8

static bool in_image(uint64_t off, uint64_t len, uint64_t size)
{
	return off <= size && len <= size - off;
}

static bool read_shdr(const uint8_t *image, uint64_t size, const struct elf64_ehdr *h, unsigned i, struct elf64_shdr *out)
{
	uint64_t off = h->shoff + (uint64_t)i * sizeof(*out);
	if (!in_image(off, sizeof(*out), size))
		return false;
	memcpy(out, image + off, sizeof(*out));
	return true;
}

bool guest_section_find(const uint8_t *image, uint64_t size, const char *name, const uint8_t **data, uint64_t *len)
{
	struct elf64_ehdr h;
	struct elf64_shdr names, sh;
	if (size < sizeof(h))
		return false;
	memcpy(&h, image, sizeof(h));
	if (memcmp(h.ident, "\177ELF", 4) != 0 || h.shentsize != sizeof(struct elf64_shdr) || h.shstrndx >= h.shnum)
		return false;
	if (!read_shdr(image, size, &h, h.shstrndx, &names) || !in_image(names.offset, names.size, size))
		return false;
	size_t want = strlen(name);
	for (unsigned i = 0; i < h.shnum; i++) {
		if (!read_shdr(image, size, &h, i, &sh) || sh.name >= names.size)
			continue;
		const char *n = (const char *)image + names.offset + sh.name;
		if (names.size - sh.name <= want || memcmp(n, name, want + 1) != 0)
			continue;
		if (sh.type == SHT_NOBITS || !in_image(sh.offset, sh.size, size))
			return false;
		*data = image + sh.offset;
		*len = sh.size;
		return true;
	}
	return false;
}
