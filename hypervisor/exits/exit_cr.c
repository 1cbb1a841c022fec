/*
 * Control-register exits (SDM 28.2.1, table 28-3): MOV to/from CR0, CR3, CR4,
 * CR8, CLTS and LMSW. The guest owns no CR0/CR4 bit (both guest/host masks are
 * all ones), so it reads the read shadows and every write lands here; the rules
 * for the values are in cr_access.c. A bad value gets #GP, with RIP unchanged.
 */
#include "exits/exit_handlers.h"
#include "hw/vmcs.h"
#include "vm/vm.h"
#include "vmx/cr_access.h"
#include "vmx/event_inject.h"
#include "vmx/vmx_caps.h"

/* MOV CR has 64-bit operands in 64-bit mode and 32-bit ones elsewhere (SDM Vol. 2 MOV CR). */
static uint64_t operand_mask(void)
{
	return vmcs_read(VMCS_GUEST_CS_ACCESS_RIGHTS) & AR_L ? ~0ull : 0xffffffffull;
}

static uint64_t read_gpr(struct vcpu *v, unsigned gpr)
{
	return (gpr == GPR_RSP ? vmcs_read(VMCS_GUEST_RSP) : v->gpr[gpr]) & operand_mask();
}

static void write_gpr(struct vcpu *v, unsigned gpr, uint64_t value)
{
	value &= operand_mask();
	if (gpr == GPR_RSP)
		vmcs_write(VMCS_GUEST_RSP, value);
	else
		v->gpr[gpr] = value;
}

static bool long_mode(void)
{
	return vmcs_read(VMCS_GUEST_IA32_EFER) & EFER_LMA;
}

/* Load a guest view of CR0: the shadow is what the guest reads, the real value what the CPU runs with. */
static bool load_cr0(struct vcpu *v, uint64_t value)
{
	uint64_t shadow;
	if (!cr0_guest_write(value, long_mode(), &shadow))
		return false;
	vmcs_write(VMCS_CR0_READ_SHADOW, shadow);
	vmcs_write(VMCS_GUEST_CR0, cr0_real(shadow, v->vm->caps->cr0_fixed0, v->vm->caps->cr0_fixed1));
	return true;
}

static bool load_cr4(struct vcpu *v, uint64_t value)
{
	const struct vmx_caps *c = v->vm->caps;
	if (!cr4_guest_write(value, long_mode(), c->cr4_fixed1))
		return false;
	vmcs_write(VMCS_CR4_READ_SHADOW, value);
	vmcs_write(VMCS_GUEST_CR4, cr4_real(value, c->cr4_fixed0, c->cr4_fixed1));
	return true;
}

static bool mov_to_cr(struct vcpu *v, const struct cr_access *a)
{
	uint64_t value = read_gpr(v, a->gpr);
	switch (a->cr) {
	case 0:
		return load_cr0(v, value);
	case 3:
		if (!cr3_guest_write_ok(value, v->vm->msrs.phys_addr_bits))
			return false;
		vmcs_write(VMCS_GUEST_CR3, value);
		return true;
	case 4:
		return load_cr4(v, value);
	default: /* 8 */
		if (!cr8_guest_write_ok(value))
			return false;
		v->vm->tpr = (uint8_t)value;
		return true;
	}
}

static void mov_from_cr(struct vcpu *v, const struct cr_access *a)
{
	/* Only CR3 and CR8 reads exit (SDM 26.1.3); CR0/CR4 reads see the shadows without one. */
	write_gpr(v, a->gpr, a->cr == 3 ? vmcs_read(VMCS_GUEST_CR3) : v->vm->tpr);
}

enum exit_action handle_cr_access(struct vcpu *v)
{
	struct cr_access a;
	bool ok = true;
	if (!cr_access_decode(v->exit_qualification, &a)) {
		vm_stop(v->vm, VM_STOP_UNHANDLED_EXIT, "reason=CR_ACCESS qual=0x%lx rip=0x%lx why=bad-qualification",
			v->exit_qualification, v->rip);
		return EXIT_STOP;
	}
	switch (a.type) {
	case CR_MOV_TO:
		ok = mov_to_cr(v, &a);
		break;
	case CR_MOV_FROM:
		mov_from_cr(v, &a);
		break;
	case CR_CLTS:
		ok = load_cr0(v, vmcs_read(VMCS_CR0_READ_SHADOW) & ~CR0_TS);
		break;
	case CR_LMSW:
		ok = load_cr0(v, cr0_after_lmsw(vmcs_read(VMCS_CR0_READ_SHADOW), a.lmsw_source));
		break;
	}
	if (ok)
		vcpu_skip_instruction(v);
	else
		vcpu_inject_exception(v, VECTOR_GP, 0);
	return EXIT_RESUME;
}
