/*
 * hostile_ins_ram_end: REP INSB of 64 bytes starting 16 bytes before the end of
 * guest memory, the next 2 MiB of linear space mapped by the guest to the
 * guest-physical addresses right after its memory. The hypervisor writes the 16
 * bytes inside memory and stops the VM at the first byte outside it (an EPT
 * violation it names), writing nothing beyond the VM. The guest's stack lives at
 * the top of memory, so it moves its stack lower first.
 */
#include "paging.h"
#include "vexit_guest.h"

EXPECT("stop ept-violation");
EXPECT("field gpa=0x200000");
EXPECT("field access=w");
EXPECT("exit IO_INSTRUCTION 1");

static uint8_t stack[4096] __attribute__((aligned(16)));

static void __attribute__((noreturn, used)) attack(void)
{
	map_2m(GUEST_MEM_BYTES, GUEST_MEM_BYTES);
	void *dst = (void *)(GUEST_MEM_BYTES - 16);
	uint64_t n = 64;
	__asm__ volatile("rep insb" : "+D"(dst), "+c"(n) : "d"(0x81) : "memory");
	guest_printf("FAIL INSB past the end of memory completed");
	vmcall4(VEXIT_HC_EXIT, 1, 0, 0, 0);
	for (;;)
		__asm__ volatile("hlt");
}

int main(void)
{
	__asm__ volatile("mov %0, %%rsp\n\tjmp attack" : : "r"(stack + sizeof(stack)) : "memory");
	return 1;
}
