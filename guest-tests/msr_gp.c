/*
 * msr_gp: what the virtual MSR table refuses gets #GP(0), with RIP at the
 * instruction and nothing written: an unknown MSR (read and write), a reserved
 * EFER bit, clearing EFER.LME with paging on, a PAT entry naming no memory
 * type, a non-canonical SYSENTER_EIP, KERNEL_GS_BASE, LSTAR or CSTAR (the
 * kvm-unit-tests msr test's cases), FMASK bits 63:32, TSC_AUX bits 63:32, the
 * read-only synthetic ID MSR, and MSRs past the bitmap's ranges (0x2000,
 * 0xC0002000).
 */
#include "cpu.h"
#include "fault.h"

EXPECT("stop done");
EXPECT("asserts 16");
/* Reads: 0x10000 (unknown), 0x2000, 0xC0002000, PAT and LSTAR after the refused writes. */
EXPECT("exit RDMSR 5");
/* Writes: the 11 refused ones in the list below. */
EXPECT("exit WRMSR 11");


int main(void)
{
	fault_init();
	uint64_t v;
	report_eq(try_rdmsr(0x10000, &v), 13, "RDMSR of an unknown MSR raises #GP");
	report_eq(try_rdmsr(0x2000, &v), 13, "RDMSR of 0x2000, past the low bitmap range, raises #GP");
	report_eq(try_rdmsr(0xc0002000u, &v), 13, "RDMSR of 0xC0002000, past the high bitmap range, raises #GP");
	report_eq(try_wrmsr(0x10000, 1), 13, "WRMSR of an unknown MSR raises #GP");
	report_eq(try_wrmsr(MSR_IA32_EFER, 0x500 | (1ull << 2)), 13, "a reserved EFER bit raises #GP");
	report_eq(try_wrmsr(MSR_IA32_EFER, 0x400), 13, "clearing EFER.LME with paging on raises #GP");
	report_eq(try_wrmsr(MSR_IA32_PAT, 0x0007040600070402ull), 13, "PAT type 2 raises #GP");
	report_eq(try_wrmsr(MSR_IA32_SYSENTER_EIP, 0x0000800000000000ull), 13, "a non-canonical SYSENTER_EIP raises #GP");
	report_eq(try_wrmsr(MSR_IA32_KERNEL_GS_BASE, 0x0000800000000000ull), 13,
		  "a non-canonical KERNEL_GS_BASE raises #GP");
	report_eq(try_wrmsr(MSR_IA32_LSTAR, 0xffff7fffffffffffull), 13, "a non-canonical LSTAR raises #GP");
	report_eq(try_wrmsr(MSR_IA32_CSTAR, 0x8000000000000000ull), 13, "a non-canonical CSTAR raises #GP");
	report_eq(try_wrmsr(MSR_IA32_FMASK, 1ull << 32), 13, "FMASK bit 32 raises #GP");
	report_eq(try_wrmsr(MSR_IA32_TSC_AUX, 1ull << 32), 13, "TSC_AUX bit 32 raises #GP");
	report_eq(try_wrmsr(VEXIT_MSR_ID, 0), 13, "the synthetic ID MSR is read-only");
	try_rdmsr(MSR_IA32_PAT, &v);
	report_eq(v, 0x0007040600070406ull, "PAT kept its value through the refused write");
	try_rdmsr(MSR_IA32_LSTAR, &v);
	report_eq(v, 0, "LSTAR kept its value through the refused write");
	return 0;
}
