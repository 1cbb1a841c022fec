/*
 * hostile_stack_unmapped: a valid IDT, but RSP pointing at an unmapped linear
 * address. The #UD's delivery cannot push its frame: #PF, whose delivery cannot
 * either: #DF, likewise: a triple fault, which ends only this VM.
 */
#include "fault.h"
#include "vexit_guest.h"

EXPECT("stop triple-fault");
EXPECT("exit TRIPLE_FAULT 1");

int main(void)
{
	fault_init();
	__asm__ volatile("mov %0, %%rsp\n\tud2" : : "r"(0x40000000ull) : "memory");
	return 1;
}
