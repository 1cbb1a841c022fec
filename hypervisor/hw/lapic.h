/*
 * The host's local APIC in xAPIC mode, through its MMIO page (SDM Vol. 3A
 * chapter 11): what the budget's fallback watchdog needs of it, its one-shot
 * timer and the end of interrupt. The host build fakes these (harness/tests/fake_hw.c).
 */
#ifndef VEXIT_HW_LAPIC_H
#define VEXIT_HW_LAPIC_H

#include <stdbool.h>
#include <stdint.h>

/* The vector the timer raises; the host's IDT has a gate for it (hw/isr.S, lapic_timer_isr). */
#define LAPIC_TIMER_VECTOR 32

/*
 * Find the APIC (CPUID.1:EDX[9], IA32_APIC_BASE), software-enable it, open its
 * task priority to every vector and program the timer as one-shot, divide by 1,
 * stopped. NULL on success, else why it cannot be used (absent, disabled by the
 * firmware, in x2APIC mode: this code speaks MMIO only).
 */
const char *lapic_init(void);
/* Start the one-shot countdown from count (0 stops it). */
void lapic_timer_start(uint32_t count);
/* What the countdown reads now (0 once it has run out). */
uint32_t lapic_timer_current(void);
/*
 * Stop the countdown and, when it ran out before it was stopped, take the
 * interrupt it left pending, so that nothing of one VM's watchdog reaches the next.
 */
void lapic_timer_stop(void);
/* Signal the end of the interrupt the CPU acknowledged (SDM Vol. 3A 11.8.5). */
void lapic_eoi(void);

#endif
