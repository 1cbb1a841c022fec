/*
 * hostile_rep_huge: REP OUTSW with RCX = 2^64-1 from 8 KiB below the end of
 * memory: the hypervisor emulates it 4096 elements per exit (the guest
 * re-executes the rest), so the 4 Ki words up to the end take one exit, and the
 * first element past it, in the 2 MiB the guest mapped right after its memory,
 * stops the VM in the next with an EPT violation. No exit runs unbounded,
 * whatever the count.
 */
#include "paging.h"
#include "vexit_guest.h"

EXPECT("stop ept-violation");
EXPECT("field gpa=0x200000");
EXPECT("field access=r");
EXPECT("exit IO_INSTRUCTION 2");
EXPECT("cost 2");

int main(void)
{
	map_2m(GUEST_MEM_BYTES, GUEST_MEM_BYTES);
	const void *src = (const void *)(GUEST_MEM_BYTES - 0x2000);
	uint64_t n = ~0ull;
	__asm__ volatile("rep outsw" : "+S"(src), "+c"(n) : "d"(0x81) : "memory");
	return 1;
}
