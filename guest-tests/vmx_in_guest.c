/*
 * vmx_in_guest: a vexit guest has no nested VMX, so every VMX instruction it
 * tries exits and gets #UD injected, as on a CPU without VMX (CPUID hides it).
 */
#include "cpu.h"
#include "fault.h"

EXPECT("stop done");
EXPECT("asserts 7");
EXPECT("exit VMXON 1");
EXPECT("exit VMCLEAR 1");
EXPECT("exit VMPTRLD 1");
EXPECT("exit VMREAD 1");
EXPECT("exit VMWRITE 1");
EXPECT("exit VMLAUNCH 1");
EXPECT("exit INVEPT 1");

static uint64_t region = 0x1000;
static struct { uint64_t eptp, reserved; } desc;

int main(void)
{
	fault_init();
	uint64_t v = 0;
	report_eq(FAULT_TRY("vmxon %0", : : "m"(region) : "memory"), 6, "VMXON raises #UD");
	report_eq(FAULT_TRY("vmclear %0", : : "m"(region) : "memory"), 6, "VMCLEAR raises #UD");
	report_eq(FAULT_TRY("vmptrld %0", : : "m"(region) : "memory"), 6, "VMPTRLD raises #UD");
	report_eq(FAULT_TRY("vmread %1, %0", : "=r"(v) : "r"(0x4402ull) : "memory"), 6, "VMREAD raises #UD");
	report_eq(FAULT_TRY("vmwrite %0, %1", : : "r"(v), "r"(0x4402ull) : "memory"), 6, "VMWRITE raises #UD");
	report_eq(FAULT_TRY("vmlaunch", : : : "memory"), 6, "VMLAUNCH raises #UD");
	report_eq(FAULT_TRY("invept %0, %1", : : "m"(desc), "r"(1ull) : "memory"), 6, "INVEPT raises #UD");
	return 0;
}
