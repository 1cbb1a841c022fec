/*
 * msr_misc_enable: IA32_MISC_ENABLE, IA32_MCG_CAP and IA32_MCG_STATUS as a kernel
 * expects them (SDM Vol. 4 table 2-2; Vol. 3B 16.3.1), and what MISC_ENABLE's bits do
 * to CPUID and to the instructions they govern: bit 18 makes MONITOR/MWAIT appear (and
 * work, as instructions that return at once), bit 22 limits CPUID's maximum basic leaf
 * to 2, bit 34 hides NX and makes EFER.NXE reserved. Reserved bits #GP; the read-only
 * ones ignore writes. No machine-check bank exists, so none of the bank MSRs does.
 */
#include "cpu.h"
#include "fault.h"

EXPECT("stop done");
EXPECT("asserts 13");

#define POWER_ON 0x1801ull /* fast strings; BTS and PEBS unavailable */

static volatile uint64_t line[8] __attribute__((aligned(64)));

static uint32_t cpuid_reg(uint32_t leaf, unsigned reg)
{
	uint32_t r[4];
	cpuid(leaf, 0, r);
	return r[reg];
}

int main(void)
{
	fault_init();
	report_eq(rdmsr(MSR_IA32_MISC_ENABLE), POWER_ON, "MISC_ENABLE at power-on: fast strings, no BTS, no PEBS");
	/* kvm-unit-tests' msr test writes 0x400c50809 with the read-only bits kept. */
	uint64_t v = (0x400c50809ull & ~0x1880ull) | (POWER_ON & 0x1880ull);
	bool nx = cpuid_reg(0x80000001u, 3) & (1u << 20);
	if (!nx)
		v &= ~MISC_ENABLE_XD_DISABLE; /* reserved without NX */
	wrmsr(MSR_IA32_MISC_ENABLE, v);
	report_eq(rdmsr(MSR_IA32_MISC_ENABLE), v, "MISC_ENABLE keeps its R/W bits");
	report(cpuid_reg(0, 0) == 2 && cpuid_reg(7, 1) == cpuid_reg(2, 1),
	       "limit CPUID maxval: leaf 0 says 2, leaf 7 answers as leaf 2");
	report((cpuid_reg(1, 2) & (1u << 3)) && FAULT_TRY("monitor", : : "a"(line), "c"(0), "d"(0) : "memory") == FAULT_NONE &&
		       FAULT_TRY("mwait", : : "a"(0), "c"(0) : "memory") == FAULT_NONE,
	       "ENABLE MONITOR FSM: CPUID shows MONITOR, and MONITOR and MWAIT run");
	report(!(cpuid_reg(0x80000001u, 3) & (1u << 20)) &&
		       try_wrmsr(MSR_IA32_EFER, rdmsr(MSR_IA32_EFER) | EFER_NXE) == 13,
	       "XD bit disable: CPUID hides NX and EFER.NXE raises #GP");

	wrmsr(MSR_IA32_MISC_ENABLE, POWER_ON);
	report(cpuid_reg(0, 0) > 2 && !(cpuid_reg(1, 2) & (1u << 3)) &&
		       FAULT_TRY("mwait", : : "a"(0), "c"(0) : "memory") == 6,
	       "cleared again: the leaves are back, MONITOR hidden and MWAIT #UD");
	report(try_wrmsr(MSR_IA32_EFER, rdmsr(MSR_IA32_EFER) | EFER_NXE) == (nx ? FAULT_NONE : 13),
	       "EFER.NXE as NX allows again");
	report_eq(try_wrmsr(MSR_IA32_MISC_ENABLE, POWER_ON | (1ull << 2)), 13, "MISC_ENABLE bit 2 (reserved): #GP");
	report_eq(try_wrmsr(MSR_IA32_MISC_ENABLE, POWER_ON | (1ull << 35)), 13, "MISC_ENABLE bit 35 (reserved): #GP");
	wrmsr(MSR_IA32_MISC_ENABLE, MISC_ENABLE_PERFMON);
	report_eq(rdmsr(MSR_IA32_MISC_ENABLE), POWER_ON & ~MISC_ENABLE_FAST_STRINGS,
		  "the read-only bits 7, 11 and 12 ignore a write");

	report_eq(rdmsr(MSR_IA32_MCG_CAP), 0, "MCG_CAP: no bank, no MCG_CTL");
	wrmsr(MSR_IA32_MCG_STATUS, MCG_STATUS_RIPV | MCG_STATUS_MCIP);
	report(rdmsr(MSR_IA32_MCG_STATUS) == (MCG_STATUS_RIPV | MCG_STATUS_MCIP) &&
		       try_wrmsr(MSR_IA32_MCG_STATUS, 1ull << 3) == 13,
	       "MCG_STATUS keeps RIPV, EIPV, MCIP; bit 3 (no LMCE) raises #GP");
	uint64_t ignored;
	report(try_rdmsr(MSR_IA32_MCG_CTL, &ignored) == 13 && try_rdmsr(0x400, &ignored) == 13 &&
		       try_wrmsr(0x401, 0) == 13 && try_rdmsr(0x47f, &ignored) == 13,
	       "MCG_CTL and the bank MSRs (MC0_CTL... MC31_MISC) raise #GP");
	return 0;
}
