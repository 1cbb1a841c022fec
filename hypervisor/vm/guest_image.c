#include "vm/guest_image.h"

#include "kernel/kstring.h"
#include "vm/elf64.h"
#include "vm/guest_layout.h"
#include "vm/guest_mem.h"

#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define ET_EXEC 2
#define EM_X86_64 62
#define PT_LOAD 1
#define PF_X 1
#define MAX_PHDRS 64

static const char *check_header(const struct elf64_ehdr *h, uint64_t size)
{
	if (memcmp(h->ident, "\177ELF", 4) != 0)
		return "not-elf";
	if (h->ident[4] != ELFCLASS64 || h->ident[5] != ELFDATA2LSB)
		return "not-elf64-little-endian";
	if (h->type != ET_EXEC)
		return "not-an-executable";
	if (h->machine != EM_X86_64)
		return "not-x86-64";
	if (h->phentsize != sizeof(struct elf64_phdr) || h->phnum == 0 || h->phnum > MAX_PHDRS)
		return "bad-program-headers";
	if (h->phoff > size || (uint64_t)h->phnum * sizeof(struct elf64_phdr) > size - h->phoff)
		return "truncated";
	return NULL;
}

static const char *check_segment(const struct elf64_phdr *p, uint64_t size)
{
	if (p->filesz > p->memsz)
		return "segment-file-size-exceeds-memory-size";
	if (p->offset > size || p->filesz > size - p->offset)
		return "truncated";
	if (p->paddr < GUEST_IMAGE_BASE || p->paddr > GUEST_IMAGE_LIMIT ||
	    p->memsz > GUEST_IMAGE_LIMIT - p->paddr)
		return "segment-outside-guest-image-area";
	return NULL;
}

const char *guest_image_load(struct vm *vm, const uint8_t *image, uint64_t size, uint64_t *entry)
{
	struct elf64_ehdr h;
	if (size < sizeof(h))
		return "truncated";
	memcpy(&h, image, sizeof(h));
	const char *err = check_header(&h, size);
	if (err)
		return err;

	int loaded = 0, entry_ok = 0;
	for (unsigned i = 0; i < h.phnum; i++) {
		struct elf64_phdr p;
		memcpy(&p, image + h.phoff + i * sizeof(p), sizeof(p));
		if (p.type != PT_LOAD || p.memsz == 0)
			continue;
		if ((err = check_segment(&p, size)))
			return err;
		/* Guest paging is an identity map: the physical address is where it runs. */
		guest_mem_write(vm, p.paddr, image + p.offset, p.filesz);
		guest_mem_fill(vm, p.paddr + p.filesz, 0, p.memsz - p.filesz);
		loaded++;
		if ((p.flags & PF_X) && h.entry >= p.paddr && h.entry - p.paddr < p.memsz)
			entry_ok = 1;
	}
	if (!loaded)
		return "no-loadable-segment";
	if (!entry_ok)
		return "entry-outside-executable-segment";
	*entry = h.entry;
	return NULL;
}
