/*
 * Small exit handlers: XSETBV (XCR0 checked by xcr0.c, then loaded), INVD and
 * WBINVD (nothing to do: guest memory is ordinary write-back host memory, and
 * the host's caches must not be dropped), and the instructions a vexit guest
 * does not have: the VMX instructions (no nested VMX: #UD, as with CR4.VMXE
 * clear); and MONITOR/MWAIT, which follow IA32_MISC_ENABLE as CPUID does.
 */
#include "exits/exit_handlers.h"
#include "hw/cpu.h"
#include "hw/vmcs.h"
#include "vm/vm.h"
#include "vmx/cpuid_policy.h"
#include "vmx/cr_access.h"
#include "vmx/exit_reason.h"
#include "vmx/event_inject.h"
#include "vmx/xcr0.h"

enum exit_action handle_xsetbv(struct vcpu *v)
{
	uint32_t index = (uint32_t)v->gpr[GPR_RCX];
	uint64_t value = (v->gpr[GPR_RDX] << 32) | (v->gpr[GPR_RAX] & 0xffffffffull);
	/* SDM Vol. 2 XSETBV: #UD without CR4.OSXSAVE; #GP for an invalid index or value. */
	if (!(vmcs_read(VMCS_CR4_READ_SHADOW) & CR4_OSXSAVE)) {
		vcpu_inject_exception(v, VECTOR_UD, 0);
		return EXIT_RESUME;
	}
	/* Only the components offered (vmx/xcr0.h XCR0_NOT_OFFERED), which are the ones switched between VMs. */
	if (!xcr0_valid(index, value, v->vm->cpu_state.offer.xcr0)) {
		vcpu_inject_exception(v, VECTOR_GP, 0);
		return EXIT_RESUME;
	}
	v->vm->xcr0 = value;
	xsetbv(0, value);
	vcpu_skip_instruction(v);
	return EXIT_RESUME;
}

enum exit_action handle_cache_flush(struct vcpu *v)
{
	vcpu_skip_instruction(v);
	return EXIT_RESUME;
}

enum exit_action handle_undefined(struct vcpu *v)
{
	vcpu_inject_exception(v, VECTOR_UD, 0);
	return EXIT_RESUME;
}

/*
 * MONITOR and MWAIT always exit: a native MWAIT would let a guest park the physical CPU.
 * While IA32_MISC_ENABLE.ENABLE_MONITOR_FSM (bit 18) is clear, as at power-on, they #UD and
 * CPUID hides them (SDM Vol. 4 table 2-2). Once the guest sets it, MONITOR arms nothing and
 * MWAIT returns at once, as an MWAIT woken by an event the guest cannot see does (SDM Vol. 2B
 * MWAIT: software must not assume a wake means the monitored line was written); their
 * operands are checked as the CPU checks ECX (the address of MONITOR is not looked at).
 */
enum exit_action handle_monitor_mwait(struct vcpu *v)
{
	if (!(v->vm->msrs.misc_enable & MISC_ENABLE_MONITOR)) {
		vcpu_inject_exception(v, VECTOR_UD, 0);
		return EXIT_RESUME;
	}
	uint32_t ecx = (uint32_t)v->gpr[GPR_RCX];
	bool bad;
	if (EXIT_REASON_BASIC(vcpu_exit_reason(v)) == EXIT_REASON_MONITOR) {
		bad = ecx != 0; /* SDM Vol. 2B MONITOR: no extensions are defined */
	} else {
		/* SDM Vol. 2B MWAIT: ECX bit 0 (interrupts as break events) only if CPUID.05H:ECX[1]; 31:1 reserved. */
		uint32_t r[4];
		cpuid(CPUID_LEAF_MONITOR, 0, r);
		bad = (ecx >> 1) || ((ecx & 1) && !(r[2] & 2));
	}
	if (bad) {
		vcpu_inject_exception(v, VECTOR_GP, 0);
		return EXIT_RESUME;
	}
	vcpu_skip_instruction(v);
	return EXIT_RESUME;
}
