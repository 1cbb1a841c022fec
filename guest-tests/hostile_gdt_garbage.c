/*
 * hostile_gdt_garbage: the GDT is replaced by 16 bytes of garbage, then DS is
 * loaded with a selector past its limit: #GP with no IDT to deliver it, a
 * triple fault that ends only this VM.
 */
#include "cpu.h"

EXPECT("stop triple-fault");
EXPECT("exit TRIPLE_FAULT 1");

static const uint64_t garbage[2] __attribute__((aligned(8))) = { 0xdeadbeefcafebabeull, 0x0123456789abcdefull };

int main(void)
{
	load_gdtr(sizeof(garbage) - 1, (uint64_t)(uintptr_t)garbage);
	__asm__ volatile("mov %0, %%ds" : : "r"(0x28) : "memory");
	guest_printf("FAIL a selector past the GDT limit loaded");
	return 1;
}
