#include "vmx/ept.h"

#include "hw/vmx_insn.h"
#include "kernel/kstring.h"
#include "kernel/page_alloc.h"
#include "vmx/vmx_caps.h"

#define EPT_RWX 0x7ull
#define EPT_MEMTYPE_WB 6ull
#define EPT_LEAF_MEMTYPE_SHIFT 3
/* EPTP (SDM 25.6.11): memory type in bits 2:0, page-walk length minus one in bits 5:3. */
#define EPTP_WALK_LENGTH_4 (3ull << 3)

static uint64_t zeroed_page(void)
{
	uint64_t p = page_alloc();
	if (p)
		memset((void *)(uintptr_t)p, 0, PAGE_SIZE);
	return p;
}

uint64_t ept_build(struct ept *e, const uint64_t *pages, uint64_t n)
{
	e->pml4 = zeroed_page();
	e->pdpt = zeroed_page();
	e->pd = zeroed_page();
	e->pt = zeroed_page();
	if (!e->pml4 || !e->pdpt || !e->pd || !e->pt || n > EPT_MAX_PAGES)
		return 0;
	/* One entry at each upper level, one page table. */
	((uint64_t *)(uintptr_t)e->pml4)[0] = e->pdpt | EPT_RWX;
	((uint64_t *)(uintptr_t)e->pdpt)[0] = e->pd | EPT_RWX;
	((uint64_t *)(uintptr_t)e->pd)[0] = e->pt | EPT_RWX;
	uint64_t *pt = (uint64_t *)(uintptr_t)e->pt;
	for (uint64_t i = 0; i < n; i++)
		pt[i] = pages[i] | EPT_RWX | (EPT_MEMTYPE_WB << EPT_LEAF_MEMTYPE_SHIFT);
	return e->pml4 | EPTP_WALK_LENGTH_4 | EPT_MEMTYPE_WB;
}

void ept_free(struct ept *e)
{
	uint64_t *pages[] = { &e->pml4, &e->pdpt, &e->pd, &e->pt };
	for (unsigned i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
		if (*pages[i])
			page_free(*pages[i]);
		*pages[i] = 0;
	}
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
