/* VMCALL: the hypercall ABI of include/vexit_abi.h. */
#include "exits/exit_handlers.h"
#include "hw/vmcs.h"
#include "include/vexit_abi.h"
#include "include/x86_arch.h"
#include "vm/hypercall.h"
#include "vm/vm.h"
#include "vm/vm_vmcs.h"

/* A hypercall from CPL 0: performed. */
__attribute__((noinline)) static enum exit_action serve(struct vcpu *v)
{
	uint64_t args[4] = { v->gpr[GPR_RBX], v->gpr[GPR_RCX], v->gpr[GPR_RDX], v->gpr[GPR_RSI] };
	v->gpr[GPR_RAX] = hypercall(v->vm, v->gpr[GPR_RAX], args);
	if (v->vm->controls_dirty) {
		/* A hypercall changed what traps (CR3 exiting): rewrite the controls it affects. */
		uint32_t proc = (uint32_t)vmcs_read(VMCS_PROC_BASED_CONTROLS);
		vmcs_write(VMCS_PROC_BASED_CONTROLS, vmcs_proc_controls_for(v->vm, proc));
		v->vm->controls_dirty = false;
	}
	vcpu_skip_instruction(v);
	return v->vm->stop == VM_RUNNING ? EXIT_RESUME : EXIT_STOP;
}

/* A hypercall from CPL > 0: refused, nothing done. */
__attribute__((noinline, cold)) static enum exit_action refuse(struct vcpu *v)
{
	v->gpr[GPR_RAX] = VEXIT_HC_EPERM;
	vcpu_skip_instruction(v);
	return EXIT_RESUME;
}

/*
 * Hypercalls are the guest kernel's: from CPL > 0 every number, known or not, answers
 * VEXIT_HC_EPERM and changes nothing (as KVM answers -KVM_EPERM). VMCALL exits at any CPL
 * (SDM 26.1.2), so the check is ours. The CPL is the DPL of SS (SDM 25.4.1), which the CPU
 * saves even when SS is unusable (SDM 28.3.2): one VMREAD and a test, then a jump to either
 * side (out of line, so that neither widens the other's frame).
 */
enum exit_action handle_vmcall(struct vcpu *v)
{
	if (vmcs_read(VMCS_GUEST_SS_ACCESS_RIGHTS) & AR_DPL_MASK)
		return refuse(v);
	return serve(v);
}
