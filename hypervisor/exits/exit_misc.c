/*
 * Small exit handlers: XSETBV (XCR0 checked by xcr0.c, then loaded), INVD and
 * WBINVD (nothing to do: guest memory is ordinary write-back host memory, and
 * the host's caches must not be dropped), and the instructions a vexit guest
 * does not have: the VMX instructions (no nested VMX: #UD, as with CR4.VMXE
 * clear) and MONITOR/MWAIT, which CPUID hides (#UD, as on a CPU without them).
 */
#include "exits/exit_handlers.h"
#include "hw/cpu.h"
#include "hw/vmcs.h"
#include "vm/vm.h"
#include "vmx/cr_access.h"
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
	uint32_t r[4];
	cpuid(0xd, 0, r);
	/* PKRU (bit 9) is not offered: CPUID hides PKU and OSPKE from the guest. */
	uint64_t supported = (((uint64_t)r[3] << 32) | r[0]) & ~XCR0_PKRU;
	if (!xcr0_valid(index, value, supported)) {
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
