/*
 * event_injection: a fault the hypervisor injects arrives as the hardware
 * would deliver it (SDM 27.6): the right vector, an error code only where the
 * exception has one (#GP: 0; #UD: none, so the frame is not shifted), RIP at
 * the faulting instruction (not past it), and the guest's registers intact.
 */
#include "cpu.h"
#include "fault.h"

EXPECT("stop done");
EXPECT("asserts 5");
EXPECT("exit WRMSR 1");
EXPECT("exit VMXOFF 1");

int main(void)
{
	fault_init();
	uint64_t at, rbx = 0x1234567890abcdefull;
	int v = FAULT_TRY("lea 2f(%%rip), %0\n2: wrmsr", : "=&r"(at), "+b"(rbx) : "c"(0x10000u), "a"(0), "d"(0)
			  : "memory");
	report_eq(v, 13, "WRMSR of an unknown MSR arrives as vector 13");
	report_eq(fault_rip, at, "the #GP frame's RIP is the WRMSR itself");
	report_eq(rbx, 0x1234567890abcdefull, "registers survive the injected fault");
	fault_error = 0xbad;
	v = FAULT_TRY("lea 2f(%%rip), %0\n2: vmxoff", : "=&r"(at) : : "memory");
	report_eq(v, 6, "VMXOFF arrives as vector 6");
	report_eq(fault_rip, at, "#UD pushes no error code: the frame's RIP is still the faulting instruction");
	return 0;
}
