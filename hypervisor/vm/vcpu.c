#include "vm/vcpu.h"

#include "hw/vmcs.h"
#include "include/x86_arch.h"
#include "kernel/fmt.h"
#include "vm/guest_mem.h"
#include "vm/vm.h"
#include "vmx/event_inject.h"

void vcpu_init(struct vcpu *v, struct vm *vm)
{
	*v = (struct vcpu){ .vm = vm, .wake_at = UINT64_MAX, .irq.held = -1 };
	for (unsigned i = 0; i < WAKE_SOURCES; i++)
		v->wake[i] = UINT64_MAX;
	v->gpr = v->regs;
}

static void write_entry_event(const struct entry_event *e)
{
	vmcs_write(VMCS_ENTRY_INTR_INFO, e->info);
	if (e->info & INTR_INFO_DELIVER_ERROR_CODE)
		vmcs_write(VMCS_ENTRY_EXCEPTION_ERROR_CODE, e->error_code);
	if (e->instruction_length)
		vmcs_write(VMCS_ENTRY_INSTRUCTION_LENGTH, e->instruction_length);
}

void vcpu_resume_interrupted(struct vcpu *v, bool nmi_unblocked_by_iret)
{
	struct entry_event e;
	uint64_t intr = vmcs_read(VMCS_GUEST_INTERRUPTIBILITY);
	if (event_redelivery((uint32_t)vmcs_read(VMCS_IDT_VECTORING_INFO), (uint32_t)vmcs_read(VMCS_IDT_VECTORING_ERROR_CODE),
			     (uint32_t)vmcs_read(VMCS_EXIT_INSTRUCTION_LENGTH), &e)) {
		/*
		 * An NMI whose delivery did not finish has not blocked NMIs yet, and an entry that injects
		 * one with virtual NMIs must find virtual-NMI blocking clear (SDM 27.3.1.5).
		 */
		if ((e.info & INTR_INFO_TYPE_MASK) == INTR_INFO_TYPE_NMI && (intr & INTERRUPTIBILITY_NMI))
			vmcs_write(VMCS_GUEST_INTERRUPTIBILITY, intr & ~(uint64_t)INTERRUPTIBILITY_NMI);
		write_entry_event(&e);
		return;
	}
	/*
	 * SDM 28.2.3: an IRET that exits after lifting NMI blocking leaves NMIs unblocked; run again
	 * from the start it must find them blocked, or an NMI could nest in the handler IRET returns
	 * from. The bit is defined only with virtual NMIs (vexit always has NMI exiting) and when the
	 * exit interrupted no delivery (else the IRET never ran).
	 */
	if (nmi_unblocked_by_iret && v->irq.virtual_nmis && !(intr & INTERRUPTIBILITY_NMI))
		vmcs_write(VMCS_GUEST_INTERRUPTIBILITY, intr | INTERRUPTIBILITY_NMI);
}

void vcpu_interrupted_field(char buf[VCPU_INTERRUPTED_FIELD_MAX])
{
	uint32_t idt = (uint32_t)vmcs_read(VMCS_IDT_VECTORING_INFO);
	buf[0] = '\0';
	if (idt & INTR_INFO_VALID)
		fmt_snprintf(buf, VCPU_INTERRUPTED_FIELD_MAX, " during=%s-%u", event_kind_name(idt), idt & 0xffu);
}

/*
 * The entry already delivers an event an exit interrupted (vcpu_resume_interrupted) when a
 * handler raises exception `*vector`: SDM Vol. 3A 6.15 decides. True: inject *vector (maybe now
 * #DF) in its place; false: nothing to inject (a triple fault stopped the VM).
 */
static bool combine_with_interrupted(struct vcpu *v, uint32_t first, unsigned *vector, uint32_t *error_code)
{
	switch (event_combine(first, *vector)) {
	case EVENTS_TRIPLE_FAULT:
		vm_stop(v->vm, VM_STOP_TRIPLE_FAULT, "rip=0x%lx", v->rip);
		return false;
	case EVENTS_DOUBLE_FAULT:
		*vector = VECTOR_DF;
		*error_code = 0;
		return true;
	case EVENTS_SERIAL:
		break;
	}
	/*
	 * Handled serially: the new exception is delivered first. An exception or a software interrupt
	 * whose delivery was cut happens again when the guest returns to its instruction; an NMI or an
	 * acknowledged interrupt would not, so they wait in the injection core.
	 */
	uint32_t type = first & INTR_INFO_TYPE_MASK;
	if (type == INTR_INFO_TYPE_NMI)
		irq_raise_nmi(v);
	else if (type == INTR_INFO_TYPE_EXTERNAL)
		irq_hold(v, (uint8_t)first);
	vmcs_write(VMCS_ENTRY_INSTRUCTION_LENGTH, 0);
	return true;
}

void vcpu_inject_exception(struct vcpu *v, unsigned vector, uint32_t error_code)
{
	uint32_t first = (uint32_t)vmcs_read(VMCS_ENTRY_INTR_INFO);
	if ((first & INTR_INFO_VALID) && !combine_with_interrupted(v, first, &vector, &error_code))
		return;
	/*
	 * A fault's handler sees RF set in the RFLAGS image it was called with (SDM Vol. 3A
	 * 18.3.1.1), so that IRET does not take an instruction breakpoint twice; event injection
	 * pushes the guest-state RFLAGS as it is (SDM 27.6.1.1), so the fault's RF goes there.
	 */
	if (exception_is_fault(vector))
		vmcs_write(VMCS_GUEST_RFLAGS, vmcs_read(VMCS_GUEST_RFLAGS) | RFLAGS_RF);
	vmcs_write(VMCS_ENTRY_INTR_INFO, exception_intr_info(vector));
	if (exception_has_error_code(vector))
		vmcs_write(VMCS_ENTRY_EXCEPTION_ERROR_CODE, error_code);
}

void vcpu_guest_paging(const struct vcpu *v, struct guest_paging *pg)
{
	uint64_t cr0 = vmcs_read(VMCS_GUEST_CR0), cr4 = vmcs_read(VMCS_GUEST_CR4);
	*pg = (struct guest_paging){
		.cr3 = vmcs_read(VMCS_GUEST_CR3),
		.wp = cr0 & CR0_WP,
		.smep = cr4 & CR4_SMEP,
		.smap = cr4 & CR4_SMAP,
		.nxe = vmcs_read(VMCS_GUEST_IA32_EFER) & EFER_NXE,
		.ac = vmcs_read(VMCS_GUEST_RFLAGS) & RFLAGS_AC,
		/* The CPL is SS.DPL (SDM 25.4.1). */
		.user = AR_DPL(vmcs_read(VMCS_GUEST_SS_ACCESS_RIGHTS)) == 3,
		.phys_addr_bits = v->vm->msrs.phys_addr_bits,
	};
}

uint64_t vcpu_gpr(const struct vcpu *v, unsigned gpr)
{
	return gpr == GPR_RSP ? vmcs_read(VMCS_GUEST_RSP) : v->gpr[gpr];
}
