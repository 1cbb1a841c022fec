/*
 * Event injection at the next VM entry (SDM 27.6): the encodings, and which pending
 * interrupt the guest's state lets in; vcpu.c and vm/irq.c do the VMCS writes.
 */
#ifndef VEXIT_EVENT_INJECT_H
#define VEXIT_EVENT_INJECT_H

#include <stdbool.h>
#include <stdint.h>

/* Exceptions that push an error code (SDM Vol. 3A 6.15): #DF, #TS, #NP, #SS, #GP, #PF, #AC, #CP. */
bool exception_has_error_code(unsigned vector);
/* Fault-class exceptions (SDM Vol. 3A table 6-1): #DE, #BR, #UD, #NM, #TS, #NP, #SS, #GP, #PF, #MF, #AC, #XM, #VE, #CP. */
bool exception_is_fault(unsigned vector);
/* The VM-entry interruption-information value for hardware exception `vector` (SDM 25.8.3). */
uint32_t exception_intr_info(unsigned vector);

/* The VM-entry interruption-information value of external interrupt `vector` and of an NMI (SDM 25.8.3). */
uint32_t external_intr_info(unsigned vector);
uint32_t nmi_intr_info(void);

/* What waits to be delivered at the next entry, and the guest state that decides whether it can be. */
struct intr_pending {
	bool nmi;               /* an NMI is pending */
	bool maskable;          /* a maskable interrupt is pending: the local APIC's, or an ExtINT */
	bool entry_busy;        /* the entry already injects an event (a handler's exception, a re-injection) */
	uint64_t rflags;        /* the guest's RFLAGS (IF) */
	uint32_t interruptibility; /* the guest's interruptibility state (SDM 25.4.2) */
	bool virtual_nmis;      /* pin-based "virtual NMIs" is on: the CPU tracks NMI blocking, NMI-window exiting exists */
};
enum intr_choice { INTR_NOTHING, INTR_NMI, INTR_MASKABLE };
/*
 * The event to inject at this entry, if any: an NMI first (SDM Vol. 3A 6.9: NMIs rank above
 * maskable interrupts), unless NMIs are blocked (by an NMI being handled, or by STI or MOV SS,
 * as KVM treats them: SDM 27.3.1.5 forbids injecting one under MOV-SS blocking); else a maskable
 * interrupt when RFLAGS.IF is 1 and nothing blocks it (SDM Vol. 3A 6.8.1, 6.8.3).
 */
enum intr_choice intr_choose(const struct intr_pending *p);
/*
 * The window exits (primary processor-based controls) that bring the VM back when what is
 * still pending after this entry can be delivered: interrupt-window exiting for a maskable
 * interrupt (SDM 26.7.5), NMI-window exiting for an NMI (SDM 26.7.6; it needs virtual NMIs,
 * without which the interrupt window stands in).
 */
uint32_t intr_windows(bool nmi, bool maskable, bool virtual_nmis);

#endif
