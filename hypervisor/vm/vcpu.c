#include "vm/vcpu.h"

#include "hw/vmcs.h"
#include "include/x86_arch.h"
#include "vmx/event_inject.h"

void vcpu_init(struct vcpu *v, struct vm *vm)
{
	*v = (struct vcpu){ .vm = vm };
	v->gpr = v->regs;
}

void vcpu_skip_instruction(struct vcpu *v)
{
	v->rip += vmcs_read(VMCS_EXIT_INSTRUCTION_LENGTH);
	vmcs_write(VMCS_GUEST_RIP, v->rip);
	/* Blocking by STI or MOV SS lasts one instruction: the one just skipped (SDM 25.4.2). */
	uint64_t intr = vmcs_read(VMCS_GUEST_INTERRUPTIBILITY);
	if (intr & (INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS))
		vmcs_write(VMCS_GUEST_INTERRUPTIBILITY, intr & ~(uint64_t)(INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS));
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
