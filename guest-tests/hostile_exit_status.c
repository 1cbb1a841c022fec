/*
 * hostile_exit_status: the exit hypercall with a status of 2^64-1. The
 * hypervisor reports the status as a 32-bit value (docs/guest-abi.md), so the
 * harness sees 4294967295, the VM ends as done, and the next guest runs.
 */
#include "vexit_guest.h"

EXPECT("stop done");
EXPECT("status 4294967295");
EXPECT("exit VMCALL 1");
EXPECT("exit IO_INSTRUCTION 0");

int main(void)
{
	vmcall4(VEXIT_HC_EXIT, ~0ull, 0, 0, 0);
	return 1;
}
