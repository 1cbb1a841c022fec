/* VMCALL: the hypercall ABI of include/vexit_abi.h. */
#include "exits/exit_handlers.h"
#include "hw/vmcs.h"
#include "include/vexit_abi.h"
#include "include/x86_arch.h"
#include "vm/hypercall.h"
#include "vm/vm.h"

/* Any hypercall but the read-only ones: out of line, so that those need no stack frame. */
__attribute__((noinline, cold)) static enum exit_action vmcall_other(struct vcpu *v)
{
	vcpu_set_gpr(v, GPR_RAX, hypercall(v->vm, v->gpr));
	return EXIT_RESUME;
}

/*
 * Hypercalls are the guest kernel's: from CPL > 0 every number, known or not, answers
 * VEXIT_HC_EPERM and changes nothing (as KVM answers -KVM_EPERM). VMCALL exits at any CPL
 * (SDM 26.1.2), so the check is ours. The CPL is the DPL of SS (SDM 25.4.1), which the CPU
 * saves even when SS is unusable (SDM 28.3.2): one VMREAD and a test. A hypercall that
 * stops the VM (EXIT) or changes what must happen before the next entry says so in the
 * vCPU's work bits; the run loop acts on them. The read-only hypercalls are answered
 * here with no call: a leaf, no frame. VERSION, the null hypercall, mostly never gets
 * here: the exit stub answers it (hw/vmx_entry.S) under these same rules, leaving to this
 * handler a VERSION from CPL > 0, in an STI or MOV-SS shadow, or with work on the vCPU;
 * a change to the rules must change both (guest-tests vmcall, hypercall_user and
 * neg_resume_rflags check the two agree).
 */
enum exit_action handle_vmcall(struct vcpu *v)
{
	uint64_t result = VEXIT_HC_EPERM;
	/* RIP moves first: a hypercall never faults. */
	vcpu_skip_instruction(v);
	if (__builtin_expect(!(vmcs_read_known(VMCS_GUEST_SS_ACCESS_RIGHTS) & AR_DPL_MASK), 1) &&
	    !hypercall_read_only(v->vm, v->gpr, &result))
		return vmcall_other(v);
	vcpu_set_gpr(v, GPR_RAX, result);
	return EXIT_RESUME;
}
