/* budget: a guest that never finishes is stopped by the hypervisor's tick budget (VMX-preemption timer). */
#include "vexit_guest.h"

EXPECT("needs preemption-timer");
EXPECT("stop budget");
EXPECT("exit PREEMPTION_TIMER 1");
EXPECT("exit IO_INSTRUCTION 1");

int main(void)
{
	guest_printf("spinning forever");
	for (;;)
		__asm__ volatile("pause");
}
