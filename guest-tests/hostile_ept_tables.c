/*
 * hostile_ept_tables: the guest hunts for the hypervisor's own memory. Its page
 * tables map, 2 MiB at a time, the guest-physical addresses where a host would
 * keep its kernel, VMCS and EPT tables (the first 16 MiB) and reads each: the
 * VM's EPT maps only its own 2 MiB, so the first read past them (2 MiB) stops
 * the VM, and no host byte is ever seen. Its own 2 MiB read back as it wrote.
 */
#include "paging.h"
#include "vexit_guest.h"

EXPECT("stop ept-violation");
EXPECT("field gpa=0x200000");
EXPECT("field access=r");
EXPECT("asserts 1");

int main(void)
{
	/* Linear 4 MiB + n * 2 MiB -> guest-physical n * 2 MiB. */
	for (uint64_t n = 0; n < 8; n++)
		map_2m(0x400000 + n * 0x200000, n * 0x200000);
	static volatile uint64_t marker = 0x5ec0de;
	report_eq(*(volatile uint64_t *)(0x400000 + (uintptr_t)&marker), 0x5ec0de,
		  "its own memory through the alias");
	for (uint64_t n = 1; n < 8; n++)
		(void)*(volatile uint64_t *)(0x400000 + n * 0x200000);
	guest_printf("FAIL read memory that is not the guest's");
	return 1;
}
