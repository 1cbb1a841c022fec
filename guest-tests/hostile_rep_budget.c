/*
 * hostile_rep_budget: a guest that spends its life in string-I/O exits: REP
 * OUTSB of 4096 bytes to an unclaimed port, again and again. Each exit costs the
 * hypervisor about a thousand times the guest's own few ticks, so a budget of
 * guest time alone would let it run for hours; the emulation's ticks are charged
 * to the guest (vm/guest_time.h), and the budget stops it within one exit of
 * the limit (a hypervisor fix this test found: the run used to hang until the
 * harness's timeout, taking the rest of its shard with it).
 */
#include "vexit_guest.h"

EXPECT("needs watchdog=preemption-timer");
EXPECT("stop budget");
/* About the kernel's whole default budget (20M ticks), as `budget` (docs/sharding.md). */
EXPECT("cost 16");

int main(void)
{
	guest_printf("REP OUTSB of 4 KiB until the budget ends it");
	for (;;) {
		const void *src = (const void *)0x80000;
		uint64_t n = 4096;
		__asm__ volatile("rep outsb" : "+S"(src), "+c"(n) : "d"(0x81) : "memory");
	}
}
