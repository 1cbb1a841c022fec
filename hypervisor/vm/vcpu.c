#include "vm/vcpu.h"

#include "hw/vmcs.h"
#include "include/x86_arch.h"
#include "vm/guest_mem.h"
#include "vm/vm.h"
#include "vmx/event_inject.h"

void vcpu_init(struct vcpu *v, struct vm *vm)
{
	*v = (struct vcpu){ .vm = vm, .wake_at = UINT64_MAX };
	for (unsigned i = 0; i < WAKE_SOURCES; i++)
		v->wake[i] = UINT64_MAX;
	v->gpr = v->regs;
}

void vcpu_inject_exception(struct vcpu *v, unsigned vector, uint32_t error_code)
{
	(void)v;
	/*
	 * A fault's handler sees RF set in the RFLAGS image it was called with (SDM Vol. 3A
	 * 18.3.1.1), so that IRET does not take an instruction breakpoint twice; event injection
	 * pushes the guest-state RFLAGS as it is (SDM 27.6.1.1), so the fault's RF goes there.
	 */
	if (exception_is_fault(vector))
		vmcs_write(VMCS_GUEST_RFLAGS, vmcs_read(VMCS_GUEST_RFLAGS) | RFLAGS_RF);
	vmcs_write(VMCS_ENTRY_INTR_INFO, exception_intr_info(vector));
	if (exception_has_error_code(vector))
		vmcs_write(VMCS_ENTRY_EXCEPTION_ERROR_CODE, error_code);
}

void vcpu_guest_paging(const struct vcpu *v, struct guest_paging *pg)
{
	uint64_t cr0 = vmcs_read(VMCS_GUEST_CR0), cr4 = vmcs_read(VMCS_GUEST_CR4);
	*pg = (struct guest_paging){
		.cr3 = vmcs_read(VMCS_GUEST_CR3),
		.wp = cr0 & CR0_WP,
		.smep = cr4 & CR4_SMEP,
		.smap = cr4 & CR4_SMAP,
		.nxe = vmcs_read(VMCS_GUEST_IA32_EFER) & EFER_NXE,
		.ac = vmcs_read(VMCS_GUEST_RFLAGS) & RFLAGS_AC,
		/* The CPL is SS.DPL (SDM 25.4.1). */
		.user = AR_DPL(vmcs_read(VMCS_GUEST_SS_ACCESS_RIGHTS)) == 3,
		.phys_addr_bits = v->vm->msrs.phys_addr_bits,
	};
}

uint64_t vcpu_gpr(const struct vcpu *v, unsigned gpr)
{
	return gpr == GPR_RSP ? vmcs_read(VMCS_GUEST_RSP) : v->gpr[gpr];
}
