/*
 * cache_flush: INVD exits unconditionally and WBINVD exits under WBINVD
 * exiting; the hypervisor does nothing for either (guest memory is ordinary
 * write-back memory) and moves RIP past them by the exit's instruction length.
 */
#include "cpu.h"

EXPECT("stop done");
EXPECT("asserts 2");
EXPECT("exit INVD 1");
EXPECT("exit WBINVD 2");

int main(void)
{
	volatile uint64_t x = 41;
	__asm__ volatile("invd" : : : "memory");
	x++;
	__asm__ volatile("wbinvd" : : : "memory");
	/* A prefixed WBINVD is longer: only the exit's length field gets RIP right. */
	__asm__ volatile(".byte 0x2e, 0x3e; wbinvd" : : : "memory");
	report_eq(x, 42, "memory written around INVD and WBINVD is intact");
	report_eq(exits_of(54) + exits_of(13), 3, "three cache-flush exits, each resumed after its instruction");
	return 0;
}
