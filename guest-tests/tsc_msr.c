/*
 * tsc_msr: the guest's TSC is the host's plus the VM's TSC offset (docs/guest-abi.md).
 * RDTSC, RDMSR of IA32_TSC and RDTSCP read one clock; WRMSR to IA32_TSC moves it and
 * moves IA32_TSC_ADJUST by as much, and WRMSR to IA32_TSC_ADJUST moves the TSC (SDM
 * Vol. 3B 18.17.3); RDTSCP and RDPID return TSC_AUX where CPUID offers them, and #UD
 * where it does not. No exit is taken by RDTSC, and the host's TSC is never written:
 * the hypervisor's own tick counts (guest-end ticks=) stay sane.
 */
#include "cpu.h"
#include "fault.h"

EXPECT("stop done");
EXPECT("asserts 11");
EXPECT("exit RDTSC 0");

#define BIG 100000000000ull /* 10^11: far above any count a run reaches */
#define NEAR 1000000ull     /* more ticks than any few instructions here take */

int main(void)
{
	fault_init();
	uint64_t t0 = read_tsc();
	uint64_t m = rdmsr(MSR_IA32_TSC);
	uint64_t t1 = read_tsc();
	report(t0 < t1 && t0 <= m && m <= t1, "RDTSC, RDMSR(IA32_TSC), RDTSC read one rising clock");
	report(t1 < NEAR, "the TSC counted from 0 when the VM was made");

	bool adjust = cpu_has_tsc_adjust();
	uint64_t adj0 = 0, v;
	report(try_rdmsr(MSR_IA32_TSC_ADJUST, &adj0) == (adjust ? FAULT_NONE : 13),
	       "IA32_TSC_ADJUST is there exactly when CPUID.7:EBX.TSC_ADJUST says");
	if (!adjust)
		adj0 = 0;
	report_eq(adj0, 0, "IA32_TSC_ADJUST starts at 0");

	uint64_t before = read_tsc();
	wrmsr(MSR_IA32_TSC, BIG);
	uint64_t after = read_tsc();
	report(after >= BIG && after < BIG + NEAR, "WRMSR(IA32_TSC, 10^11): RDTSC reads on from 10^11");
	/* The TSC was somewhere in [before, after - BIG] when the write moved it to BIG. */
	uint64_t adj1 = adjust ? rdmsr(MSR_IA32_TSC_ADJUST) : BIG - before;
	report(adj1 <= BIG - before && adj1 >= BIG - before - NEAR, "IA32_TSC_ADJUST moved as much as the TSC did");

	if (adjust) {
		wrmsr(MSR_IA32_TSC_ADJUST, adj1 + 5 * BIG);
		v = read_tsc();
	} else {
		v = 6 * BIG; /* nothing to check: the same count of assertions */
	}
	report(v >= 6 * BIG && v < 6 * BIG + NEAR, "WRMSR(IA32_TSC_ADJUST, +5*10^11) moves the TSC by as much");
	wrmsr(MSR_IA32_TSC, 0);
	v = read_tsc();
	report(v < NEAR, "the TSC can be written back to 0");

	uint32_t r[4];
	cpuid(0x80000001u, 0, r);
	bool has_rdtscp = r[3] & (1u << 27);
	wrmsr(MSR_IA32_TSC_AUX, 0x5ec0de);
	uint32_t lo = 0, hi = 0, aux = 0;
	int f = FAULT_TRY("rdtscp", : "=a"(lo), "=d"(hi), "=c"(aux) : : "memory");
	uint64_t tp = (uint64_t)hi << 32 | lo;
	report(has_rdtscp ? f == FAULT_NONE && aux == 0x5ec0de && tp < NEAR : f == 6,
	       "RDTSCP returns the TSC and TSC_AUX where CPUID offers it, else #UD");
	cpuid(0, 0, r);
	bool has_rdpid = false;
	if (r[0] >= 7) {
		cpuid(7, 0, r);
		has_rdpid = r[2] & (1u << 22);
	}
	uint64_t pid = 0;
	f = FAULT_TRY("rdpid %0", : "=r"(pid) : : "memory");
	report(has_rdpid ? f == FAULT_NONE && pid == 0x5ec0de : f == 6,
	       "RDPID returns TSC_AUX where CPUID offers it, else #UD");
	report_eq(exits_of(16), 0, "RDTSC took no exit");
	return 0;
}
