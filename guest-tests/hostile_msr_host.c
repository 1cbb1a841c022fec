/*
 * hostile_msr_host: RDMSR and WRMSR of the MSRs whose host value matters most:
 * feature control (VMX lock), the VMX capability MSRs, SMM monitor control,
 * microcode update trigger, speculation controls, debug control, the MTRRs, the
 * performance counters' global control, P-state control, machine-check global
 * control. Each raises #GP in the guest, and no host MSR is written (the run's
 * later guests prove VMX still works: any of these written on the host would
 * end it). The TSC and MISC_ENABLE are virtual MSRs now (tsc_msr, msr_misc_enable).
 */
#include "cpu.h"
#include "fault.h"

EXPECT("stop done");
EXPECT("asserts 26");
EXPECT("exit RDMSR 13");
EXPECT("exit WRMSR 13");

static const uint32_t host_msrs[] = {
	0x3a,  /* IA32_FEATURE_CONTROL */
	0x480, /* IA32_VMX_BASIC */
	0x48b, /* IA32_VMX_PROCBASED_CTLS2 */
	0x491, /* IA32_VMX_VMFUNC */
	0x9b,  /* IA32_SMM_MONITOR_CTL */
	0x79,  /* IA32_BIOS_UPDT_TRIG */
	0x48,  /* IA32_SPEC_CTRL */
	0x1d9, /* IA32_DEBUGCTL */
	0x199, /* IA32_PERF_CTL */
	0x2ff, /* IA32_MTRR_DEF_TYPE */
	0x200, /* IA32_MTRR_PHYSBASE0 */
	0x38f, /* IA32_PERF_GLOBAL_CTRL */
	0x17b, /* IA32_MCG_CTL (MCG_CAP.MCG_CTL_P is clear here) */
};

int main(void)
{
	fault_init();
	for (unsigned i = 0; i < sizeof(host_msrs) / sizeof(host_msrs[0]); i++) {
		uint64_t v = 0x5ec0de;
		report_eq(try_rdmsr(host_msrs[i], &v), 13, "RDMSR of a host MSR raises #GP");
		report_eq(try_wrmsr(host_msrs[i], ~0ull), 13, "WRMSR of a host MSR raises #GP");
	}
	return 0;
}
