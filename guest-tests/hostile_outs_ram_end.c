/*
 * hostile_outs_ram_end: REP OUTSB of 64 bytes starting 16 bytes before the end
 * of guest memory, the next 2 MiB of linear space mapped by the guest to the
 * guest-physical addresses right after its memory. The hypervisor emulates the
 * string I/O: it sends the 16 bytes inside memory and stops the VM at the first
 * byte outside it (an EPT violation it names), reading nothing beyond the VM.
 */
#include "paging.h"
#include "vexit_guest.h"

EXPECT("stop ept-violation");
EXPECT("field gpa=0x200000");
EXPECT("field access=r");
EXPECT("exit IO_INSTRUCTION 1");

int main(void)
{
	map_2m(GUEST_MEM_BYTES, GUEST_MEM_BYTES);
	const void *src = (const void *)(GUEST_MEM_BYTES - 16);
	uint64_t n = 64;
	__asm__ volatile("rep outsb" : "+S"(src), "+c"(n) : "d"(0x81) : "memory");
	return 1;
}
