/*
 * hostile_idt_garbage: an IDT of limit 0 at address 0, then INT3. Delivering #BP
 * needs gate 3, which is past the limit: #GP, whose gate is past it too: #DF,
 * likewise: a triple fault, which ends only this VM.
 */
#include "cpu.h"

EXPECT("stop triple-fault");
EXPECT("exit TRIPLE_FAULT 1");

int main(void)
{
	load_idtr(0, 0);
	__asm__ volatile("int3");
	guest_printf("FAIL INT3 came back");
	return 1;
}
