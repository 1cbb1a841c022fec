/*
 * hostile_idt_outside: the IDT's base is a linear address the guest maps to
 * guest-physical 1 GiB, outside its memory. Delivering #UD makes the CPU read
 * gate 6 there: an EPT violation during event delivery, which stops the VM
 * naming the gate's address (0x40000000 + 6 * 16).
 */
#include "cpu.h"
#include "paging.h"

EXPECT("stop ept-violation");
EXPECT("field gpa=0x40000060");
EXPECT("field during=exception-6");
EXPECT("field access=r");
EXPECT("exit EPT_VIOLATION 1");

int main(void)
{
	map_2m(0x400000, 0x40000000);
	load_idtr(0xfff, 0x400000);
	__asm__ volatile("ud2");
	guest_printf("FAIL UD2 came back");
	return 1;
}
