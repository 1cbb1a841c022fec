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

/* The offset of the first `align`-aligned `magic` in the first `limit` bytes (room for `need` after it), or -1. */
static int64_t find_magic(const uint8_t *image, uint64_t size, uint32_t magic, uint64_t align, uint64_t limit,
			  uint64_t need)
{
	if (size < limit)
		limit = size;
	for (uint64_t off = 0; off + need <= limit; off += align)
		if (get32(image + off) == magic)
			return (int64_t)off;
	return -1;
}

/* Version 1: 4-byte aligned in the first 8 KiB (Multiboot 0.6.96, 3.1.1). */
static int64_t find_header(const uint8_t *image, uint64_t size)
{
	return find_magic(image, size, MB1_HEADER_MAGIC, 4, MB1_SEARCH_BYTES, 12);
}

/* Version 2: 8-byte aligned in the first 32 KiB (Multiboot 2.0, 3.1.1). */
static int64_t find_header2(const uint8_t *image, uint64_t size)
{
	return find_magic(image, size, MB2_HEADER_MAGIC, 8, MB2_SEARCH_BYTES, 16);
}

enum kernel_format kernel_image_format(const uint8_t *image, uint64_t size)
{
	int64_t off = find_header(image, size);
	if (off >= 0)
		return KERNEL_MULTIBOOT1;
	return find_header2(image, size) >= 0 ? KERNEL_MULTIBOOT2 : KERNEL_NOT_MULTIBOOT;
}

bool kernel_image_is_multiboot(const uint8_t *image, uint64_t size)
{
	int64_t off = find_header(image, size);
	if (off >= 0)
		return get32(image + off) + get32(image + off + 4) + get32(image + off + 8) == 0;
	off = find_header2(image, size);
	return off >= 0 && get32(image + off) + get32(image + off + 4) + get32(image + off + 8) +
					   get32(image + off + 12) == 0;
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

/*
 * The header's addresses say where the file's bytes go (version 1 flag 16,
 * Multiboot 0.6.96 3.1.3; version 2's address tag, Multiboot 2.0 3.1.5): the
 * header at header_addr, the file from load_addr to load_end_addr (0: its end),
 * zeros up to bss_end_addr (0: none).
 */
static const char *load_flat(struct vm *vm, const uint8_t *image, uint64_t size, uint64_t header_off,
			     const struct mb1_header *h, uint64_t *entry, struct kernel_ranges *used)
{
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

static const char *check_entry(const struct kernel_ranges *used, uint64_t e, uint32_t *entry)
{
	if (e >> 32)
		return "entry-above-4g";
	if (!entry_loaded(used, e))
		return "entry-outside-loaded-image";
	*entry = (uint32_t)e;
	return NULL;
}

/* Version 2 tag types (Multiboot 2.0, 3.1.3-3.1.12) and the boot information a request may ask for. */
#define MB2_HTAG_END 0
#define MB2_HTAG_INFO_REQUEST 1
#define MB2_HTAG_ADDRESS 2
#define MB2_HTAG_ENTRY 3
#define MB2_HTAG_CONSOLE 4
#define MB2_HTAG_MODULE_ALIGN 6
#define MB2_HTAG_OPTIONAL 1u
#define MB2_PROVIDED_INFO ((1u << 1) | (1u << 2) | (1u << 3) | (1u << 4) | (1u << 6)) /* cmdline, name, modules,
										       * meminfo, mmap */

/* The header's tags: what vexit cannot honour is refused unless the kernel marked it optional. */
static const char *read_tags2(const uint8_t *image, uint64_t off, uint32_t len, struct mb1_header *addr,
			      bool *has_addr, uint64_t *entry, bool *has_entry)
{
	for (uint64_t t = off + 16; t + 8 <= off + len;) {
		uint32_t type = get32(image + t) & 0xffff, flags = get32(image + t) >> 16, tsize = get32(image + t + 4);
		bool optional = flags & MB2_HTAG_OPTIONAL;
		if (tsize < 8 || tsize > off + len - t)
			return "multiboot2-bad-tag";
		if (type == MB2_HTAG_END)
			return NULL;
		if (type == MB2_HTAG_INFO_REQUEST) {
			for (uint32_t i = 8; i + 4 <= tsize; i += 4) {
				uint32_t want = get32(image + t + i);
				if (!optional && (want >= 32 || !(MB2_PROVIDED_INFO & (1u << want))))
					return "multiboot2-unsupported-request";
			}
		} else if (type == MB2_HTAG_ADDRESS) {
			if (tsize < 24)
				return "multiboot2-bad-tag";
			addr->header_addr = get32(image + t + 8);
			addr->load_addr = get32(image + t + 12);
			addr->load_end_addr = get32(image + t + 16);
			addr->bss_end_addr = get32(image + t + 20);
			*has_addr = true;
		} else if (type == MB2_HTAG_ENTRY) {
			if (tsize < 12)
				return "multiboot2-bad-tag";
			*entry = get32(image + t + 8);
			*has_entry = true;
		} else if (type == MB2_HTAG_CONSOLE) {
			/* Bit 0 of console_flags: an EGA text console is required. vexit's is serial. */
			if (tsize >= 12 && (get32(image + t + 8) & 1) && !optional)
				return "multiboot2-unsupported-tag";
		} else if (type != MB2_HTAG_MODULE_ALIGN && !optional) {
			return "multiboot2-unsupported-tag";
		}
		t += (tsize + 7) & ~7u;
	}
	return "multiboot2-bad-tag"; /* no end tag inside the header */
}

static const char *load_multiboot2(struct vm *vm, const uint8_t *image, uint64_t size, uint32_t *entry,
				   struct kernel_ranges *used)
{
	int64_t found = find_header2(image, size);
	if (found < 0)
		return "no-multiboot-header";
	uint64_t off = (uint64_t)found;
	uint32_t arch = get32(image + off + 4), len = get32(image + off + 8);
	if (get32(image + off) + arch + len + get32(image + off + 12) != 0)
		return "multiboot-bad-checksum";
	if (arch != 0)
		return "multiboot2-not-i386";
	if (len < 24 || len > size - off)
		return "truncated";
	struct mb1_header addr = { 0 };
	bool has_addr = false, has_entry = false;
	uint64_t tag_entry = 0, e = 0;
	const char *err = read_tags2(image, off, len, &addr, &has_addr, &tag_entry, &has_entry);
	if (err)
		return err;
	used->n = 0;
	if (has_addr && !has_entry)
		return "multiboot2-address-without-entry";
	addr.entry_addr = (uint32_t)tag_entry;
	err = has_addr ? load_flat(vm, image, size, off, &addr, &e, used) : load_elf(vm, image, size, &e, used);
	if (err)
		return err;
	return check_entry(used, has_entry ? tag_entry : e, entry);
}

const char *kernel_image_load(struct vm *vm, const uint8_t *image, uint64_t size, uint32_t *entry,
			      struct kernel_ranges *used)
{
	int64_t off = find_header(image, size);
	if (off < 0)
		return load_multiboot2(vm, image, size, entry, used);
	struct mb1_header h = { 0 };
	memcpy(&h, image + off, size - (uint64_t)off < sizeof(h) ? size - (uint64_t)off : sizeof(h));
	if (h.magic + h.flags + h.checksum != 0)
		return "multiboot-bad-checksum";
	if (h.flags & MB1_REQUIRED_MASK & ~MB1_REQUIRED_KNOWN)
		return "multiboot-unsupported-flags";
	used->n = 0;
	uint64_t e = 0;
	const char *err;
	if (!(h.flags & MB1_FLAG_AOUT_KLUDGE))
		err = load_elf(vm, image, size, &e, used);
	else if ((uint64_t)off + sizeof(h) > size)
		err = "truncated";
	else
		err = load_flat(vm, image, size, (uint64_t)off, &h, &e, used);
	return err ? err : check_entry(used, e, entry);
}
