/*
 * cr8_tpr: CR8 loads and stores exit (no TPR shadow) and the hypervisor keeps
 * the task priority: what MOV to CR8 wrote, MOV from CR8 reads back, for every
 * value 0-15. Bits 63:4 are reserved: #GP, and the priority is unchanged. The
 * trace shows MOV to CR8 from RAX (qualification 0x8) and MOV from CR8 to RAX
 * (0x18).
 */
#include "cpu.h"
#include "fault.h"

EXPECT("stop done");
EXPECT("asserts 4");
/* 16 writes and 16 reads, the refused write, the read after it, and the two traced accesses. */
EXPECT("exit CR_ACCESS 36");
EXPECT("trace 0 CR_ACCESS 0x8");
EXPECT("trace 1 CR_ACCESS 0x18");
EXPECT("field traced=2");

int main(void)
{
	fault_init();
	bool all = true;
	for (uint64_t p = 0; p < 16; p++) {
		write_cr8(p);
		all &= read_cr8() == p;
	}
	report(all, "each priority 0-15 written to CR8 reads back");
	report_eq(try_write_cr8(0x10), 13, "CR8 bit 4 is reserved: #GP");
	report_eq(read_cr8(), 15, "the refused write left the priority at 15");

	vmcall4(VEXIT_HC_TRACE, 1, 0, 0, 0);
	uint64_t got;
	__asm__ volatile("mov %%rax, %%cr8" : : "a"(7ull) : "memory");
	__asm__ volatile("mov %%cr8, %%rax" : "=a"(got));
	vmcall4(VEXIT_HC_TRACE, 0, 0, 0, 0);
	report_eq(got, 7, "MOV from CR8 to RAX returns the priority MOV to CR8 from RAX set");
	return 0;
}
