#include "ept.h"

#include "kstring.h"
#include "panic.h"
#include "vm.h"
#include "vmx_asm.h"
#include "vmx_caps.h"

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

uint64_t ept_build(struct vm *vm)
{
	vm->ept_pml4 = zeroed_page();
	vm->ept_pdpt = zeroed_page();
	vm->ept_pd = zeroed_page();
	vm->ept_pt = zeroed_page();
	if (!vm->ept_pml4 || !vm->ept_pdpt || !vm->ept_pd || !vm->ept_pt)
		return 0;
	/* Guest memory is at most 2 MiB: one entry at each upper level, one page table. */
	_Static_assert(GUEST_MEM_SIZE <= (2ull << 20), "one EPT page table maps 2 MiB");
	((uint64_t *)vm->ept_pml4)[0] = vm->ept_pdpt | EPT_RWX;
	((uint64_t *)vm->ept_pdpt)[0] = vm->ept_pd | EPT_RWX;
	((uint64_t *)vm->ept_pd)[0] = vm->ept_pt | EPT_RWX;
	uint64_t *pt = (uint64_t *)vm->ept_pt;
	for (uint64_t i = 0; i < GUEST_PAGES; i++)
		pt[i] = vm->mem_pages[i] | EPT_RWX | (EPT_MEMTYPE_WB << EPT_LEAF_MEMTYPE_SHIFT);
	return vm->ept_pml4 | EPTP_WALK_LENGTH_4 | EPT_MEMTYPE_WB;
}

void ept_free(struct vm *vm)
{
	uint64_t *pages[] = { &vm->ept_pml4, &vm->ept_pdpt, &vm->ept_pd, &vm->ept_pt };
	for (unsigned i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
		if (*pages[i])
			page_free(*pages[i]);
		*pages[i] = 0;
	}
}

void ept_invalidate(const struct vm *vm, uint64_t eptp)
{
	uint64_t cap = vm->caps->ept_vpid;
	/* Without INVEPT (or any of its types) the CPU offers nothing to drop them with. */
	if (!(cap & EPT_CAP_INVEPT) || !(cap & (EPT_CAP_INVEPT_SINGLE | EPT_CAP_INVEPT_ALL)))
		return;
	uint64_t type = (cap & EPT_CAP_INVEPT_SINGLE) ? 1 : 2;
	if (invept(type, eptp) != VMX_OK)
		panic("INVEPT type %lu of 0x%lx failed for %s", type, eptp, vm->name);
}
