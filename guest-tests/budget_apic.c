/*
 * budget_apic: with the kernel option watchdog=apic-timer, the host's local-APIC
 * timer and external-interrupt exiting stop a guest that never finishes, as the
 * preemption timer stops `budget` (docs/protocol.md, "Guest time").
 */
#include "vexit_guest.h"

EXPECT("needs watchdog=apic-timer");
EXPECT("stop budget");
EXPECT("exit EXTERNAL_INTERRUPT 1");
EXPECT("exit PREEMPTION_TIMER 0");
EXPECT("exit IO_INSTRUCTION 1");
/* The kernel's whole default budget, as `budget` (docs/sharding.md). */
EXPECT("cost 16");

int main(void)
{
	guest_printf("spinning forever");
	/*
	 * CLI changes nothing here (IF is already 0) and exits nothing. It is for Bochs
	 * 2.7, which lets an interrupt reach an external-interrupt exit only once the
	 * guest has written IF (cpu/flag_ctrl_pro.cc): at VM entry it masks interrupts
	 * by the guest's IF=0 before it counts as in the guest, where the SDM (26.4.1)
	 * says IF does not block them. On hardware a plain spin is stopped the same way.
	 */
	for (;;)
		__asm__ volatile("cli; pause");
}
