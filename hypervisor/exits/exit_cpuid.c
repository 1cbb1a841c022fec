/* CPUID exits (unconditional, SDM 26.1.2): the host's answer, filtered by cpuid_policy.c. */
#include "exits/exit_handlers.h"
#include "hw/cpu.h"
#include "hw/vmcs.h"
#include "vm/vm.h"
#include "vmx/cpuid_policy.h"

enum exit_action handle_cpuid(struct vcpu *v)
{
	const struct vm *vm = v->vm;
	/* RIP moves first: CPUID never faults, and v is then not needed across the instruction. */
	vcpu_skip_instruction(v);
	uint32_t leaf = cpuid_guest_leaf((uint32_t)v->gpr[GPR_RAX], vm->msrs.misc_enable);
	uint32_t subleaf = (uint32_t)v->gpr[GPR_RCX];
	uint32_t r[4];
	cpuid(leaf, subleaf, r);
	struct cpuid_vm view = {
		.cr4 = vmcs_read_known(VMCS_CR4_READ_SHADOW),
		.misc_enable = vm->msrs.misc_enable,
		/* CPUID.01H:EDX.APIC follows IA32_APIC_BASE's global enable (SDM Vol. 3A 11.4.3). */
		.apic = vm->lapic && (vm->msrs.apic_base & APIC_BASE_ENABLE),
		.rdtscp = vm->rdtscp,
		.xsave = &vm->cpu_state.offer,
	};
	cpuid_guest_view(leaf, subleaf, &view, r);
	/* CPUID writes EAX, EBX, ECX, EDX and clears the upper halves of their 64-bit registers. */
	vcpu_set_gpr(v, GPR_RAX, r[0]);
	vcpu_set_gpr(v, GPR_RBX, r[1]);
	vcpu_set_gpr(v, GPR_RCX, r[2]);
	vcpu_set_gpr(v, GPR_RDX, r[3]);
	return EXIT_RESUME;
}
