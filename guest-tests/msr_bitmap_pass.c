/*
 * msr_bitmap_pass: the MSR bitmap decides what traps. With FS_BASE passed
 * through for writes, 1000 WRMSRs cost no exit and the value lands (FS-relative
 * loads see it); the synthetic scratch MSR stays intercepted, so 1000 WRMSRs to
 * it cost 1000 exits. Only MSRs the VMCS switches may be passed (not EFER).
 */
#include "cpu.h"

EXPECT("stop done");
EXPECT("asserts 5");
/* 1000 intercepted writes; the FS_BASE read and the 1000 passed writes take none until it is intercepted again. */
EXPECT("exit WRMSR 1001");
EXPECT("exit RDMSR 1");


static uint64_t probe = 0x5a5a5a5a;

int main(void)
{
	report_eq(vmcall4(VEXIT_HC_MSR_BITMAP, MSR_IA32_FS_BASE, VEXIT_MSR_READ | VEXIT_MSR_WRITE, 0, 0), 0,
		  "FS_BASE is passed through");
	uint64_t before = exits_of(REASON_WRMSR);
	for (uint64_t i = 0; i < 1000; i++)
		wrmsr(MSR_IA32_FS_BASE, i);
	uint64_t passed = exits_of(REASON_WRMSR) - before;
	wrmsr(MSR_IA32_FS_BASE, (uint64_t)(uintptr_t)&probe);
	uint64_t via_fs;
	__asm__ volatile("mov %%fs:0, %0" : "=r"(via_fs));

	before = exits_of(REASON_WRMSR);
	for (uint64_t i = 0; i < 1000; i++)
		wrmsr(VEXIT_MSR_SCRATCH, i);
	uint64_t trapped = exits_of(REASON_WRMSR) - before;

	report_eq(passed, 0, "1000 WRMSRs to a passed-through MSR take no exit");
	report_eq(via_fs, 0x5a5a5a5a, "the passed-through FS_BASE write took effect");
	report_eq(trapped, 1000, "1000 WRMSRs to an intercepted MSR take 1000 exits");
	report_eq(vmcall4(VEXIT_HC_MSR_BITMAP, MSR_IA32_EFER, VEXIT_MSR_WRITE, 0, 0), VEXIT_HC_EPERM,
		  "EFER cannot be passed through");
	/* Intercepted again: the write exits and the emulated read sees the hardware's value. */
	vmcall4(VEXIT_HC_MSR_BITMAP, MSR_IA32_FS_BASE, VEXIT_MSR_READ | VEXIT_MSR_WRITE, 1, 0);
	wrmsr(MSR_IA32_FS_BASE, 0);
	(void)rdmsr(MSR_IA32_FS_BASE);
	return 0;
}
