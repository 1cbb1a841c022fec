/*
 * msr_virtual: the MSRs the hypervisor emulates read back what the guest wrote
 * (PAT, TSC_AUX, SYSENTER_CS/ESP/EIP, APIC base enable, EFER.NXE/SCE), and
 * start at their power-on values. None of these writes reaches the host MSR.
 */
#include "cpu.h"

EXPECT("stop done");
EXPECT("asserts 9");
EXPECT("exit RDMSR 11");
EXPECT("exit WRMSR 7");


int main(void)
{
	report_eq(rdmsr(MSR_IA32_PAT), 0x0007040600070406ull, "PAT starts at its power-on value");
	report_eq(rdmsr(MSR_IA32_APIC_BASE), 0xfee00900ull, "APIC base: 0xFEE00000, enabled, BSP");
	report_eq(rdmsr(MSR_IA32_EFER), 0x500, "EFER starts with LME and LMA");

	wrmsr(MSR_IA32_PAT, 0x0606060606060606ull);
	report_eq(rdmsr(MSR_IA32_PAT), 0x0606060606060606ull, "PAT reads back all write-back");
	wrmsr(MSR_IA32_TSC_AUX, 0x1234);
	report_eq(rdmsr(MSR_IA32_TSC_AUX), 0x1234, "TSC_AUX reads back");
	wrmsr(MSR_IA32_SYSENTER_CS, 0x10);
	wrmsr(MSR_IA32_SYSENTER_ESP, 0xffff800000001000ull);
	wrmsr(MSR_IA32_SYSENTER_EIP, 0x10000);
	report(rdmsr(MSR_IA32_SYSENTER_CS) == 0x10 && rdmsr(MSR_IA32_SYSENTER_ESP) == 0xffff800000001000ull &&
		       rdmsr(MSR_IA32_SYSENTER_EIP) == 0x10000,
	       "SYSENTER CS, ESP and EIP read back (kept in the VMCS)");
	wrmsr(MSR_IA32_APIC_BASE, 0xfee00000ull);
	report_eq(rdmsr(MSR_IA32_APIC_BASE), 0xfee00100ull, "the APIC can be disabled; BSP is read-only");
	wrmsr(MSR_IA32_EFER, 0x501);
	report_eq(rdmsr(MSR_IA32_EFER), 0x501, "EFER.SCE sets");
	report_eq(rdmsr(VEXIT_MSR_ID), VEXIT_MSR_ID_VALUE, "the synthetic ID MSR reads vexit");
	return 0;
}
