/* The injection core (vm/irq.h): what waits for the vCPU, and its delivery at VM entry (SDM 27.6). */
#include "vm/irq.h"

#include "hw/vmcs.h"
#include "include/vmcs_fields.h"
#include "include/x86_arch.h"
#include "vm/vm.h"
#include "vmx/event_inject.h"

void irq_kick(struct vcpu *v)
{
	v->irq.work = true;
	v->work |= WORK_AT_ENTRY;
}

void irq_hold(struct vcpu *v, uint8_t vector)
{
	v->irq.held = vector;
	irq_kick(v);
}

void irq_raise_nmi(struct vcpu *v)
{
	v->irq.nmi = true;
	irq_kick(v);
}

void irq_connect_extint(struct vcpu *v, const struct irq_line *line)
{
	v->irq.extint = *line;
	irq_kick(v);
}

/* The local APIC's vector (its own priority rules decide, SDM Vol. 3A 11.8.3), -1 when none. */
static int apic_vector(struct vcpu *v)
{
	return v->vm->lapic ? lapic_pending(v->vm->lapic) : -1;
}

/* Whether the PIC's INTR is up and reaches the CPU. */
static bool extint_pending(struct vcpu *v)
{
	const struct irq_line *l = &v->irq.extint;
	return l->pending && l->pending(l->dev) && (!v->vm->lapic || lapic_passes_extint(v->vm->lapic));
}

static bool maskable_pending(struct vcpu *v)
{
	return v->irq.held >= 0 || apic_vector(v) >= 0 || extint_pending(v);
}

bool irq_pending(struct vcpu *v)
{
	return v->irq.nmi || maskable_pending(v);
}

/*
 * The interrupt acknowledge: one held back by irq_hold first, then the APIC's interrupt (its priority is the one the guest
 * programs; the ExtINT has none in the APIC's scheme), else the PIC's, which names its vector.
 */
static uint8_t acknowledge_maskable(struct vcpu *v)
{
	if (v->irq.held >= 0) { /* acknowledged before: it goes first */
		uint8_t held = (uint8_t)v->irq.held;
		v->irq.held = -1;
		return held;
	}
	int vector = apic_vector(v);
	if (vector >= 0) {
		lapic_acknowledge(v->vm->lapic, (unsigned)vector);
		return (uint8_t)vector;
	}
	return v->irq.extint.acknowledge(v->irq.extint.dev);
}

static void set_windows(struct vcpu_irq *q, uint32_t windows)
{
	if (windows == q->windows)
		return;
	uint64_t proc = vmcs_read(VMCS_PROC_BASED_CONTROLS);
	proc &= ~(uint64_t)(PROC_INTERRUPT_WINDOW_EXITING | PROC_NMI_WINDOW_EXITING);
	vmcs_write(VMCS_PROC_BASED_CONTROLS, proc | windows);
	q->windows = windows;
}

void irq_prepare_entry(struct vcpu *v)
{
	struct vcpu_irq *q = &v->irq;
	q->work = false;
	struct intr_pending p = {
		.nmi = q->nmi,
		.maskable = maskable_pending(v),
		/* A handler's exception is already there (every exit clears the valid bit, SDM 28.2). */
		.entry_busy = (vmcs_read(VMCS_ENTRY_INTR_INFO) & INTR_INFO_VALID) != 0,
		.rflags = vmcs_read(VMCS_GUEST_RFLAGS),
		.interruptibility = (uint32_t)vmcs_read(VMCS_GUEST_INTERRUPTIBILITY),
		.virtual_nmis = q->virtual_nmis,
	};
	uint32_t info = 0;
	switch (intr_choose(&p)) {
	case INTR_NMI:
		q->nmi = false;
		info = nmi_intr_info();
		break;
	case INTR_MASKABLE:
		info = external_intr_info(acknowledge_maskable(v));
		break;
	case INTR_NOTHING:
		break;
	}
	if (info) {
		vmcs_write(VMCS_ENTRY_INTR_INFO, info);
		/* A guest waiting in HLT takes the event and runs on from its handler, past the HLT. */
		if (q->waiting) {
			vmcs_write(VMCS_GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_ACTIVE);
			q->waiting = false;
		}
	}
	set_windows(q, intr_windows(q->nmi, maskable_pending(v), q->virtual_nmis));
	if (v->vm->lapic)
		vmcs_write(VMCS_TPR_THRESHOLD, lapic_tpr_threshold(v->vm->lapic));
}
