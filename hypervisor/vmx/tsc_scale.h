/*
 * The guest's TSC under "use TSC offsetting" and "use TSC scaling" (SDM 25.6.5): RDTSC,
 * RDTSCP and a RDMSR of IA32_TSC that does not exit return the host's TSC times the TSC
 * multiplier, a fixed-point number with 48 fraction bits, plus the TSC offset (SDM 26.3:
 * the 128-bit product shifted right by 48, its low 64 bits, then the offset added, modulo
 * 2^64). vexit's own reads and writes of that clock (the IA32_TSC it emulates, the local
 * APIC's timer) use these, so the guest sees one clock.
 */
#ifndef VEXIT_TSC_SCALE_H
#define VEXIT_TSC_SCALE_H

#include <stdint.h>

/* The multiplier 1.0: the guest's TSC runs at the host's (what "use TSC scaling" = 0 amounts to). */
#define TSC_MULTIPLIER_ONE (1ull << 48)

/* Bits 63:0 of (tsc * multiplier) >> 48, from the full 128-bit product. */
uint64_t tsc_scaled(uint64_t tsc, uint64_t multiplier);
/* What the guest reads at host TSC host_tsc: tsc_scaled(host_tsc, multiplier) + offset (mod 2^64). */
uint64_t tsc_guest(uint64_t host_tsc, uint64_t multiplier, uint64_t offset);
/*
 * Host ticks in which the guest's TSC advances by at least guest_ticks: guest_ticks divided by
 * the multiplier's integer part, rounded up (with a fraction the guest's TSC runs a little
 * faster still, so never too early); guest_ticks itself for a multiplier below 1.0, which
 * vexit never sets (tscscale is a whole number).
 */
uint64_t tsc_host_ticks(uint64_t guest_ticks, uint64_t multiplier);

#endif
