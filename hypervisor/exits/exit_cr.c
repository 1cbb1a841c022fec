/*
 * Control-register exits (SDM 28.2.1, table 28-3): MOV to/from CR0, CR3, CR4,
 * CR8, CLTS and LMSW. The guest owns no CR0/CR4 bit (both guest/host masks are
 * all ones), so it reads the read shadows and every write lands here; the rules
 * for the values are in cr_access.c. A bad value gets #GP, with RIP unchanged.
 * handle_cr_access takes the common accesses (CR8, a CR0 write that switches no
 * mode) in a few instructions and gives every other one to cr_access_emulate.
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
		v->tpr = (uint8_t)value;
		return true;
	}
}

static void mov_from_cr(struct vcpu *v, const struct cr_access *a)
{
	/* Only CR3 and CR8 reads exit (SDM 26.1.3); CR0/CR4 reads see the shadows without one. */
	write_gpr(v, a->gpr, a->cr == 3 ? vmcs_read(VMCS_GUEST_CR3) : v->tpr);
}

/* Every access, by the rules above: the way of any access the common ones below do not take. */
__attribute__((noinline)) static enum exit_action cr_access_emulate(struct vcpu *v)
{
	struct cr_access a;
	bool ok = true;
	uint64_t q = vmcs_read_known(VMCS_EXIT_QUALIFICATION); /* read again: the exit path keeps nothing */
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

/*
 * The qualification's low byte for a MOV CR (SDM 28.2.1, table 28-3): the register in bits 3:0,
 * the access type in 5:4; bit 6 (LMSW's operand type) and bit 7 (reserved) are 0.
 */
#define CR_QUAL_MOV(cr, type) ((cr) | (type) << 4)

/*
 * The qualification's bits 15:8, a byte: the general register (11:8) and bits 15:12, reserved
 * and 0 (table 28-3). For each value, what the common accesses below may do with that operand in
 * the exit stub's frame, found with one load: read it (not RSP: it is in the VMCS) and write it
 * (nor a register the stub does not reload, GPR_RELOADED). A byte with a reserved bit set allows
 * neither, so no index past the frame is ever used.
 */
enum { CR_GPR_READ = 1, CR_GPR_WRITE = 2 };
#define CR_GPR(r) (((r) == GPR_RSP ? 0 : CR_GPR_READ) | (GPR_RELOADED & (1u << (r)) ? CR_GPR_WRITE : 0))
static const uint8_t cr_gpr_access[256] = {
	CR_GPR(0),  CR_GPR(1),  CR_GPR(2),  CR_GPR(3),  CR_GPR(4),  CR_GPR(5),  CR_GPR(6),  CR_GPR(7),
	CR_GPR(8),  CR_GPR(9),  CR_GPR(10), CR_GPR(11), CR_GPR(12), CR_GPR(13), CR_GPR(14), CR_GPR(15),
};

/*
 * The common accesses, each in a few instructions with nothing kept across a call: MOV to and
 * from CR8, and a MOV to CR0 that changes none of PG, CD and NW (TS, MP, WP...). Every other
 * access, operand (cr_gpr_access) or value, whether #GP or not, goes to cr_access_emulate,
 * which decides anew from the qualification.
 *
 * CR8 is the task priority (the TPR's bits 7:4, SDM Vol. 3A 11.8.6) and exists only in 64-bit
 * mode (Vol. 3A 2.5), so its operand is always 64 bits: no CS read. It exits only in a VM
 * without a local APIC: an external kernel's VM, which has one, runs with the TPR shadow, where
 * MOV CR8 does not exit and the TPR threshold brings the VM back when a lowered priority lets a
 * held interrupt in (SDM 30.3, 30.1.2). Without an APIC the priority gates nothing that can be
 * pending (the injection core's events are not the APIC's, vm/irq.h), so no write, not even
 * one that lowers it, has anything to re-evaluate: the value is kept for MOV from CR8.
 *
 * A MOV to CR0 that keeps PG, CD and NW switches no mode and loads no PDPTE (load_cr0); an
 * operand without bits 63:32 is the same at either operand size. cr0_guest_write's rules then
 * decide alone: with PG unchanged, the IA-32e rule (PG stays set) holds already. The guest/host
 * mask stays all ones: the shadow and the real CR0 (the fixed bits applied) are written as
 * load_cr0 writes them.
 */
enum exit_action handle_cr_access(struct vcpu *v)
{
	uint64_t q = vcpu_exit_qualification(v);
	uint64_t gpr = (q >> 8) & 0xff;
	uint64_t value, shadow;
	switch ((uint8_t)q) {
	case CR_QUAL_MOV(8, CR_MOV_TO):
		if (!(cr_gpr_access[gpr] & CR_GPR_READ))
			break;
		value = v->gpr[gpr];
		if (!cr8_guest_write_ok(value))
			break;
		v->tpr = (uint8_t)value;
		vcpu_skip_instruction(v);
		return EXIT_RESUME;
	case CR_QUAL_MOV(8, CR_MOV_FROM):
		if (!(cr_gpr_access[gpr] & CR_GPR_WRITE))
			break;
		/* The skip first: this path then ends apart from the others (a shared end costs a jump). */
		vcpu_skip_instruction(v);
		vcpu_set_gpr_reloaded(v, gpr, v->tpr);
		return EXIT_RESUME;
	case CR_QUAL_MOV(0, CR_MOV_TO):
		if (!(cr_gpr_access[gpr] & CR_GPR_READ))
			break;
		value = v->gpr[gpr];
		if ((value ^ vmcs_read_known(VMCS_CR0_READ_SHADOW)) & PDPTE_RELOAD_CR0 ||
		    !cr0_guest_write(value, false, &shadow))
			break;
		vmcs_write_known(VMCS_CR0_READ_SHADOW, shadow);
		vmcs_write_known(VMCS_GUEST_CR0, cr0_real(shadow, v->vm->cr0_fixed0, v->vm->caps->cr0_fixed1));
		vcpu_skip_instruction(v);
		return EXIT_RESUME;
	}
	return cr_access_emulate(v);
}
