/*
 * The injection core: the interrupts waiting for one vCPU and their delivery at VM entry.
 *
 * Events reach the guest through the VM-entry interruption-information field (SDM 27.6),
 * one per entry, never through the CPU's virtual-interrupt delivery: the local APIC's IRR,
 * ISR and PPR are kept by vm/dev_lapic.c in the virtual-APIC page (SDM Vol. 3A 11.8), so one
 * path serves the APIC's interrupts, NMIs and the legacy PIC's ExtINT alike, on every CPU
 * with a TPR shadow (virtual-interrupt delivery cannot carry an ExtINT anyway).
 *
 * Sources say that something may now be deliverable (irq_kick, irq_raise_nmi); before the next
 * entry irq_prepare_entry injects what the guest's state lets in (RFLAGS.IF, blocking by STI,
 * MOV SS or NMI: vmx/event_inject.h) and turns on the window exits that bring the VM back when
 * the rest can go in: interrupt-window exiting (SDM 26.7.5), NMI-window exiting (26.7.6, with
 * virtual NMIs), and the TPR threshold for an interrupt the task priority holds back (SDM 30.1.2).
 */
#ifndef VEXIT_IRQ_H
#define VEXIT_IRQ_H

#include <stdbool.h>
#include <stdint.h>

/*
 * An interrupt source outside the local APIC that drives the CPU's INTR line: the legacy
 * PIC (an 8259 pair delivers ExtINT, SDM Vol. 3A 11.5.1). The line reaches the CPU through
 * LINT0 programmed for ExtINT, or directly while the local APIC is globally disabled or absent.
 * A source calls irq_kick when its output may have risen.
 */
struct irq_line {
	/* Whether INTR is asserted now. */
	bool (*pending)(void *dev);
	/* The CPU takes the interrupt (the INTA cycle): the source puts it in service and names its vector. */
	uint8_t (*acknowledge)(void *dev);
	void *dev;
};

struct vcpu_irq {
	bool work;         /* something may be deliverable: evaluate it before the next entry */
	bool nmi;          /* an NMI is pending; a second one while it waits is lost (SDM Vol. 3A 6.7.1) */
	bool virtual_nmis; /* the VM runs with virtual NMIs: the CPU tracks NMI blocking, NMI windows exist */
	bool waiting;      /* the guest waits in HLT (activity state HLT): an injected event wakes it */
	uint32_t windows;  /* the window-exiting controls now on */
	int held;          /* an acknowledged interrupt whose delivery an exception displaced (irq_hold); -1: none */
	struct irq_line extint; /* pending == NULL: none connected */
};

struct vcpu;

/*
 * Something may have become deliverable (an IRR bit, an EOI, a lower TPR, a source's INTR).
 * These set work and the vCPU's WORK_AT_ENTRY (vm/vcpu.h), the one bit the exit path tests.
 */
void irq_kick(struct vcpu *v);
/* An NMI for this vCPU (an NMI IPI, LINT1 programmed for NMI). */
void irq_raise_nmi(struct vcpu *v);
/*
 * External interrupt `vector`, already acknowledged (in the APIC's ISR, or the PIC's), whose delivery
 * an exit interrupted and an exception then displaced (SDM Vol. 3A 6.15: handled serially): it waits,
 * ahead of every other maskable interrupt, until the guest can take an interrupt again.
 */
void irq_hold(struct vcpu *v, uint8_t vector);
/* Connect the ExtINT source (one per VM: the legacy PIC). */
void irq_connect_extint(struct vcpu *v, const struct irq_line *line);
/* Whether a maskable interrupt (the local APIC's, or an ExtINT) or an NMI could be taken now if nothing blocked it. */
bool irq_pending(struct vcpu *v);
/* Before an entry, when work is set: inject what may go in, open the windows for the rest (VMCS must be current). */
void irq_prepare_entry(struct vcpu *v);

#endif
