#include "vmx/ept.h"

#include "hw/vmx_insn.h"
#include "kernel/kstring.h"
#include "kernel/page_alloc.h"
#include "vmx/vmx_caps.h"

#define EPT_RWX 0x7ull
#define EPT_READ_WRITE 0x3ull
#define EPT_MEMTYPE_WB 6ull
#define EPT_LEAF_MEMTYPE_SHIFT 3
#define EPT_LARGE (1ull << 7) /* a PDE that maps a 2 MiB page (SDM 29.3.2, table 29-4) */
#define EPT_ADDR_MASK 0x000ffffffffff000ull
#define EPT_LEAF (EPT_RWX | (EPT_MEMTYPE_WB << EPT_LEAF_MEMTYPE_SHIFT))
#define EPT_CAP_LARGE_2M (1ull << 16)
/* EPTP (SDM 25.6.11): memory type in bits 2:0, page-walk length minus one in bits 5:3. */
#define EPTP_WALK_LENGTH_4 (3ull << 3)
#define LARGE_SIZE (EPT_PAGES_PER_LARGE * PAGE_SIZE)

static uint64_t *table(uint64_t entry)
{
	return (uint64_t *)(uintptr_t)(entry & EPT_ADDR_MASK);
}

/* The table entry `*slot` points to, made (zeroed) when it is empty; 0 when out of memory. */
static uint64_t next_table(uint64_t *slot)
{
	if (!*slot) {
		uint64_t p = page_alloc();
		if (!p)
			return 0;
		memset((void *)(uintptr_t)p, 0, PAGE_SIZE);
		*slot = p | EPT_RWX;
	}
	return *slot & EPT_ADDR_MASK;
}

/* pages[0..count) are one 2 MiB-aligned run of host pages. */
static bool one_large_run(const uint64_t *pages, uint64_t count)
{
	if (count != EPT_PAGES_PER_LARGE || pages[0] % LARGE_SIZE)
		return false;
	for (uint64_t i = 1; i < count; i++)
		if (pages[i] != pages[0] + i * PAGE_SIZE)
			return false;
	return true;
}

uint64_t ept_build(struct ept *e, const uint64_t *pages, uint64_t n, bool large_pages)
{
	uint64_t pml4 = page_alloc();
	e->pml4 = pml4;
	if (!pml4 || n > EPT_MAX_PAGES)
		return 0;
	memset((void *)(uintptr_t)pml4, 0, PAGE_SIZE);
	/* One 2 MiB unit of guest memory per step: a PDE, then a large leaf or a page table. */
	for (uint64_t first = 0; first < n; first += EPT_PAGES_PER_LARGE) {
		uint64_t gpa = first * PAGE_SIZE;
		uint64_t count = n - first < EPT_PAGES_PER_LARGE ? n - first : EPT_PAGES_PER_LARGE;
		uint64_t pdpt = next_table(&table(pml4)[(gpa >> 39) & 511]);
		uint64_t pd = pdpt ? next_table(&table(pdpt)[(gpa >> 30) & 511]) : 0;
		if (!pd)
			return 0;
		uint64_t *pde = &table(pd)[(gpa >> 21) & 511];
		if (large_pages && one_large_run(&pages[first], count)) {
			*pde = pages[first] | EPT_LARGE | EPT_LEAF;
			continue;
		}
		uint64_t pt = next_table(pde);
		if (!pt)
			return 0;
		for (uint64_t i = 0; i < count; i++)
			table(pt)[i] = pages[first + i] | EPT_LEAF;
	}
	return pml4 | EPTP_WALK_LENGTH_4 | EPT_MEMTYPE_WB;
}

/* The 4 KiB leaf entry for gpa, tables made as needed; NULL when out of memory or inside a 2 MiB page. */
static uint64_t *leaf_slot(struct ept *e, uint64_t gpa)
{
	uint64_t pdpt = next_table(&table(e->pml4)[(gpa >> 39) & 511]);
	uint64_t pd = pdpt ? next_table(&table(pdpt)[(gpa >> 30) & 511]) : 0;
	if (!pd || (table(pd)[(gpa >> 21) & 511] & EPT_LARGE))
		return NULL; /* out of memory, or inside guest memory that a 2 MiB page maps */
	uint64_t pt = next_table(&table(pd)[(gpa >> 21) & 511]);
	return pt ? &table(pt)[(gpa >> 12) & 511] : NULL;
}

static bool set_leaf(struct ept *e, uint64_t gpa, uint64_t entry)
{
	uint64_t *leaf = leaf_slot(e, gpa);
	if (!leaf)
		return false;
	*leaf = entry;
	return true;
}

bool ept_map_page(struct ept *e, uint64_t gpa, uint64_t hpa)
{
	/* Read and write, not execute: nothing runs from a device page. */
	return set_leaf(e, gpa, hpa | EPT_READ_WRITE | (EPT_MEMTYPE_WB << EPT_LEAF_MEMTYPE_SHIFT));
}

bool ept_map_memory_page(struct ept *e, uint64_t gpa, uint64_t hpa)
{
	return set_leaf(e, gpa, hpa | EPT_LEAF);
}

bool ept_unmap_page(struct ept *e, uint64_t gpa)
{
	return set_leaf(e, gpa, 0);
}

/* Free the tables below table t at `level` (3: PML4, 2: PDPT, 1: PD), then t itself. */
static void free_table(uint64_t t, int level)
{
	for (unsigned i = 0; level > 1 && i < 512; i++) {
		uint64_t entry = table(t)[i];
		if (entry && !(entry & EPT_LARGE))
			free_table(entry & EPT_ADDR_MASK, level - 1);
	}
	/* A PD's non-large entries are page tables: leaves below them are guest memory, not ours. */
	for (unsigned i = 0; level == 1 && i < 512; i++) {
		uint64_t entry = table(t)[i];
		if (entry && !(entry & EPT_LARGE))
			page_free(entry & EPT_ADDR_MASK);
	}
	page_free(t);
}

void ept_free(struct ept *e)
{
	if (e->pml4)
		free_table(e->pml4, 3);
	e->pml4 = 0;
}

bool ept_has_large_pages(const struct vmx_caps *caps)
{
	return caps->ept_vpid & EPT_CAP_LARGE_2M;
}

bool ept_invalidate(const struct vmx_caps *caps, uint64_t eptp)
{
	uint64_t cap = caps->ept_vpid;
	/* Without INVEPT (or any of its types) the CPU offers nothing to drop them with. */
	if (!(cap & EPT_CAP_INVEPT) || !(cap & (EPT_CAP_INVEPT_SINGLE | EPT_CAP_INVEPT_ALL)))
		return true;
	uint64_t type = (cap & EPT_CAP_INVEPT_SINGLE) ? 1 : 2;
	return invept(type, eptp) == VMX_OK;
}
