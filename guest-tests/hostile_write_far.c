/*
 * hostile_write_far: the guest maps guest-physical 2 GiB (far outside its 2 MiB)
 * in its own page tables and writes there. EPT has nothing at that address, so
 * the write never reaches host memory: the VM stops naming the address and the
 * access.
 */
#include "paging.h"
#include "vexit_guest.h"

EXPECT("stop ept-violation");
EXPECT("field gpa=0x80000123");
EXPECT("field access=w");
EXPECT("exit EPT_VIOLATION 1");

int main(void)
{
	map_2m(0x400000, 0x80000000);
	*(volatile uint64_t *)0x400123 = 0x5ec0de;
	guest_printf("FAIL the write to 2 GiB went through");
	return 1;
}
