/*
 * The host's local APIC (SDM Vol. 3A chapter 11), in xAPIC mode through its MMIO page
 * or in x2APIC mode through its MSRs, as far as the hypervisor uses it: an NMI sent to itself (the NMI self-test),
 * and the one-shot timer and end of interrupt of the budget's fallback watchdog
 * (kernel/apic_watchdog.h; the host build fakes those, harness/tests/fake_hw.c).
 */
#ifndef VEXIT_HW_APIC_H
#define VEXIT_HW_APIC_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Send this CPU an NMI through its xAPIC's interrupt command register (SDM Vol. 3A
 * 11.6.1: delivery mode NMI, destination its own APIC ID). False, sending nothing,
 * when the APIC is disabled.
 */
bool apic_send_self_nmi(void);
/*
 * Switch the enabled APIC from xAPIC to x2APIC mode (kernel option apic=x2apic: the
 * suite's way to run the x2APIC paths on a machine whose firmware left xAPIC). NULL,
 * or why not.
 */
const char *apic_enter_x2apic(void);

/* The vector the timer raises; the host's IDT has a gate for it (hw/isr.S, isr_32). */
#define APIC_TIMER_VECTOR 32

/*
 * Find the APIC (CPUID.1:EDX[9], IA32_APIC_BASE), software-enable it, open its
 * task priority to every vector and program the timer as one-shot, divide by 1,
 * stopped, in whichever mode the APIC is. NULL on success, else why it cannot be used
 * (absent, disabled by the firmware, an xAPIC page above the 4 GiB identity map).
 */
const char *apic_init(void);
/* Start the one-shot countdown from count (0 stops it). */
void apic_timer_start(uint32_t count);
/* What the countdown reads now (0 once it has run out). */
uint32_t apic_timer_current(void);
/*
 * Stop the countdown and, when it ran out before it was stopped, take the
 * interrupt it left pending, so that nothing of one VM's watchdog reaches the next.
 */
void apic_timer_stop(void);
/* Signal the end of the interrupt the CPU acknowledged (SDM Vol. 3A 11.8.5). */
void apic_eoi(void);

#endif
