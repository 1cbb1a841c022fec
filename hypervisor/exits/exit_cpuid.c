/*
 * CPUID exits (unconditional, SDM 26.1.2). A leaf the vCPU's table holds (vmx/cpuid_table.h)
 * answers from it; any other, the host's answer filtered by the policy (vmx/cpuid_policy.c),
 * which also fills the table (vm/vm_cpuid.c): when the VM is built, and at the first CPUID
 * exit after a write to an MSR the policy reads emptied it (vm/virtual_msr.c).
 */
#include "exits/exit_handlers.h"
#include "hw/cpu.h"
#include "hw/vmcs.h"
#include "vm/vm.h"
#include "vm/vm_cpuid.h"
#include "vmx/cpuid_policy.h"
#include "vmx/cpuid_table.h"

static void set_answer(struct vcpu *v, const uint32_t r[4])
{
	/* CPUID writes EAX, EBX, ECX, EDX and clears the upper halves of their 64-bit registers. */
	vcpu_set_gpr(v, GPR_RAX, r[0]);
	vcpu_set_gpr(v, GPR_RBX, r[1]);
	vcpu_set_gpr(v, GPR_RCX, r[2]);
	vcpu_set_gpr(v, GPR_RDX, r[3]);
}

/* A leaf the table does not hold: the policy, with the host's values (and the table filled first if it was emptied). */
static __attribute__((noinline)) enum exit_action cpuid_from_policy(struct vcpu *v)
{
	uint32_t leaf = (uint32_t)v->gpr[GPR_RAX];
	uint64_t cr4 = vmcs_read_known(VMCS_CR4_READ_SHADOW);
	if (!v->cpuid.filled)
		vm_cpuid_refill(v->vm);
	uint32_t r[4];
	if (!cpuid_table_answer(&v->cpuid, leaf, cr4, r)) {
		struct cpuid_vm state = vm_cpuid_state(v->vm, cr4);
		cpuid_guest_answer(leaf, (uint32_t)v->gpr[GPR_RCX], &state, &v->cpuid.max, cpuid, r);
	}
	set_answer(v, r);
	return EXIT_RESUME;
}

/* A leaf not held as fixed values at its own index: held for OSXSAVE, or out of range, or not held. */
static __attribute__((noinline)) enum exit_action cpuid_not_fixed(struct vcpu *v)
{
	const struct cpuid_table *t = &v->cpuid;
	int i = cpuid_table_find(t, (uint32_t)v->gpr[GPR_RAX]);
	if (i < 0)
		return cpuid_from_policy(v);
	/* CR4 is read only for the entry that follows its OSXSAVE bit. */
	uint64_t cr4 = t->kind[i] == CPUID_ENTRY_OSXSAVE ? vmcs_read_known(VMCS_CR4_READ_SHADOW) : 0;
	uint32_t r[4];
	cpuid_table_entry(t, i, cr4, r);
	set_answer(v, r);
	return EXIT_RESUME;
}

enum exit_action handle_cpuid(struct vcpu *v)
{
	/* RIP moves first: CPUID never faults. */
	vcpu_skip_instruction(v);
	/* EAX, the leaf: a 32-bit load (the register is little-endian), which zero-extends it as an index. */
	uint32_t leaf;
	__builtin_memcpy(&leaf, &v->gpr[GPR_RAX], sizeof(leaf));
	const struct cpuid_table *t = &v->cpuid;
	if (!cpuid_table_fixed(t, leaf))
		return cpuid_not_fixed(v); /* which reads the leaf again: passing it would cost this path a copy */
	vcpu_set_gpr(v, GPR_RAX, t->eax[leaf]);
	vcpu_set_gpr(v, GPR_RBX, t->ebx[leaf]);
	vcpu_set_gpr(v, GPR_RCX, t->ecx[leaf]);
	vcpu_set_gpr(v, GPR_RDX, t->edx[leaf]);
	return EXIT_RESUME;
}
