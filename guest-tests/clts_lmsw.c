/*
 * clts_lmsw: CLTS clears CR0.TS and LMSW loads PE, MP, EM and TS from its
 * operand but cannot clear PE (SDM Vol. 2 LMSW). Both exit as CR accesses; the
 * trace shows CLTS (qualification 0x20) and LMSW from a register (source data
 * in bits 31:16, operand type 0) and from memory (operand type 1, bit 6).
 */
#include "cpu.h"

EXPECT("stop done");
EXPECT("asserts 5");
/*
 * The MOV setting TS, CLTS and the two LMSWs. The MOV restoring CR0 takes no
 * exit: it writes what the read shadow already holds (SDM 26.1.3).
 */
EXPECT("exit CR_ACCESS 4");
EXPECT("trace 0 CR_ACCESS 0x20");
EXPECT("trace 1 CR_ACCESS 0xb0030");
EXPECT("trace 2 CR_ACCESS 0x20070");
EXPECT("field traced=3");


int main(void)
{
	uint64_t cr0 = read_cr0();
	write_cr0(cr0 | CR0_TS);
	vmcall4(VEXIT_HC_TRACE, 1, 0, 0, 0);
	__asm__ volatile("clts" : : : "memory");
	uint64_t after_clts = read_cr0();
	/* LMSW from AX = 0xB: PE, MP and TS set, EM clear. */
	__asm__ volatile("lmsw %w0" : : "r"((uint16_t)0xb) : "memory");
	uint64_t after_lmsw = read_cr0();
	/* LMSW from memory = 0x2: MP only, which would clear PE: PE stays. */
	static uint16_t msw = 0x2;
	__asm__ volatile("lmsw %0" : : "m"(msw) : "memory");
	uint64_t after_lmsw_mem = read_cr0();
	vmcall4(VEXIT_HC_TRACE, 0, 0, 0, 0);
	write_cr0(cr0);

	report_eq(after_clts & CR0_TS, 0, "CLTS clears CR0.TS");
	report_eq(after_lmsw & (CR0_PE | CR0_MP | CR0_EM | CR0_TS), CR0_PE | CR0_MP | CR0_TS, "LMSW 0xB sets PE, MP, TS");
	report_eq(after_lmsw_mem & (CR0_PE | CR0_MP | CR0_EM | CR0_TS), CR0_PE | CR0_MP,
		  "LMSW from memory cannot clear PE, and clears TS");
	report_eq(after_lmsw_mem & ~0xfull, cr0 & ~0xfull, "LMSW leaves CR0 bits above 3 alone");
	report_eq(read_cr0(), cr0, "CR0 is restored");
	return 0;
}
