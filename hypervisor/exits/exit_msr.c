/*
 * RDMSR/WRMSR exits: the MSR bitmap (msr_bitmap.c) decides which exit; the
 * virtual MSR table (vm/virtual_msr.c) decides what they do. A plain MSR
 * (vm/virtual_msr.h: a load, or a bounded store) takes a few instructions;
 * any other goes the general way (rdmsr_emulate, wrmsr_emulate). The VMCS-backed
 * MSRs are copied into the table and back around each access to one of them; those the CPU
 * holds while the VM runs (vm/guest_cpu_state.h) are written to it too, and
 * KERNEL_GS_BASE, which SWAPGS changes without an exit, is read from it. The
 * TSC offset and the guest's PAT (when the VMCS switches it) are written back to
 * the VMCS when a write changes them. Unknown MSRs, reserved bits and bad values
 * get #GP, and change nothing.
 */
#include "exits/exit_handlers.h"
#include "hw/cpu.h"
#include "hw/vmcs.h"
#include "vm/guest_cpu_state.h"
#include "vm/vm.h"
#include "vmx/cr_access.h"
#include "vmx/event_inject.h"

/* The MSRs whose value lives in a VMCS guest-state field (SDM 25.4.1), not in the table alone. */
static bool in_vmcs(uint32_t msr)
{
	switch (msr) {
	case MSR_IA32_EFER:
	case MSR_IA32_SYSENTER_CS:
	case MSR_IA32_SYSENTER_ESP:
	case MSR_IA32_SYSENTER_EIP:
	case MSR_IA32_FS_BASE:
	case MSR_IA32_GS_BASE:
		return true;
	default:
		return false;
	}
}

/* Bring the table up to date for an access to msr: only an MSR of the VMCS costs VMREADs. */
static void load_vmcs_msrs(struct vcpu *v, struct virtual_msrs *m, uint32_t msr)
{
	m->exits = vcpu_exits(v);
	if (!in_vmcs(msr))
		return;
	m->efer = vmcs_read(VMCS_GUEST_IA32_EFER);
	m->sysenter_cs = vmcs_read(VMCS_GUEST_IA32_SYSENTER_CS);
	m->sysenter_esp = vmcs_read(VMCS_GUEST_IA32_SYSENTER_ESP);
	m->sysenter_eip = vmcs_read(VMCS_GUEST_IA32_SYSENTER_EIP);
	m->fs_base = vmcs_read(VMCS_GUEST_FS_BASE);
	m->gs_base = vmcs_read(VMCS_GUEST_GS_BASE);
	m->paging = vmcs_read(VMCS_CR0_READ_SHADOW) & CR0_PG; /* the guest's own view of CR0 */
}

/* The values a write may change that live outside the table and the per-exit VMCS copies. */
struct msrs_before {
	uint64_t apic_base, tsc_offset, pat;
};

/* After a write to msr, the VMCS fields back from the table (a write to another MSR changed none of the six). */
static void store_vmcs_msrs(const struct vm *vm, const struct virtual_msrs *m, const struct msrs_before *before,
			    uint32_t msr)
{
	if (m->tsc_offset != before->tsc_offset)
		vmcs_write(VMCS_TSC_OFFSET, m->tsc_offset);
	if (vm->pat_in_vmcs && m->pat != before->pat)
		vmcs_write(VMCS_GUEST_IA32_PAT, m->pat);
	if (!in_vmcs(msr))
		return;
	vmcs_write(VMCS_GUEST_IA32_EFER, m->efer);
	vmcs_write(VMCS_GUEST_IA32_SYSENTER_CS, m->sysenter_cs);
	vmcs_write(VMCS_GUEST_IA32_SYSENTER_ESP, m->sysenter_esp);
	vmcs_write(VMCS_GUEST_IA32_SYSENTER_EIP, m->sysenter_eip);
	vmcs_write(VMCS_GUEST_FS_BASE, m->fs_base);
	vmcs_write(VMCS_GUEST_GS_BASE, m->gs_base);
}

/*
 * The general way, for any MSR: flattened, so the MSR table and the VMCS copies inline into
 * it, as they did before the table grew (make bench, RDMSR: 187 ticks flattened, 214 not).
 */
__attribute__((flatten, noinline)) static enum exit_action rdmsr_emulate(struct vcpu *v)
{
	struct virtual_msrs *m = &v->vm->msrs;
	uint32_t msr = (uint32_t)v->gpr[GPR_RCX];
	uint64_t value;
	load_vmcs_msrs(v, m, msr);
	if (msr == MSR_IA32_KERNEL_GS_BASE)
		m->kernel_gs_base = rdmsr(msr);
	if (msr == MSR_IA32_TSC)
		m->host_tsc = rdtsc();
	if (!apic_msr_read(v, msr, &value) && !virtual_msr_read(m, msr, &value)) {
		vcpu_inject_exception(v, VECTOR_GP, 0);
		return EXIT_RESUME;
	}
	/* RDMSR loads EDX:EAX, zero-extending both into RDX and RAX. */
	vcpu_set_gpr(v, GPR_RAX, value & 0xffffffffull);
	vcpu_set_gpr(v, GPR_RDX, value >> 32);
	vcpu_skip_instruction(v);
	return EXIT_RESUME;
}

__attribute__((flatten, noinline)) static enum exit_action wrmsr_emulate(struct vcpu *v)
{
	struct virtual_msrs *m = &v->vm->msrs;
	uint64_t value = (v->gpr[GPR_RDX] << 32) | (v->gpr[GPR_RAX] & 0xffffffffull);
	uint32_t msr = (uint32_t)v->gpr[GPR_RCX];
	load_vmcs_msrs(v, m, msr);
	if (msr == MSR_IA32_TSC)
		m->host_tsc = rdtsc();
	struct msrs_before before = { m->apic_base, m->tsc_offset, m->pat };
	if (apic_msr_write(v, msr, value)) {
		vcpu_skip_instruction(v);
		return EXIT_RESUME;
	}
	if (!virtual_msr_write(m, msr, value)) {
		vcpu_inject_exception(v, VECTOR_GP, 0);
		return EXIT_RESUME;
	}
	/* Unlike bare Bochs 2.7, the virtual APIC comes back when a kernel re-enables it (issue 10). */
	if (msr == MSR_IA32_APIC_BASE && v->vm->lapic && !apic_base_written(v, before.apic_base)) {
		m->apic_base = before.apic_base;
		vcpu_inject_exception(v, VECTOR_GP, 0);
		return EXIT_RESUME;
	}
	store_vmcs_msrs(v->vm, m, &before, msr);
	if (guest_cpu_state_msr(v->vm, msr) && virtual_msr_read(m, msr, &value))
		wrmsr(msr, value);
	vcpu_skip_instruction(v);
	return EXIT_RESUME;
}

/*
 * Each handler first tries the plain MSRs (vm/virtual_msr.h: a slot of a table, a load, or a
 * bound and a store), with nothing kept across a call; any other MSR, or a value past the
 * bound, takes the general way. No plain MSR is the local APIC's (IA32_TSC_DEADLINE) or one
 * that the general way copies from the VMCS or the CPU first, so it would do the same.
 */
enum exit_action handle_rdmsr(struct vcpu *v)
{
	uint32_t msr = (uint32_t)v->gpr[GPR_RCX];
	const uint64_t *field = virtual_msr_plain_read(&v->vm->msrs, msr);
	if (__builtin_expect(!field, 0))
		return rdmsr_emulate(v);
	uint64_t value = *field;
	vcpu_set_gpr(v, GPR_RAX, value & 0xffffffffull);
	vcpu_set_gpr(v, GPR_RDX, value >> 32);
	vcpu_skip_instruction(v);
	return EXIT_RESUME;
}

enum exit_action handle_wrmsr(struct vcpu *v)
{
	uint64_t value = (v->gpr[GPR_RDX] << 32) | (v->gpr[GPR_RAX] & 0xffffffffull);
	uint32_t msr = (uint32_t)v->gpr[GPR_RCX];
	if (__builtin_expect(!virtual_msr_plain_write(&v->vm->msrs, msr, value), 0))
		return wrmsr_emulate(v);
	vcpu_skip_instruction(v);
	return EXIT_RESUME;
}
