/*
 * Control-register exits (SDM 28.2.1, table 28-3): MOV to/from CR0, CR3, CR4,
 * CR8, CLTS and LMSW. The guest owns no CR0/CR4 bit (both guest/host masks are
 * all ones), so it reads the read shadows and every write lands here; the rules
 * for the values are in cr_access.c. A bad value gets #GP, with RIP unchanged.
 */
#include "exits/exit_handlers.h"
#include "hw/vmcs.h"
#include "vm/guest_mem.h"
#include "vm/vm.h"
#include "vmx/cr_access.h"
#include "vmx/event_inject.h"
#include "vmx/vmx_caps.h"

/*
 * MOV CR has 64-bit operands in 64-bit mode and 32-bit ones elsewhere (SDM Vol. 2 MOV CR).
 * The fields every VMCS has are read and written with the _known accessors on this path
 * (hw/vmcs.h: with the exit's VMCS current they cannot fail).
 */
static uint64_t operand_mask(void)
{
	return vmcs_read_known(VMCS_GUEST_CS_ACCESS_RIGHTS) & AR_L ? ~0ull : 0xffffffffull;
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
		vcpu_set_gpr(v, gpr, value);
}

static bool long_mode(void)
{
	return vmcs_read(VMCS_GUEST_IA32_EFER) & EFER_LMA;
}

static bool cs_l(void)
{
	return vmcs_read(VMCS_GUEST_CS_ACCESS_RIGHTS) & AR_L;
}

/*
 * A MOV to CR0, CR3 or CR4 that leaves PAE paging on outside IA-32e mode loads
 * the four PDPTEs from CR3 (a CR0 or CR4 write only when it changes one of the
 * bits SDM Vol. 3A 4.4.1 lists); with EPT, VM entry loads them from the VMCS
 * (SDM 27.3.2.4), so an emulated MOV CR loads them there. #GP for a reserved bit.
 */
#define PDPTE_RELOAD_CR0 (CR0_CD | CR0_NW | CR0_PG)
#define PDPTE_RELOAD_CR4 (CR4_PAE | CR4_PGE | CR4_PSE | CR4_SMEP)

static bool load_pdptes(struct vcpu *v, uint64_t cr3, uint64_t cr0, uint64_t cr4, uint64_t efer)
{
	if (!cr_pae_legacy_paging(cr0, cr4, efer))
		return true;
	uint64_t pdpte[4];
	if (!guest_mem_read(v->vm, cr3 & 0xffffffe0ull, pdpte, sizeof(pdpte)))
		return false;
	for (unsigned i = 0; i < 4; i++)
		if (!cr_pdpte_ok(pdpte[i], v->vm->msrs.phys_addr_bits))
			return false;
	for (unsigned i = 0; i < 4; i++)
		vmcs_write(VMCS_GUEST_PDPTE0 + 2 * i, pdpte[i]);
	return true;
}

/*
 * Load a guest view of CR0: the shadow is what the guest reads, the real value
 * what the CPU runs with. Turning paging on or off may switch IA-32e mode:
 * EFER.LMA and the IA-32e mode guest entry control move together (SDM 27.3.1.1
 * wants them equal), as KVM's enter_lmode and exit_lmode keep them.
 */
static bool load_cr0(struct vcpu *v, uint64_t value)
{
	uint64_t shadow, old = vmcs_read_known(VMCS_CR0_READ_SHADOW);
	if ((old ^ value) & PDPTE_RELOAD_CR0) {
		/* PG, CD or NW change: a mode switch or a PDPTE load may follow. Each field is read once. */
		uint64_t cr4 = vmcs_read(VMCS_CR4_READ_SHADOW);
		uint64_t old_efer = vmcs_read(VMCS_GUEST_IA32_EFER), efer = old_efer;
		bool l = cs_l();
		if (!cr0_guest_write(value, (old_efer & EFER_LMA) && l, &shadow) ||
		    !cr0_paging_switch(old, shadow, cr4, l, &efer))
			return false;
		if (!load_pdptes(v, vmcs_read(VMCS_GUEST_CR3), shadow, cr4, efer))
			return false;
		if ((efer ^ old_efer) & EFER_LMA) {
			uint64_t entry = vmcs_read(VMCS_ENTRY_CONTROLS) & ~(uint64_t)ENTRY_IA32E_MODE_GUEST;
			vmcs_write(VMCS_ENTRY_CONTROLS, entry | (efer & EFER_LMA ? ENTRY_IA32E_MODE_GUEST : 0));
			vmcs_write(VMCS_GUEST_IA32_EFER, efer);
		}
	} else {
		/*
		 * The common case (TS, MP, WP...): no mode switch, no PDPTEs, and the long-mode rule
		 * cannot apply, since PG stays as it was and IA-32e mode needs PG (SDM 27.3.1.1).
		 */
		if (!cr0_guest_write(value, false, &shadow))
			return false;
	}
	vmcs_write_known(VMCS_CR0_READ_SHADOW, shadow);
	vmcs_write_known(VMCS_GUEST_CR0, cr0_real(shadow, v->vm->cr0_fixed0, v->vm->caps->cr0_fixed1));
	return true;
}

static bool load_cr4(struct vcpu *v, uint64_t value)
{
	const struct vmx_caps *c = v->vm->caps;
	if (!cr4_guest_write(value, long_mode(), c->cr4_fixed1))
		return false;
	if (((value ^ vmcs_read(VMCS_CR4_READ_SHADOW)) & PDPTE_RELOAD_CR4) &&
	    !load_pdptes(v, vmcs_read(VMCS_GUEST_CR3), vmcs_read(VMCS_CR0_READ_SHADOW), value,
			 vmcs_read(VMCS_GUEST_IA32_EFER)))
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
		/* This exit happens only with CR3 exiting on: the PDPTEs a MOV to CR3 would load, we load. */
		if (!load_pdptes(v, value, vmcs_read(VMCS_CR0_READ_SHADOW), vmcs_read(VMCS_CR4_READ_SHADOW),
				 vmcs_read(VMCS_GUEST_IA32_EFER)))
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
	uint64_t q = vcpu_exit_qualification(v);
	if (!cr_access_decode(q, &a)) {
		vm_stop(v->vm, VM_STOP_UNHANDLED_EXIT, "reason=CR_ACCESS qual=0x%lx rip=0x%lx why=bad-qualification", q,
			v->rip);
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
