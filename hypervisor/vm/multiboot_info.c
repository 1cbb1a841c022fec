#include "vm/multiboot_info.h"

#include "kernel/kstring.h"
#include "kernel/page_alloc.h"
#include "vm/guest_mem.h"
#include "vm/vm.h"

#define MMAP_ENTRIES 4
#define MOD_ENTRY_SIZE 16u

/* Guest memory already taken: the kernel, the hole, and what has been placed so far. */
struct taken {
	unsigned n;
	struct { uint64_t start, end; } r[KERNEL_IMAGE_MAX_RANGES + MB1_MAX_MODULES + 2];
};

/* The lowest page-aligned address from the second page up where size bytes overlap nothing taken. */
static bool place(struct taken *t, uint64_t mem_size, uint64_t size, uint64_t *at)
{
	uint64_t a = PAGE_SIZE;
	for (bool moved = true; moved;) {
		moved = false;
		for (unsigned i = 0; i < t->n; i++) {
			if (a < t->r[i].end && a + size > t->r[i].start) {
				a = (t->r[i].end + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
				moved = true;
			}
		}
	}
	if (a > mem_size || size > mem_size - a)
		return false;
	t->r[t->n].start = a;
	t->r[t->n].end = a + (size ? size : 1);
	t->n++;
	*at = a;
	return true;
}

static void put32(uint8_t *b, unsigned off, uint32_t v)
{
	memcpy(b + off, &v, sizeof(v));
}

/* Entry i of the PC's memory map (MMAP_ENTRIES entries): RAM, the two reserved holes, RAM from 1 MiB. */
static void pc_map(uint64_t mem_size, unsigned i, uint64_t *base, uint64_t *len, uint32_t *type)
{
	static const uint64_t fixed[3][3] = { { 0, MB1_LOW_MEMORY_END, MB1_MMAP_AVAILABLE },
					      { MB1_LOW_MEMORY_END, 0xa0000 - MB1_LOW_MEMORY_END, MB1_MMAP_RESERVED },
					      { 0xf0000, MB1_HIGH_MEMORY - 0xf0000, MB1_MMAP_RESERVED } };
	*base = i < 3 ? fixed[i][0] : MB1_HIGH_MEMORY;
	*len = i < 3 ? fixed[i][1] : mem_size - MB1_HIGH_MEMORY;
	*type = i < 3 ? (uint32_t)fixed[i][2] : MB1_MMAP_AVAILABLE;
}

/* Version 1's entry i: the size word (which does not count itself), base, length, type. */
static void put_mmap(uint8_t *b, unsigned i, uint64_t mem_size)
{
	uint8_t *e = b + i * MB1_MMAP_ENTRY_SIZE;
	uint64_t base, len;
	uint32_t type;
	pc_map(mem_size, i, &base, &len, &type);
	put32(e, 0, MB1_MMAP_ENTRY_SIZE - 4);
	memcpy(e + 4, &base, 8);
	memcpy(e + 12, &len, 8);
	put32(e, 20, type);
}

/* Mark the kernel and the low hole taken, then copy the modules in, each on its own pages (version 1's
 * flag 0 asks for it; vexit always does it); where each went is at[i]. NULL, or why not. */
static const char *place_modules(struct vm *vm, const struct kernel_ranges *kernel, const struct mb1_module *mods,
				 unsigned n_mods, struct taken *t, uint64_t *at)
{
	if (n_mods > MB1_MAX_MODULES)
		return "too-many-modules";
	if (vm->mem_size < 2 * MB1_HIGH_MEMORY || vm->mem_size > (1ull << 32))
		return "guest-memory-size";
	t->n = 0;
	for (unsigned i = 0; i < kernel->n; i++) {
		t->r[t->n].start = kernel->r[i].start;
		t->r[t->n++].end = kernel->r[i].end;
	}
	t->r[t->n].start = MB1_LOW_MEMORY_END;
	t->r[t->n++].end = MB1_HIGH_MEMORY;
	for (unsigned i = 0; i < n_mods; i++) {
		if (!place(t, vm->mem_size, mods[i].size, &at[i]))
			return "modules-do-not-fit";
		guest_mem_write(vm, at[i], mods[i].data, mods[i].size);
	}
	return NULL;
}

const char *multiboot_info_write(struct vm *vm, const struct kernel_ranges *kernel, const char *cmdline,
				 const struct mb1_module *mods, unsigned n_mods, uint32_t *mbi_addr)
{
	struct taken t;
	uint64_t at[MB1_MAX_MODULES];
	const char *why = place_modules(vm, kernel, mods, n_mods, &t, at);
	if (why)
		return why;
	uint8_t entries[MB1_MAX_MODULES * MOD_ENTRY_SIZE];
	for (unsigned i = 0; i < n_mods; i++) {
		put32(entries, i * MOD_ENTRY_SIZE, (uint32_t)at[i]);
		put32(entries, i * MOD_ENTRY_SIZE + 4, (uint32_t)(at[i] + mods[i].size));
		put32(entries, i * MOD_ENTRY_SIZE + 12, 0);
	}

	/* Then one block: the info, the memory map, module entries, and the strings. */
	uint64_t cmd_len = strlen(cmdline) + 1, name_len = sizeof(MB1_LOADER_NAME);
	uint64_t strings = cmd_len + name_len;
	for (unsigned i = 0; i < n_mods; i++)
		strings += strlen(mods[i].string) + 1;
	uint64_t mmap_off = MB1_INFO_SIZE, mods_off = mmap_off + MMAP_ENTRIES * MB1_MMAP_ENTRY_SIZE;
	uint64_t str_off = mods_off + n_mods * MOD_ENTRY_SIZE;
	uint64_t base;
	if (!place(&t, vm->mem_size, str_off + strings, &base))
		return "boot-information-does-not-fit";

	uint8_t info[MB1_INFO_SIZE] = { 0 };
	put32(info, 0, MB1_INFO_MEMORY | MB1_INFO_CMDLINE | MB1_INFO_MODS | MB1_INFO_MMAP | MB1_INFO_LOADER_NAME);
	put32(info, 4, (uint32_t)(MB1_LOW_MEMORY_END / 1024));
	put32(info, 8, (uint32_t)((vm->mem_size - MB1_HIGH_MEMORY) / 1024));
	put32(info, 12, 0xffffffffu); /* boot_device: none (the flag stays clear too) */
	put32(info, 16, (uint32_t)(base + str_off));
	put32(info, 20, n_mods);
	put32(info, 24, (uint32_t)(base + mods_off));
	put32(info, 44, MMAP_ENTRIES * MB1_MMAP_ENTRY_SIZE);
	put32(info, 48, (uint32_t)(base + mmap_off));
	put32(info, 64, (uint32_t)(base + str_off + cmd_len));
	guest_mem_write(vm, base, info, sizeof(info));

	uint8_t map[MMAP_ENTRIES * MB1_MMAP_ENTRY_SIZE];
	for (unsigned i = 0; i < MMAP_ENTRIES; i++)
		put_mmap(map, i, vm->mem_size);
	guest_mem_write(vm, base + mmap_off, map, sizeof(map));

	uint64_t s = base + str_off;
	guest_mem_write(vm, s, cmdline, cmd_len);
	guest_mem_write(vm, s + cmd_len, MB1_LOADER_NAME, name_len);
	s += cmd_len + name_len;
	for (unsigned i = 0; i < n_mods; i++) {
		put32(entries, i * MOD_ENTRY_SIZE + 8, (uint32_t)s);
		uint64_t len = strlen(mods[i].string) + 1;
		guest_mem_write(vm, s, mods[i].string, len);
		s += len;
	}
	guest_mem_write(vm, base + mods_off, entries, n_mods * MOD_ENTRY_SIZE);
	*mbi_addr = (uint32_t)base;
	return NULL;
}

/* Version 2 tag types (Multiboot 2.0, 3.6). */
#define MB2_TAG_END 0
#define MB2_TAG_CMDLINE 1
#define MB2_TAG_LOADER_NAME 2
#define MB2_TAG_MODULE 3
#define MB2_TAG_BASIC_MEMINFO 4
#define MB2_TAG_MMAP 6
#define MB2_MMAP_ENTRY_SIZE 24u
#define MB2_MMAP_BODY (8 + MMAP_ENTRIES * MB2_MMAP_ENTRY_SIZE)

static uint32_t tag_span(uint64_t body_len)
{
	return (uint32_t)((8 + body_len + 7) & ~7ull);
}

/* Write a tag (header, then body) at *at in guest memory; the next one starts 8-byte aligned. */
static void put_tag(struct vm *vm, uint64_t *at, uint32_t type, const void *body, uint32_t body_len)
{
	uint32_t head[2] = { type, 8 + body_len };
	guest_mem_fill(vm, *at, 0, tag_span(body_len));
	guest_mem_write(vm, *at, head, sizeof(head));
	guest_mem_write(vm, *at + 8, body, body_len);
	*at += tag_span(body_len);
}

const char *multiboot2_info_write(struct vm *vm, const struct kernel_ranges *kernel, const char *cmdline,
				  const struct mb1_module *mods, unsigned n_mods, uint32_t *mbi_addr)
{
	struct taken t;
	uint64_t at[MB1_MAX_MODULES];
	const char *why = place_modules(vm, kernel, mods, n_mods, &t, at);
	if (why)
		return why;
	uint32_t cmd_len = (uint32_t)strlen(cmdline) + 1;
	uint64_t total = 8 + tag_span(cmd_len) + tag_span(sizeof(MB1_LOADER_NAME)) + tag_span(8) +
			 tag_span(MB2_MMAP_BODY) + tag_span(0);
	for (unsigned i = 0; i < n_mods; i++)
		total += tag_span(8 + strlen(mods[i].string) + 1);
	uint64_t base;
	if (!place(&t, vm->mem_size, total, &base))
		return "boot-information-does-not-fit";
	uint32_t fixed[2] = { (uint32_t)total, 0 };
	guest_mem_write(vm, base, fixed, sizeof(fixed));
	uint64_t p = base + 8;
	put_tag(vm, &p, MB2_TAG_CMDLINE, cmdline, cmd_len);
	put_tag(vm, &p, MB2_TAG_LOADER_NAME, MB1_LOADER_NAME, sizeof(MB1_LOADER_NAME));
	uint32_t meminfo[2] = { (uint32_t)(MB1_LOW_MEMORY_END / 1024), (uint32_t)((vm->mem_size - MB1_HIGH_MEMORY) / 1024) };
	put_tag(vm, &p, MB2_TAG_BASIC_MEMINFO, meminfo, sizeof(meminfo));
	uint8_t map[MB2_MMAP_BODY] = { 0 };
	put32(map, 0, MB2_MMAP_ENTRY_SIZE); /* entry size, then entry version 0 */
	for (unsigned i = 0; i < MMAP_ENTRIES; i++) {
		uint64_t b, len;
		uint32_t type;
		pc_map(vm->mem_size, i, &b, &len, &type);
		memcpy(map + 8 + i * MB2_MMAP_ENTRY_SIZE, &b, 8);
		memcpy(map + 16 + i * MB2_MMAP_ENTRY_SIZE, &len, 8);
		put32(map, 24 + i * MB2_MMAP_ENTRY_SIZE, type);
	}
	put_tag(vm, &p, MB2_TAG_MMAP, map, sizeof(map));
	for (unsigned i = 0; i < n_mods; i++) {
		/* The tag: type, size, the module's start and end, then its string. */
		uint32_t slen = (uint32_t)strlen(mods[i].string) + 1;
		uint32_t head[4] = { MB2_TAG_MODULE, 16 + slen, (uint32_t)at[i], (uint32_t)(at[i] + mods[i].size) };
		guest_mem_fill(vm, p, 0, tag_span(8 + slen));
		guest_mem_write(vm, p, head, sizeof(head));
		guest_mem_write(vm, p + 16, mods[i].string, slen);
		p += tag_span(8 + slen);
	}
	put_tag(vm, &p, MB2_TAG_END, NULL, 0);
	*mbi_addr = (uint32_t)base;
	return NULL;
}
