/* Exits that end the VM: each records the stop reason and the facts that explain it. */
#include "exits/exit_handlers.h"
#include "hw/apic.h"
#include "hw/vmcs.h"
#include "include/x86_arch.h"
#include "kernel/machine_check.h"
#include "kernel/panic.h"
#include "vm/demand_page.h"
#include "vm/devices.h"
#include "vm/guest_time.h"
#include "vm/vm.h"
#include "vmx/vmx_caps.h"

/* The virtual timers, brought up to the guest's time: what fired is raised, the next wake-up armed. */
static void timers_sync(struct vcpu *v)
{
	apic_timer_sync(v);
	pit_sync(v->vm);
}

enum exit_action handle_triple_fault(struct vcpu *v)
{
	vm_stop(v->vm, VM_STOP_TRIPLE_FAULT, "rip=0x%lx", v->rip);
	return EXIT_STOP;
}

/*
 * HLT (SDM Vol. 2A): the processor waits for an interrupt, an NMI, ... With RFLAGS.IF=1 and
 * something that can wake it, the guest waits: an event already pending is injected at once,
 * and the HLT is done (RIP past it, as an interrupt taken in HLT returns there); else the VM
 * re-enters in the HLT activity state (SDM 25.4.2) with the timer set for the next wake-up of a
 * virtual timer (the APIC timer's expiry, the PIT's IRQ0 edge), whose exit injects its interrupt
 * and makes the guest active again (vm/irq.c). Nothing
 * can wake a guest with IF=0 (vexit raises no NMI by itself), nor one with no timer armed and
 * nothing pending: the VM ends `halted`, naming why.
 */
enum exit_action handle_hlt(struct vcpu *v)
{
	const char *why = NULL;
	if (!(vmcs_read(VMCS_GUEST_RFLAGS) & RFLAGS_IF) && !v->irq.nmi)
		why = "interrupts-disabled";
	if (!why) {
		timers_sync(v);
		if (irq_pending(v)) {
			vcpu_skip_instruction(v);
			irq_kick(v);
			return EXIT_RESUME;
		}
		if (v->wake_at == UINT64_MAX || !(v->budget_timer || v->budget_apic))
			why = "nothing-to-wake";
		else if (!(v->vm->caps->misc & VMX_MISC_ACTIVITY_HLT))
			why = "no-hlt-activity-state";
	}
	if (why) {
		vm_stop(v->vm, VM_STOP_HALTED, "rip=0x%lx why=%s", v->rip, why);
		return EXIT_STOP;
	}
	vcpu_skip_instruction(v);
	vmcs_write(VMCS_GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_HLT);
	v->irq.waiting = true;
	return EXIT_RESUME;
}

enum exit_action handle_ept_violation(struct vcpu *v)
{
	/* SDM 28.2.1, table 28-7: bits 0-2 say whether the access was a read, a write or a fetch. */
	uint64_t q = vcpu_exit_qualification(v);
	/*
	 * The demand page's first access (vm/demand_page.h): mapped now, the instruction or the event
	 * delivery it was part of runs again, the interrupted event re-injected (SDM 28.2.4), NMI
	 * blocking back if an IRET had lifted it (bit 12, SDM 28.2.3).
	 */
	if (demand_page_fault(v->vm, vmcs_read(VMCS_GUEST_PHYSICAL_ADDRESS))) {
		vcpu_resume_interrupted(v, q & NMI_UNBLOCKED_BY_IRET);
		return EXIT_RESUME;
	}
	/*
	 * An access made by event delivery (SDM 28.2.4: reading the IDT, a descriptor or the TSS,
	 * pushing the frame) is not the instruction's: there is nothing at RIP to emulate, and the
	 * stop names the event.
	 */
	char during[VCPU_INTERRUPTED_FIELD_MAX];
	vcpu_interrupted_field(during);
	if (!during[0] && apic_disabled_page_access(v, vmcs_read(VMCS_GUEST_PHYSICAL_ADDRESS), q))
		return EXIT_RESUME;
	vm_stop(v->vm, VM_STOP_EPT_VIOLATION, "gpa=0x%lx access=%s%s%s rip=0x%lx%s",
		vmcs_read(VMCS_GUEST_PHYSICAL_ADDRESS), q & 1 ? "r" : "", q & 2 ? "w" : "", q & 4 ? "x" : "", v->rip,
		during);
	return EXIT_STOP;
}

enum exit_action handle_preemption_timer(struct vcpu *v)
{
	/* The budget counts guest time (vm/guest_time.h); a budget too big for the timer's 32 bits takes several. */
	if (guest_time_timer_expired_early(v)) {
		timers_sync(v); /* or it was a virtual timer's wake-up */
		return EXIT_RESUME;
	}
	vm_stop(v->vm, VM_STOP_BUDGET, "budget=%lu", v->budget);
	return EXIT_STOP;
}

/*
 * Exception or NMI (basic reason 0). The controls let only two events exit so: NMIs ("NMI
 * exiting") and machine checks (bit 18 of the exception bitmap; with it clear, the guest's own
 * IDT would take the host's #MC: SDM 26.2). The policy (docs/hardware.md): vexit arms no NMI
 * source, so an NMI is the platform's (a hardware error line, a BMC or front-panel button), not
 * the guest's doing: the VM stops as `nmi` and the run goes on. A machine check means the
 * machine cannot be trusted: the run stops, as after a #MC in the hypervisor itself.
 */
enum exit_action handle_exception_nmi(struct vcpu *v)
{
	uint32_t info = (uint32_t)vmcs_read(VMCS_EXIT_INTR_INFO);
	if (!(info & INTR_INFO_VALID))
		return EXIT_TO_CALLER;
	if (EXIT_INTR_TYPE(info) == EXIT_INTR_TYPE_NMI) {
		vm_stop(v->vm, VM_STOP_NMI, "rip=0x%lx", v->rip);
		return EXIT_STOP;
	}
	if (EXIT_INTR_TYPE(info) == INTR_TYPE_HARDWARE_EXCEPTION && EXIT_INTR_VECTOR(info) == VECTOR_MC) {
		machine_check_report();
		panic("machine check (#MC) while guest %s ran, at guest rip=0x%lx", v->vm->name, v->rip);
	}
	return EXIT_TO_CALLER; /* the exception bitmap asked for no other: unhandled-exit names it */
}

enum exit_action handle_external_interrupt(struct vcpu *v)
{
	/*
	 * Only the APIC watchdog turns external-interrupt exiting on. The exit acknowledged
	 * the interrupt (SDM 28.2.2: its vector is in the exit interruption information),
	 * so the APIC waits for its EOI. Fired early (it counts host time too), the timer is
	 * armed again with what is left before the next entry.
	 */
	apic_eoi();
	if (!guest_time_watchdog_expired(v)) {
		timers_sync(v); /* or it was a virtual timer's wake-up */
		return EXIT_RESUME;
	}
	vm_stop(v->vm, VM_STOP_BUDGET, "budget=%lu", v->budget);
	return EXIT_STOP;
}
