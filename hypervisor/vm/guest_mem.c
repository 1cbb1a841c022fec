#include "vm/guest_mem.h"

#include "kernel/kstring.h"
#include "vm/vm.h"

/* Paging-structure entry bits (SDM Vol. 3A 4.5, tables 4-15 to 4-20). */
#define PTE_PRESENT 1ull
#define PTE_RW (1ull << 1)
#define PTE_US (1ull << 2)
#define PTE_ACCESSED (1ull << 5)
#define PTE_DIRTY (1ull << 6)
#define PTE_PS (1ull << 7)
#define PTE_XD (1ull << 63)
#define PTE_ADDR_MASK 0x000ffffffffff000ull

static uint8_t *page_of(const struct vm *vm, uint64_t gpa)
{
	if (gpa >= vm->mem_size)
		return NULL;
	return (uint8_t *)(uintptr_t)vm->mem_pages[gpa / PAGE_SIZE];
}

static bool copy(const struct vm *vm, uint64_t gpa, uint8_t *host, size_t n, bool to_guest)
{
	if (gpa >= vm->mem_size || n > vm->mem_size - gpa)
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
	if (gpa >= vm->mem_size || n > vm->mem_size - gpa)
		return false;
	/* A page at a time, straight into its host page: a kernel's bss can be many MiB. */
	while (n) {
		size_t off = gpa % PAGE_SIZE;
		size_t chunk = PAGE_SIZE - off < n ? PAGE_SIZE - off : n;
		memset(page_of(vm, gpa) + off, byte, chunk);
		gpa += chunk;
		n -= chunk;
	}
	return true;
}

/* Reserved bits of a present entry at `level` (3 = PML4E ... 0 = PTE), SDM Vol. 3A 4.5.4. */
static bool entry_reserved(const struct guest_paging *pg, uint64_t entry, int level)
{
	uint64_t addr_rsvd = pg->phys_addr_bits >= 52 ? 0 : PTE_ADDR_MASK & ~((1ull << pg->phys_addr_bits) - 1);
	if ((entry & addr_rsvd) || (!pg->nxe && (entry & PTE_XD)))
		return true;
	if (level == 3)
		return entry & PTE_PS;
	if ((level == 2 || level == 1) && (entry & PTE_PS)) {
		/* A large page's address starts at bit 30 (1 GiB) or 21 (2 MiB); bit 12 is PAT. */
		uint64_t low = ((1ull << (12 + 9 * (unsigned)level)) - 1) & ~0x1fffull;
		return entry & low;
	}
	return false;
}

/* The permission check of SDM Vol. 3A 4.6 over the combined flags of all levels: 0, or the #PF error bits. */
static uint32_t access_denied(const struct guest_paging *pg, bool user_page, bool writable, bool xd, unsigned access)
{
	bool write = access == GUEST_ACCESS_WRITE, fetch = access == GUEST_ACCESS_FETCH;
	if (pg->user) {
		if (!user_page || (write && !writable) || (fetch && xd))
			return PF_ERROR_P;
		return 0;
	}
	if (fetch)
		return (xd || (user_page && pg->smep)) ? PF_ERROR_P : 0;
	if (user_page && pg->smap && !pg->ac)
		return PF_ERROR_P;
	return write && !writable && pg->wp ? PF_ERROR_P : 0;
}

enum guest_walk guest_walk(struct vm *vm, const struct guest_paging *pg, uint64_t la, unsigned access, uint64_t *gpa,
			   uint32_t *pf_error)
{
	uint32_t kind = (access == GUEST_ACCESS_WRITE ? PF_ERROR_W : 0) | (pg->user ? PF_ERROR_U : 0) |
			(access == GUEST_ACCESS_FETCH && (pg->nxe || pg->smep) ? PF_ERROR_I : 0);
	uint64_t table = pg->cr3 & PTE_ADDR_MASK, where[4], entries[4];
	bool user_page = true, writable = true, xd = false;
	/* Levels: PML4 (bits 47:39), PDPT (38:30), PD (29:21), PT (20:12). */
	for (int level = 3; level >= 0; level--) {
		unsigned shift = 12 + 9 * (unsigned)level;
		uint64_t at = table + 8 * ((la >> shift) & 511), entry;
		if (!guest_mem_read(vm, at, &entry, sizeof(entry))) {
			*gpa = at;
			return GUEST_WALK_NO_MEMORY;
		}
		if (!(entry & PTE_PRESENT)) {
			*pf_error = kind;
			return GUEST_WALK_PAGE_FAULT;
		}
		if (entry_reserved(pg, entry, level)) {
			*pf_error = kind | PF_ERROR_P | PF_ERROR_RSVD;
			return GUEST_WALK_PAGE_FAULT;
		}
		where[3 - level] = at;
		entries[3 - level] = entry;
		user_page = user_page && (entry & PTE_US);
		writable = writable && (entry & PTE_RW);
		xd = xd || (pg->nxe && (entry & PTE_XD));
		if (level == 0 || (entry & PTE_PS)) {
			uint32_t denied = access_denied(pg, user_page, writable, xd, access);
			if (denied) {
				*pf_error = kind | denied;
				return GUEST_WALK_PAGE_FAULT;
			}
			for (int i = 0; i <= 3 - level; i++) {
				uint64_t flags = PTE_ACCESSED | (i == 3 - level && access == GUEST_ACCESS_WRITE ? PTE_DIRTY : 0);
				if ((entries[i] & flags) != flags) {
					entries[i] |= flags;
					guest_mem_write(vm, where[i], &entries[i], sizeof(entries[i]));
				}
			}
			uint64_t page_mask = (1ull << shift) - 1;
			*gpa = (entry & PTE_ADDR_MASK & ~page_mask) | (la & page_mask);
			return GUEST_WALK_OK;
		}
		table = entry & PTE_ADDR_MASK;
	}
	*gpa = table;
	return GUEST_WALK_NO_MEMORY; /* not reached: level 0 always ends the walk */
}
