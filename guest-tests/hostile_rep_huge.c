/*
 * hostile_rep_huge: REP OUTSW with RCX = 2^64-1 from 1 MiB up: the hypervisor
 * emulates it 4096 elements per exit (the guest re-executes the rest), so the
 * 1 MiB up to the end of memory (512 Ki words) takes 128 exits, and the first element past
 * it, in the 2 MiB the guest mapped right after its memory, stops the VM with an
 * EPT violation. No exit runs unbounded, whatever the count.
 */
#include "paging.h"
#include "vexit_guest.h"

EXPECT("stop ept-violation");
EXPECT("field gpa=0x200000");
EXPECT("field access=r");
EXPECT("exit IO_INSTRUCTION 3");
EXPECT("cost 3");

int main(void)
{
	map_2m(GUEST_MEM_BYTES, GUEST_MEM_BYTES);
	const void *src = (const void *)(GUEST_MEM_BYTES - 0x4000);
	uint64_t n = ~0ull;
	__asm__ volatile("rep outsw" : "+S"(src), "+c"(n) : "d"(0x81) : "memory");
	return 1;
}
