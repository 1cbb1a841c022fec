/*
 * ept_violation: the guest maps the 2 MiB above its memory in its own page
 * tables and reads it; EPT has nothing there, so the VM stops with the
 * guest-physical address and the access type.
 */
#include "vexit_guest.h"

EXPECT("stop ept-violation");
EXPECT("field gpa=0x200010");
EXPECT("field access=r");
EXPECT("exit EPT_VIOLATION 1");

#define GUEST_PD 0x3000 /* vm/guest_layout.h */
#define PDE_2M_PRESENT_WRITABLE 0x83

int main(void)
{
	volatile uint64_t *pd = (volatile uint64_t *)GUEST_PD;
	pd[1] = 0x200000 | PDE_2M_PRESENT_WRITABLE;
	volatile uint64_t *beyond = (volatile uint64_t *)0x200010;
	(void)*beyond;
	return 1;
}
