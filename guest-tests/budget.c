/* budget: a guest that never finishes is stopped by the hypervisor's tick budget (VMX-preemption timer). */
#include "vexit_guest.h"

EXPECT("needs watchdog=preemption-timer");
EXPECT("stop budget");
EXPECT("exit PREEMPTION_TIMER 1");
EXPECT("exit IO_INSTRUCTION 1");
/*
 * It runs the kernel's whole default budget (20M ticks): about 16 times as long
 * as an ordinary guest (docs/sharding.md). vexit-run -j balances its shards by this.
 */
EXPECT("cost 16");

int main(void)
{
	guest_printf("spinning forever");
	for (;;)
		__asm__ volatile("pause");
}
