/*
 * hostile_vmx_all: every VMX instruction, with operands that would mean
 * something to a VMX-enabled CPU: VMXON, VMXOFF, VMCLEAR, VMPTRLD, VMPTRST,
 * VMREAD, VMWRITE, VMLAUNCH, VMRESUME, INVEPT, INVVPID. Each exits and gets #UD
 * (no nested VMX); VMFUNC, whose control vexit leaves off, raises #UD without an
 * exit (SDM 26.1.2... 26.5.6: VMFUNC is #UD unless "enable VM functions" is 1).
 */
#include "cpu.h"
#include "fault.h"

EXPECT("stop done");
EXPECT("asserts 12");
EXPECT("exit VMXON 1");
EXPECT("exit VMXOFF 1");
EXPECT("exit VMCLEAR 1");
EXPECT("exit VMPTRLD 1");
EXPECT("exit VMPTRST 1");
EXPECT("exit VMREAD 1");
EXPECT("exit VMWRITE 1");
EXPECT("exit VMLAUNCH 1");
EXPECT("exit VMRESUME 1");
EXPECT("exit INVEPT 1");
EXPECT("exit INVVPID 1");

static uint64_t region = 0x1000; /* the guest's own PML4 page: a VMCS there would be a disaster */
static uint64_t stored;
static struct { uint64_t a, b; } desc = { 0, 0x1000 };

int main(void)
{
	fault_init();
	uint64_t v = 0;
	report_eq(FAULT_TRY("vmxon %0", : : "m"(region) : "memory"), 6, "VMXON: #UD");
	report_eq(FAULT_TRY("vmxoff", : : : "memory"), 6, "VMXOFF: #UD");
	report_eq(FAULT_TRY("vmclear %0", : : "m"(region) : "memory"), 6, "VMCLEAR: #UD");
	report_eq(FAULT_TRY("vmptrld %0", : : "m"(region) : "memory"), 6, "VMPTRLD: #UD");
	report_eq(FAULT_TRY("vmptrst %0", : "=m"(stored) : : "memory"), 6, "VMPTRST: #UD");
	report_eq(FAULT_TRY("vmread %1, %0", : "=r"(v) : "r"(0x6c00ull) : "memory"), 6, "VMREAD of HOST_CR0: #UD");
	report_eq(FAULT_TRY("vmwrite %0, %1", : : "r"(0ull), "r"(0x6c16ull) : "memory"), 6, "VMWRITE of HOST_RIP: #UD");
	report_eq(FAULT_TRY("vmlaunch", : : : "memory"), 6, "VMLAUNCH: #UD");
	report_eq(FAULT_TRY("vmresume", : : : "memory"), 6, "VMRESUME: #UD");
	report_eq(FAULT_TRY("invept %0, %1", : : "m"(desc), "r"(2ull) : "memory"), 6, "INVEPT (all contexts): #UD");
	report_eq(FAULT_TRY("invvpid %0, %1", : : "m"(desc), "r"(2ull) : "memory"), 6, "INVVPID (all contexts): #UD");
	report_eq(FAULT_TRY("vmfunc", : : "a"(0), "c"(0) : "memory"), 6, "VMFUNC (EPTP switching): #UD, no exit");
	return 0;
}
