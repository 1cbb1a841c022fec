/*
 * cr4_shadow: CR4.VMXE is the hypervisor's and hidden: the guest reads CR4 as
 * it wrote it, and setting VMXE raises #GP as on a CPU without VMX. Bits the
 * guest may not own (reserved, PCIDE) raise #GP; clearing PAE in IA-32e
 * mode raises #GP; PGE (and OSXSAVE on a CPU with XSAVE) toggle and read back.
 */
#include "cpu.h"
#include "fault.h"

EXPECT("stop done");
EXPECT("asserts 8");
/* 4 refused writes, the one setting PGE and OSXSAVE, the one restoring CR4. */
EXPECT("exit CR_ACCESS 6");
/* 8 report lines, the exit-port OUT; CPUID (XSAVE?) is no I/O. */
EXPECT("exit IO_INSTRUCTION 9");
EXPECT("exit CPUID 1");

#define CR4_PCIDE (1ull << 17)

int main(void)
{
	fault_init();
	uint64_t cr4 = read_cr4();
	report_eq(cr4, CR4_PAE, "the guest reads CR4 = PAE only: VMXE is hidden");
	report_eq(try_write_cr4(cr4 | CR4_VMXE), 13, "setting CR4.VMXE raises #GP");
	report_eq(try_write_cr4(cr4 | (1ull << 31)), 13, "a reserved CR4 bit raises #GP");
	report_eq(try_write_cr4(cr4 | CR4_PCIDE), 13, "CR4.PCIDE (no PCIDs offered) raises #GP");
	report_eq(try_write_cr4(cr4 & ~CR4_PAE), 13, "clearing PAE in IA-32e mode raises #GP");
	/* OSXSAVE exists only with XSAVE (not on every Bochs CPU model); PGE always does. */
	uint64_t more = CR4_PGE | (cpu_has_xsave() ? CR4_OSXSAVE : 0);
	report_eq(try_write_cr4(cr4 | more), FAULT_NONE, "PGE (and OSXSAVE where the CPU has XSAVE) can be set");
	report_eq(read_cr4(), cr4 | more, "CR4 reads back what was set, still no VMXE");
	write_cr4(cr4);
	report_eq(read_cr4(), cr4, "CR4 is back to PAE only");
	return 0;
}
