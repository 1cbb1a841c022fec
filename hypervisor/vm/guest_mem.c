#include "vm/guest_mem.h"

#include "kernel/kstring.h"
#include "vm/vm.h"

#define PTE_PRESENT 1ull
#define PTE_PS (1ull << 7)
#define PTE_ADDR_MASK 0x000ffffffffff000ull

static uint8_t *page_of(const struct vm *vm, uint64_t gpa)
{
	if (gpa >= GUEST_MEM_SIZE)
		return NULL;
	return (uint8_t *)(uintptr_t)vm->mem_pages[gpa / PAGE_SIZE];
}

static bool copy(const struct vm *vm, uint64_t gpa, uint8_t *host, size_t n, bool to_guest)
{
	if (gpa >= GUEST_MEM_SIZE || n > GUEST_MEM_SIZE - gpa)
		return false;
	while (n) {
		size_t off = gpa % PAGE_SIZE;
		size_t chunk = PAGE_SIZE - off < n ? PAGE_SIZE - off : n;
		uint8_t *page = page_of(vm, gpa);
		if (to_guest)
			memcpy(page + off, host, chunk);
		else
			memcpy(host, page + off, chunk);
		gpa += chunk;
		host += chunk;
		n -= chunk;
	}
	return true;
}

bool guest_mem_read(const struct vm *vm, uint64_t gpa, void *dst, size_t n)
{
	return copy(vm, gpa, dst, n, false);
}

bool guest_mem_write(struct vm *vm, uint64_t gpa, const void *src, size_t n)
{
	return copy(vm, gpa, (uint8_t *)(uintptr_t)src, n, true);
}

bool guest_mem_fill(struct vm *vm, uint64_t gpa, uint8_t byte, size_t n)
{
	uint8_t block[64];
	memset(block, byte, sizeof(block));
	while (n) {
		size_t chunk = n < sizeof(block) ? n : sizeof(block);
		if (!guest_mem_write(vm, gpa, block, chunk))
			return false;
		gpa += chunk;
		n -= chunk;
	}
	return true;
}

bool guest_linear_to_phys(const struct vm *vm, uint64_t cr3, uint64_t la, uint64_t *gpa)
{
	uint64_t table = cr3 & PTE_ADDR_MASK;
	/* Levels: PML4 (bits 47:39), PDPT (38:30), PD (29:21), PT (20:12). */
	for (int level = 3; level >= 0; level--) {
		unsigned shift = 12 + 9 * (unsigned)level;
		uint64_t entry;
		if (!guest_mem_read(vm, table + 8 * ((la >> shift) & 511), &entry, sizeof(entry)))
			return false;
		if (!(entry & PTE_PRESENT))
			return false;
		if (level == 0 || ((level == 1 || level == 2) && (entry & PTE_PS))) {
			uint64_t page_mask = (1ull << shift) - 1;
			*gpa = (entry & PTE_ADDR_MASK & ~page_mask) | (la & page_mask);
			return true;
		}
		table = entry & PTE_ADDR_MASK;
	}
	return false;
}
