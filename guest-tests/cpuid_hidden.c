/*
 * cpuid_hidden: CPUID offers an instruction only where vexit's VMX controls let it
 * run (SDM 26.3): RDTSCP and RDPID follow "enable RDTSCP" (set where the CPU allows
 * it), XSAVES is hidden (no "enable XSAVES/XRSTORS"), TPAUSE/UMWAIT are hidden (no
 * "enable user wait and pause"). And what CPUID says is what the CPU does: RDTSCP
 * runs where it is offered and raises #UD where it is not.
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
	bool rdtscp = r[3] & (1u << 27);
	int f = FAULT_TRY("rdtscp", : : : "rax", "rdx", "rcx", "memory");
	report(rdtscp ? f == FAULT_NONE : f == 6, "RDTSCP runs exactly where CPUID.80000001H:EDX.RDTSCP offers it");
	/* Leaves above the maximum return other leaves' data: look only where they exist. */
	if (max[0] >= 7)
		cpuid(7, 0, r);
	else
		r[2] = 0;
	report_eq(r[2] & (1u << 5), 0, "CPUID.7:ECX.WAITPKG is hidden");
	report(!(r[2] & (1u << 22)) || rdtscp, "CPUID.7:ECX.RDPID only with RDTSCP (both need \"enable RDTSCP\")");
	if (max[0] >= 0xd)
		cpuid(0xd, 1, r);
	else
		r[0] = 0;
	report_eq(r[0] & (1u << 3), 0, "CPUID.(0DH,1):EAX.XSAVES is hidden");
	return 0;
}
