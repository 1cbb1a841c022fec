/*
 * hostile_mwait: MONITOR and MWAIT, which CPUID hides (docs/guest-abi.md).
 * Without MONITOR/MWAIT exiting they would run natively, and an MWAIT would let
 * the guest park the physical CPU; vexit makes both exit and injects #UD, as on
 * a CPU without them (a hypervisor fix this test found: they used to run).
 */
#include "cpu.h"
#include "fault.h"

EXPECT("stop done");
EXPECT("asserts 2");
EXPECT("exit MONITOR 1");
EXPECT("exit MWAIT 1");

static volatile uint64_t line[8] __attribute__((aligned(64)));

int main(void)
{
	fault_init();
	report_eq(FAULT_TRY("monitor", : : "a"(line), "c"(0), "d"(0) : "memory"), 6, "MONITOR: #UD");
	report_eq(FAULT_TRY("mwait", : : "a"(0), "c"(0) : "memory"), 6, "MWAIT: #UD");
	return 0;
}
