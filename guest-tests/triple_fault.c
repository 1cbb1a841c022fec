/* triple_fault: an exception with no IDT escalates to a triple fault; the VM stops with that reason. */
#include "vexit_guest.h"

EXPECT("stop triple-fault");
EXPECT("exit TRIPLE_FAULT 1");
EXPECT("exit IO_INSTRUCTION 1");

int main(void)
{
	guest_printf("executing UD2 with no IDT");
	__asm__ volatile("ud2");
	return 1;
}
