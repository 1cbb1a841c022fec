/*
 * msr_synthetic: the hypervisor's own MSRs at 0x40000000: an ID, a scratch
 * register that holds any 64-bit value, and a read-only count of this VM's
 * exits that includes the RDMSR reading it.
 */
#include "cpu.h"
#include "fault.h"

EXPECT("stop done");
EXPECT("asserts 5");
EXPECT("exit RDMSR 5");
EXPECT("exit WRMSR 3");

int main(void)
{
	fault_init();
	report_eq(rdmsr(VEXIT_MSR_ID), VEXIT_MSR_ID_VALUE, "0x40000000 reads the vexit ID");
	wrmsr(VEXIT_MSR_SCRATCH, 0xfedcba9876543210ull);
	report_eq(rdmsr(VEXIT_MSR_SCRATCH), 0xfedcba9876543210ull, "the scratch MSR holds a full 64-bit value");
	wrmsr(VEXIT_MSR_SCRATCH, 0);
	report_eq(rdmsr(VEXIT_MSR_SCRATCH), 0, "and can be cleared");
	/* Two back-to-back reads: the second sees exactly one more exit, its own. */
	uint64_t a = rdmsr(VEXIT_MSR_EXITS), b = rdmsr(VEXIT_MSR_EXITS);
	report_eq(b - a, 1, "the exit-count MSR counts the RDMSR reading it");
	report_eq(try_wrmsr(VEXIT_MSR_EXITS, 0), 13, "the exit-count MSR is read-only");
	return 0;
}
