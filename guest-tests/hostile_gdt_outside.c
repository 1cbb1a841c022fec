/*
 * hostile_gdt_outside: the GDT's base maps to guest-physical 1 GiB, outside the
 * guest's memory; loading DS with selector 0x10 makes the CPU read the
 * descriptor there: an EPT violation that stops the VM naming the address.
 */
#include "cpu.h"
#include "paging.h"

EXPECT("stop ept-violation");
EXPECT("field gpa=0x40000010");
EXPECT("field access=r");
EXPECT("exit EPT_VIOLATION 1");

int main(void)
{
	map_2m(0x400000, 0x40000000);
	load_gdtr(0xffff, 0x400000);
	__asm__ volatile("mov %0, %%ds" : : "r"(0x10) : "memory");
	guest_printf("FAIL DS loaded from outside memory");
	return 1;
}
