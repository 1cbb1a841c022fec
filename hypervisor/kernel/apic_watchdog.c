#include "kernel/apic_watchdog.h"

#include <stddef.h>

#include "hw/cpu.h"
#include "hw/apic.h"

#define RATIO_LIMIT (1ull << 31)
#define COUNT_MAX 0xffffffffull

static uint64_t ratio;

uint64_t apic_watchdog_ratio(uint64_t counts, uint64_t ticks)
{
	if (counts == 0 || ticks == 0 || counts >= RATIO_LIMIT || ticks >= RATIO_LIMIT)
		return 0;
	/* Rounded up: a ratio a little high makes the timer fire a little late, never early. */
	return ((counts << 32) + ticks - 1) / ticks;
}

uint32_t apic_watchdog_count_for(uint64_t r, uint64_t ticks)
{
	/* ticks * r / 2^32, rounded up; the product needs up to 127 bits (a multiply, no division). */
	unsigned __int128 counts = ((unsigned __int128)ticks * r + 0xffffffffu) >> 32;
	if (counts > COUNT_MAX)
		return (uint32_t)COUNT_MAX;
	return counts ? (uint32_t)counts : 1;
}

const char *apic_watchdog_init(void)
{
	const char *why = apic_init();
	if (why)
		return why;
	/*
	 * Start the count before the first TSC read and read it after the second: the
	 * APIC's interval contains the TSC's, so the ratio errs high (the timer late).
	 */
	apic_timer_start((uint32_t)COUNT_MAX);
	uint64_t t0 = rdtsc(), t1;
	do
		t1 = rdtsc();
	while (t1 - t0 < APIC_WATCHDOG_CALIBRATION_TICKS);
	uint32_t left = apic_timer_current();
	apic_timer_stop();
	ratio = apic_watchdog_ratio(COUNT_MAX - left, t1 - t0);
	return ratio ? NULL : "the local-APIC timer did not count against the TSC";
}

void apic_watchdog_arm(uint64_t ticks)
{
	apic_timer_start(apic_watchdog_count_for(ratio, ticks));
}

void apic_watchdog_stop(void)
{
	apic_timer_stop();
}
