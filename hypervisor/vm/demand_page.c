/* The page vexit maps at its first access (vm/demand_page.h). */
#include "vm/demand_page.h"

#include "hw/vmcs.h"
#include "include/vexit_abi.h"
#include "include/vmcs_fields.h"
#include "kernel/kstring.h"
#include "kernel/page_alloc.h"
#include "vm/vm.h"
#include "vmx/ept.h"

/* Guest-physical mappings survive exits until INVEPT (SDM 29.4.3.1): every change is followed by one. */
static void flush(struct vm *vm)
{
	ept_invalidate(vm->caps, vmcs_read(VMCS_EPT_POINTER));
}

uint64_t demand_page_arm(struct vm *vm, uint64_t gpa)
{
	if (gpa % PAGE_SIZE || gpa < vm->mem_size || gpa - vm->mem_size >= DEMAND_PAGE_WINDOW)
		return VEXIT_HC_EINVAL;
	if (!vm->demand.page) {
		uint64_t p = page_alloc();
		if (!p)
			return VEXIT_HC_ENOMEM;
		memset((void *)(uintptr_t)p, 0, PAGE_SIZE);
		vm->demand.page = p;
	}
	/* EPT outside guest memory has 4 KiB leaves only (vmx/ept.h): unmapping one cannot fail. */
	if (vm->demand.mapped && !ept_unmap_page(&vm->ept, vm->demand.gpa))
		return VEXIT_HC_ENOMEM;
	vm->demand.gpa = gpa;
	vm->demand.armed = true;
	vm->demand.mapped = false;
	flush(vm);
	return 0;
}

bool demand_page_fault(struct vm *vm, uint64_t gpa)
{
	if (!vm->demand.armed || (gpa & ~(uint64_t)(PAGE_SIZE - 1)) != vm->demand.gpa)
		return false;
	if (!ept_map_memory_page(&vm->ept, vm->demand.gpa, vm->demand.page))
		return false; /* no host page for the table: the VM stops at the violation */
	vm->demand.armed = false;
	vm->demand.mapped = true;
	flush(vm);
	return true;
}

void demand_page_free(struct vm *vm)
{
	if (vm->demand.page)
		page_free(vm->demand.page);
	vm->demand.page = 0;
}
