/* Exits that end the VM: each records the stop reason and the facts that explain it. */
#include "exits/exit_handlers.h"
#include "hw/vmcs.h"
#include "vm/guest_time.h"
#include "vm/vm.h"

enum exit_action handle_triple_fault(struct vcpu *v)
{
	vm_stop(v->vm, VM_STOP_TRIPLE_FAULT, "rip=0x%lx", v->rip);
	return EXIT_STOP;
}

enum exit_action handle_hlt(struct vcpu *v)
{
	/* Nothing can wake a guest yet (no virtual interrupts), so HLT ends it. */
	vm_stop(v->vm, VM_STOP_HALTED, "rip=0x%lx", v->rip);
	return EXIT_STOP;
}

enum exit_action handle_ept_violation(struct vcpu *v)
{
	/* SDM 28.2.1, table 28-7: bits 0-2 say whether the access was a read, a write or a fetch. */
	uint64_t q = v->exit_qualification;
	vm_stop(v->vm, VM_STOP_EPT_VIOLATION, "gpa=0x%lx access=%s%s%s rip=0x%lx",
		vmcs_read(VMCS_GUEST_PHYSICAL_ADDRESS), q & 1 ? "r" : "", q & 2 ? "w" : "", q & 4 ? "x" : "", v->rip);
	return EXIT_STOP;
}

enum exit_action handle_preemption_timer(struct vcpu *v)
{
	/* The budget counts guest time (vm/guest_time.h); a budget too big for the timer's 32 bits takes several. */
	if (guest_time_timer_expired_early(v))
		return EXIT_RESUME;
	vm_stop(v->vm, VM_STOP_BUDGET, "budget=%lu", v->budget);
	return EXIT_STOP;
}
