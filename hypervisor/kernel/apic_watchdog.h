/*
 * The host's local-APIC timer as a watchdog (docs/protocol.md, "Guest time"):
 * calibrated once against the TSC, then armed in TSC ticks. The APIC counts at
 * its own rate (the bus or crystal clock on hardware; one count per tick in
 * Bochs, cpu/apic.cc): the calibration is the ratio of the two, as 32.32 fixed point.
 */
#ifndef VEXIT_APIC_WATCHDOG_H
#define VEXIT_APIC_WATCHDOG_H

#include <stdint.h>

/* TSC ticks the calibration spins for: ~0.1 ms at 2.5 GHz, 0.26 M instructions in Bochs. */
#define APIC_WATCHDOG_CALIBRATION_TICKS (1u << 18)

/*
 * APIC counts per TSC tick, 32.32 fixed point, from `counts` counted over `ticks`
 * (ticks > 0); 0 when the numbers cannot make a usable ratio (no count, or more
 * than 2^31 of either).
 */
uint64_t apic_watchdog_ratio(uint64_t counts, uint64_t ticks);
/*
 * The count that lasts at least `ticks` TSC ticks at that ratio (rounded up), within
 * the timer's 32 bits (1 to 0xffffffff: a longer wait takes several).
 */
uint32_t apic_watchdog_count_for(uint64_t ratio, uint64_t ticks);

/* Set the APIC up (hw/apic.h) and calibrate it. NULL, or why it cannot serve. */
const char *apic_watchdog_init(void);
/* Fire APIC_TIMER_VECTOR once `ticks` TSC ticks from now, or a little later. */
void apic_watchdog_arm(uint64_t ticks);
void apic_watchdog_stop(void);

#endif
