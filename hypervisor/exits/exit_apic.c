/*
 * Exits of the virtualized local APIC (vm/lapic.h). With APIC-register
 * virtualization the guest reads its registers from the virtual-APIC page without
 * exiting, and a write to one of the registers SDM 30.4.3.1 lists is stored there and
 * then exits, trap-like, as an APIC write (SDM 30.4.3.3: qualification bits 11:0 are
 * the offset, RIP already past the instruction). Every other access exits, fault-like,
 * as an APIC access (SDM 30.4.1): reads of the timer's current count and of unlisted
 * offsets, writes to read-only registers. vexit does not yet decode the instruction
 * that made one, so such an access stops the VM, naming the offset.
 */
#include "exits/exit_handlers.h"
#include "vm/vm.h"

/* SDM 28.2.1, table 28-6: the APIC-access exit qualification. */
#define APIC_ACCESS_OFFSET(q) ((unsigned)(q) & 0xfffu)
#define APIC_ACCESS_TYPE(q) (((q) >> 12) & 0xfu)
#define APIC_ACCESS_LINEAR_READ 0
#define APIC_ACCESS_LINEAR_WRITE 1
#define APIC_ACCESS_FETCH 2

enum exit_action handle_apic_write(struct vcpu *v)
{
	struct vm *vm = v->vm;
	unsigned offset = APIC_ACCESS_OFFSET(v->exit_qualification);
	if (!vm->lapic) { /* the controls of a VM without an APIC make none (vm/vm_vmcs.c) */
		vm_stop(vm, VM_STOP_UNHANDLED_EXIT, "reason=APIC_WRITE offset=0x%x rip=0x%lx why=no-apic", offset, v->rip);
		return EXIT_STOP;
	}
	switch (lapic_write(vm->lapic, offset, v->guest_ticks)) {
	case LAPIC_EVALUATE: irq_kick(&v->irq); break;
	case LAPIC_NMI: irq_raise_nmi(&v->irq); break;
	case LAPIC_DONE: break;
	}
	return EXIT_RESUME;
}

/*
 * The window exits (SDM 26.7.5, 26.7.6) and a TPR lowered below the threshold (SDM 30.1.2):
 * what was held back may go in now; vm/irq.c decides before the entry. All are trap-like:
 * RIP is where the guest goes on.
 */
enum exit_action handle_interrupt_window(struct vcpu *v)
{
	irq_kick(&v->irq);
	return EXIT_RESUME;
}

enum exit_action handle_apic_access(struct vcpu *v)
{
	uint64_t q = v->exit_qualification;
	unsigned type = APIC_ACCESS_TYPE(q);
	const char *access = type == APIC_ACCESS_LINEAR_READ    ? "read"
			     : type == APIC_ACCESS_LINEAR_WRITE ? "write"
			     : type == APIC_ACCESS_FETCH        ? "fetch"
								: "other";
	vm_stop(v->vm, VM_STOP_UNHANDLED_EXIT, "reason=APIC_ACCESS offset=0x%x access=%s rip=0x%lx why=not-emulated",
		APIC_ACCESS_OFFSET(q), access, v->rip);
	return EXIT_STOP;
}
