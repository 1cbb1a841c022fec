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

/* An event for the VM-entry event-injection fields (SDM 25.8.3): interruption information, error code, instruction length. */
struct entry_event {
	uint32_t info;
	uint32_t error_code;
	uint32_t instruction_length;
};
/*
 * The event whose delivery a VM exit interrupted (the IDT-vectoring information and error code,
 * SDM 28.2.4), as the entry event that delivers it again, as KVM's __vmx_complete_interrupts
 * does: the vector, the type and the deliver-error-code bit (bit 12 is undefined there and
 * bits 30:12 must be 0 for the entry, SDM 27.2.1.3), the error code when bit 11 says one is
 * pushed, and for a software interrupt or exception (INT n, INT1, INT3, INTO) the instruction's
 * length, which the exit saved (SDM 28.2.5) and the entry needs to push the return address past
 * it (SDM 27.6.1.1). False: the exit interrupted no delivery (the valid bit, 31, is clear).
 */
bool event_redelivery(uint32_t idt_vectoring_info, uint32_t idt_vectoring_error, uint32_t exit_instruction_length,
		      struct entry_event *out);

/*
 * The interruption type (bits 10:8) of an interruption-information value as a protocol token:
 * interrupt, nmi, exception, int (INT n), int1, soft-exception (INT3, INTO), other.
 */
const char *event_kind_name(uint32_t info);

/* The classes of SDM Vol. 3A 6.15, table 6-4, that decide what a second exception makes of a first. */
enum exception_class { EXCEPTION_BENIGN, EXCEPTION_CONTRIBUTORY, EXCEPTION_PAGE_FAULT };
enum exception_class exception_class(unsigned vector);
enum event_combination {
	EVENTS_SERIAL,       /* the second is delivered; the first was an interrupt, or happens again */
	EVENTS_DOUBLE_FAULT, /* #DF, error code 0, replaces both */
	EVENTS_TRIPLE_FAULT, /* the CPU shuts down */
};
/*
 * Hardware exception `second` detected while delivering the event `first` (VM-entry interruption
 * information: the event an exit interrupted, about to go in again): SDM Vol. 3A 6.15, table 6-5,
 * "Conditions for Generating a Double Fault" (contributory then contributory, or #PF then
 * contributory or #PF, give #DF), and Interrupt 8 (a contributory exception or #PF while
 * delivering #DF shuts the processor down: a triple fault). Only a hardware exception's vector
 * has a class; interrupts, NMIs and software interrupts and exceptions are benign.
 */
enum event_combination event_combine(uint32_t first, unsigned second);

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
