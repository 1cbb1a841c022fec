#include "vm/kernel_image.h"

#include "kernel/kstring.h"
#include "vm/elf32.h"
#include "vm/elf64.h"
#include "vm/guest_mem.h"
#include "vm/vm.h"

#define ELFCLASS32 1
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define ET_EXEC 2
#define EM_386 3
#define EM_X86_64 62
#define PT_LOAD 1
#define MAX_PHDRS 64
/* Flags 15:0 are requirements a boot loader must refuse when it does not meet them. */
#define MB1_REQUIRED_MASK 0xffffu
#define MB1_REQUIRED_KNOWN (MB1_FLAG_PAGE_ALIGN | MB1_FLAG_MEMORY_INFO | MB1_FLAG_VIDEO_MODE)

/* The multiboot header: magic, flags, checksum, then (flag 16) the a.out-kludge addresses. */
struct mb1_header {
	uint32_t magic, flags, checksum;
	uint32_t header_addr, load_addr, load_end_addr, bss_end_addr, entry_addr;
};

/* One loadable piece, whatever the format it came from. */
struct segment {
	uint64_t offset, paddr, filesz, memsz;
};

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

/* The offset of the first 4-byte-aligned magic in the first 8 KiB, or -1. */
static int64_t find_header(const uint8_t *image, uint64_t size)
{
	uint64_t limit = size < MB1_SEARCH_BYTES ? size : MB1_SEARCH_BYTES;
	for (uint64_t off = 0; off + 12 <= limit; off += 4)
		if (get32(image + off) == MB1_HEADER_MAGIC)
			return (int64_t)off;
	return -1;
}

bool kernel_image_is_multiboot(const uint8_t *image, uint64_t size)
{
	int64_t off = find_header(image, size);
	return off >= 0 && get32(image + off) + get32(image + off + 4) + get32(image + off + 8) == 0;
}

static const char *record(struct kernel_ranges *used, uint64_t start, uint64_t end)
{
	if (start == end)
		return NULL;
	if (used->n == KERNEL_IMAGE_MAX_RANGES)
		return "too-many-segments";
	used->r[used->n].start = start;
	used->r[used->n].end = end;
	used->n++;
	return NULL;
}

static const char *put_segment(struct vm *vm, const uint8_t *image, uint64_t size, const struct segment *s,
			       struct kernel_ranges *used)
{
	if (s->filesz > s->memsz)
		return "segment-file-size-exceeds-memory-size";
	if (s->offset > size || s->filesz > size - s->offset)
		return "truncated";
	if (s->paddr >= vm->mem_size || s->memsz > vm->mem_size - s->paddr)
		return "segment-outside-guest-memory";
	guest_mem_write(vm, s->paddr, image + s->offset, s->filesz);
	guest_mem_fill(vm, s->paddr + s->filesz, 0, s->memsz - s->filesz);
	return record(used, s->paddr, s->paddr + s->memsz);
}

/* The phdr at index i as a segment (ELF32 or ELF64), and whether it is PT_LOAD with bytes to load. */
static bool elf_segment(const uint8_t *image, uint64_t phoff, unsigned i, bool is64, struct segment *s)
{
	if (is64) {
		struct elf64_phdr p;
		memcpy(&p, image + phoff + i * sizeof(p), sizeof(p));
		*s = (struct segment){ p.offset, p.paddr, p.filesz, p.memsz };
		return p.type == PT_LOAD && p.memsz;
	}
	struct elf32_phdr p;
	memcpy(&p, image + phoff + i * sizeof(p), sizeof(p));
	*s = (struct segment){ p.offset, p.paddr, p.filesz, p.memsz };
	return p.type == PT_LOAD && p.memsz;
}

static const char *load_elf(struct vm *vm, const uint8_t *image, uint64_t size, uint64_t *entry,
			    struct kernel_ranges *used)
{
	if (size < 16 || memcmp(image, "\177ELF", 4) != 0)
		return "not-elf";
	if (image[5] != ELFDATA2LSB)
		return "not-little-endian";
	bool is64 = image[4] == ELFCLASS64;
	uint64_t phoff;
	unsigned phnum, phentsize, type, machine;
	if (image[4] == ELFCLASS32) {
		struct elf32_ehdr h;
		if (size < sizeof(h))
			return "truncated";
		memcpy(&h, image, sizeof(h));
		*entry = h.entry, phoff = h.phoff, phnum = h.phnum, phentsize = h.phentsize;
		type = h.type, machine = h.machine;
		if (machine != EM_386)
			return "not-x86";
		if (phentsize != sizeof(struct elf32_phdr))
			return "bad-program-headers";
	} else if (is64) {
		struct elf64_ehdr h;
		if (size < sizeof(h))
			return "truncated";
		memcpy(&h, image, sizeof(h));
		*entry = h.entry, phoff = h.phoff, phnum = h.phnum, phentsize = h.phentsize;
		type = h.type, machine = h.machine;
		if (machine != EM_X86_64)
			return "not-x86";
		if (phentsize != sizeof(struct elf64_phdr))
			return "bad-program-headers";
	} else {
		return "not-elf32-or-elf64";
	}
	if (type != ET_EXEC)
		return "not-an-executable";
	if (phnum == 0 || phnum > MAX_PHDRS)
		return "bad-program-headers";
	if (phoff > size || (uint64_t)phnum * phentsize > size - phoff)
		return "truncated";
	for (unsigned i = 0; i < phnum; i++) {
		struct segment s;
		if (!elf_segment(image, phoff, i, is64, &s))
			continue;
		const char *err = put_segment(vm, image, size, &s, used);
		if (err)
			return err;
	}
	return used->n ? NULL : "no-loadable-segment";
}

/* Flag 16: the header's addresses say where the file's bytes go (Multiboot 0.6.96, 3.1.3). */
static const char *load_aout_kludge(struct vm *vm, const uint8_t *image, uint64_t size, uint64_t header_off,
				    const struct mb1_header *h, uint64_t *entry, struct kernel_ranges *used)
{
	if (header_off + sizeof(*h) > size)
		return "truncated";
	if (h->load_addr > h->header_addr || h->header_addr - h->load_addr > header_off)
		return "multiboot-load-address-after-header";
	uint64_t offset = header_off - (h->header_addr - h->load_addr);
	uint64_t load_end = h->load_end_addr ? h->load_end_addr : h->load_addr + (size - offset);
	if (load_end < h->load_addr)
		return "multiboot-load-end-before-load";
	uint64_t bss_end = h->bss_end_addr ? h->bss_end_addr : load_end;
	if (bss_end < load_end)
		return "multiboot-bss-end-before-load-end";
	struct segment s = { offset, h->load_addr, load_end - h->load_addr, bss_end - h->load_addr };
	*entry = h->entry_addr;
	return put_segment(vm, image, size, &s, used);
}

static bool entry_loaded(const struct kernel_ranges *used, uint64_t entry)
{
	for (unsigned i = 0; i < used->n; i++)
		if (entry >= used->r[i].start && entry < used->r[i].end)
			return true;
	return false;
}

const char *kernel_image_load(struct vm *vm, const uint8_t *image, uint64_t size, uint32_t *entry,
			      struct kernel_ranges *used)
{
	int64_t off = find_header(image, size);
	if (off < 0)
		return "no-multiboot-header";
	struct mb1_header h = { 0 };
	memcpy(&h, image + off, size - (uint64_t)off < sizeof(h) ? size - (uint64_t)off : sizeof(h));
	if (h.magic + h.flags + h.checksum != 0)
		return "multiboot-bad-checksum";
	if (h.flags & MB1_REQUIRED_MASK & ~MB1_REQUIRED_KNOWN)
		return "multiboot-unsupported-flags";
	used->n = 0;
	uint64_t e = 0;
	const char *err = (h.flags & MB1_FLAG_AOUT_KLUDGE)
				  ? load_aout_kludge(vm, image, size, (uint64_t)off, &h, &e, used)
				  : load_elf(vm, image, size, &e, used);
	if (err)
		return err;
	if (e >> 32)
		return "entry-above-4g";
	if (!entry_loaded(used, e))
		return "entry-outside-loaded-image";
	*entry = (uint32_t)e;
	return NULL;
}
