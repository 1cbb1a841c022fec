/*
 * cr8_tpr: CR8 loads and stores exit (no TPR shadow) and the hypervisor keeps
 * the task priority: what MOV to CR8 wrote, MOV from CR8 reads back, for every
 * value 0-15. Bits 63:4 are reserved: #GP, and the priority is unchanged. The
 * trace shows MOV to CR8 from RAX (qualification 0x8) and MOV from CR8 to RAX
 * (0x18). MOV from CR8 into RBX, RBP and R12-R15 lands there too, and those
 * registers keep their values across the exits that do not write them: the
 * hypervisor's exit stub reloads them only when a handler wrote one
 * (hw/vmx_entry.S).
 */
#include "cpu.h"
#include "fault.h"

EXPECT("stop done");
EXPECT("asserts 5");
/* 16 writes and 16 reads, the refused write, the read after it, the two traced accesses, and the 7 of
 * cr8_into_kept_registers. */
EXPECT("exit CR_ACCESS 43");
EXPECT("trace 0 CR_ACCESS 0x8");
EXPECT("trace 1 CR_ACCESS 0x18");
EXPECT("field traced=2");

/*
 * Priority 9, then MOV from CR8 into R12 and RBP, a MOV to CR8 (an exit that writes no register),
 * then into R13, R15 and RBX; R14 is never written. out[] gets RBX, RBP, R12, R13, R14, R15.
 */
static void cr8_into_kept_registers(uint64_t out[6])
{
	__asm__ volatile("push %%rbp\n\t"
			 "mov $0x1b, %%rbx\n\t"
			 "mov $0x5b, %%rbp\n\t"
			 "mov $0x12, %%r12\n\t"
			 "mov $0x13, %%r13\n\t"
			 "mov $0x14, %%r14\n\t"
			 "mov $0x15, %%r15\n\t"
			 "mov $9, %%eax\n\t"
			 "mov %%rax, %%cr8\n\t"
			 "mov %%cr8, %%r12\n\t"
			 "mov %%cr8, %%rbp\n\t"
			 "mov %%rax, %%cr8\n\t"
			 "mov %%cr8, %%r13\n\t"
			 "mov %%cr8, %%r15\n\t"
			 "mov %%cr8, %%rbx\n\t"
			 "mov %%rbx, 0(%%rdi)\n\t"
			 "mov %%rbp, 8(%%rdi)\n\t"
			 "mov %%r12, 16(%%rdi)\n\t"
			 "mov %%r13, 24(%%rdi)\n\t"
			 "mov %%r14, 32(%%rdi)\n\t"
			 "mov %%r15, 40(%%rdi)\n\t"
			 "pop %%rbp"
			 :
			 : "D"(out)
			 : "rax", "rbx", "r12", "r13", "r14", "r15", "memory");
}

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

	uint64_t kept[6];
	cr8_into_kept_registers(kept);
	bool landed = kept[0] == 9 && kept[1] == 9 && kept[2] == 9 && kept[3] == 9 && kept[4] == 0x14 && kept[5] == 9;
	if (!landed)
		guest_printf("RBX RBP R12 R13 R14 R15: %lx %lx %lx %lx %lx %lx", kept[0], kept[1], kept[2], kept[3],
			     kept[4], kept[5]);
	report(landed, "MOV from CR8 to RBX, RBP, R12, R13, R15 lands there; R14, never written, keeps its value");
	return 0;
}
