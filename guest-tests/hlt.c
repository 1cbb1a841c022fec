/* hlt: HLT with interrupts off can never wake, so it ends the VM as "halted". */
#include "vexit_guest.h"

EXPECT("stop halted");
EXPECT("exit HLT 1");
EXPECT("exit IO_INSTRUCTION 0");

int main(void)
{
	__asm__ volatile("cli; hlt");
	return 1;
}
