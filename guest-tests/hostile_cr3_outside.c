/*
 * hostile_cr3_outside: CR3 loaded with guest-physical 1 GiB, outside the guest's
 * memory (a legal value: below the physical-address width, so no #GP; the load
 * does not exit). The next instruction fetch walks a PML4 that is not there: an
 * EPT violation on the table read, which stops the VM naming it.
 */
#include "cpu.h"

EXPECT("stop ept-violation");
EXPECT("field gpa=0x40000000");
EXPECT("field access=r");
EXPECT("exit EPT_VIOLATION 1");
EXPECT("exit CR_ACCESS 0");

int main(void)
{
	write_cr3(0x40000000);
	guest_printf("FAIL ran on with CR3 outside memory");
	return 1;
}
