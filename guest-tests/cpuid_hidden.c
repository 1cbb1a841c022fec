/*
 * cpuid_hidden: CPUID does not offer what the VMX controls vexit uses turn into
 * #UD (SDM 26.3): RDTSCP and RDPID (no "enable RDTSCP"), XSAVES (no "enable
 * XSAVES/XRSTORS"), TPAUSE/UMWAIT (no "enable user wait and pause"). And the
 * hidden RDTSCP really does raise #UD, so a guest that trusts CPUID is right.
 */
#include "cpu.h"
#include "fault.h"

EXPECT("stop done");
EXPECT("asserts 4");

int main(void)
{
	fault_init();
	uint32_t r[4], max[4];
	cpuid(0, 0, max);
	cpuid(0x80000001u, 0, r);
	report_eq(r[3] & (1u << 27), 0, "CPUID.80000001H:EDX.RDTSCP is hidden");
	/* Leaves above the maximum return other leaves' data: look only where they exist. */
	if (max[0] >= 7)
		cpuid(7, 0, r);
	else
		r[2] = 0;
	report_eq(r[2] & ((1u << 22) | (1u << 5)), 0, "CPUID.7:ECX.RDPID and WAITPKG are hidden");
	if (max[0] >= 0xd)
		cpuid(0xd, 1, r);
	else
		r[0] = 0;
	report_eq(r[0] & (1u << 3), 0, "CPUID.(0DH,1):EAX.XSAVES is hidden");
	report_eq(FAULT_TRY("rdtscp", : : : "rax", "rdx", "rcx", "memory"), 6, "RDTSCP raises #UD, as CPUID says");
	return 0;
}
