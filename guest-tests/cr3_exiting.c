/*
 * cr3_exiting: CR3 accesses exit only when the VM asks (VEXIT_HC_CR3_EXITING),
 * and the exit trace shows each one's qualification (SDM 28.2.1, table 28-3):
 * MOV to CR3 from RAX is 0x3, MOV from CR3 to RBX is 0x313, MOV to CR3 from R9
 * is 0x903. A CR3 with bits above the physical-address width raises #GP.
 */
#include "cpu.h"
#include "fault.h"

EXPECT("stop done");
EXPECT("asserts 5");
/* The three traced accesses and the refused MOV; the 20 accesses before asking took none. */
EXPECT("exit CR_ACCESS 4");
EXPECT("trace 0 CR_ACCESS 0x3");
EXPECT("trace 1 CR_ACCESS 0x313");
EXPECT("trace 2 CR_ACCESS 0x903");
EXPECT("field traced=3");

int main(void)
{
	fault_init();
	uint64_t before = exits_of(REASON_CR_ACCESS);
	uint64_t cr3 = read_cr3();
	for (int i = 0; i < 10; i++) {
		write_cr3(cr3);
		(void)read_cr3();
	}
	report_eq(exits_of(REASON_CR_ACCESS) - before, 0, "by default CR3 loads and stores take no exit");
	report_eq(cr3, 0x1000, "CR3 holds the guest's PML4 at 0x1000");

	report_eq(vmcall4(VEXIT_HC_CR3_EXITING, 1, 0, 0, 0), 0, "CR3 exiting can be turned on");
	vmcall4(VEXIT_HC_TRACE, 1, 0, 0, 0);
	uint64_t got;
	__asm__ volatile("mov %%rax, %%cr3" : : "a"(cr3) : "memory");
	__asm__ volatile("mov %%cr3, %%rbx" : "=b"(got));
	register uint64_t r9 __asm__("r9") = cr3;
	__asm__ volatile("mov %0, %%cr3" : : "r"(r9) : "memory");
	vmcall4(VEXIT_HC_TRACE, 0, 0, 0, 0);
	report_eq(got, cr3, "MOV from CR3 under CR3-store exiting returns the guest's CR3");
	report_eq(try_write_cr3(cr3 | (1ull << 62)), 13, "a CR3 bit above the physical-address width raises #GP");
	return 0;
}
