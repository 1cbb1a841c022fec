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

static void put_mmap(uint8_t *b, unsigned i, uint64_t base, uint64_t len, uint32_t type)
{
	uint8_t *e = b + i * MB1_MMAP_ENTRY_SIZE;
	put32(e, 0, MB1_MMAP_ENTRY_SIZE - 4); /* the size word does not count itself */
	memcpy(e + 4, &base, 8);
	memcpy(e + 12, &len, 8);
	put32(e, 20, type);
}

const char *multiboot_info_write(struct vm *vm, const struct kernel_ranges *kernel, const char *cmdline,
				 const struct mb1_module *mods, unsigned n_mods, uint32_t *mbi_addr)
{
	if (n_mods > MB1_MAX_MODULES)
		return "too-many-modules";
	if (vm->mem_size < 2 * MB1_HIGH_MEMORY || vm->mem_size > (1ull << 32))
		return "guest-memory-size";
	struct taken t = { .n = 0 };
	for (unsigned i = 0; i < kernel->n; i++) {
		t.r[t.n].start = kernel->r[i].start;
		t.r[t.n++].end = kernel->r[i].end;
	}
	t.r[t.n].start = MB1_LOW_MEMORY_END;
	t.r[t.n++].end = MB1_HIGH_MEMORY;

	/* Modules first, each on its own pages (flag 0 asks for it; vexit always does it). */
	uint8_t entries[MB1_MAX_MODULES * MOD_ENTRY_SIZE];
	for (unsigned i = 0; i < n_mods; i++) {
		uint64_t at;
		if (!place(&t, vm->mem_size, mods[i].size, &at))
			return "modules-do-not-fit";
		guest_mem_write(vm, at, mods[i].data, mods[i].size);
		put32(entries, i * MOD_ENTRY_SIZE, (uint32_t)at);
		put32(entries, i * MOD_ENTRY_SIZE + 4, (uint32_t)(at + mods[i].size));
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
	put_mmap(map, 0, 0, MB1_LOW_MEMORY_END, MB1_MMAP_AVAILABLE);
	put_mmap(map, 1, MB1_LOW_MEMORY_END, 0xa0000 - MB1_LOW_MEMORY_END, MB1_MMAP_RESERVED);
	put_mmap(map, 2, 0xf0000, MB1_HIGH_MEMORY - 0xf0000, MB1_MMAP_RESERVED);
	put_mmap(map, 3, MB1_HIGH_MEMORY, vm->mem_size - MB1_HIGH_MEMORY, MB1_MMAP_AVAILABLE);
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
