/*
 * neg_resume_rflags: a running guest asks for RFLAGS bit 1 to be cleared
 * before its next VMRESUME (VEXIT_HC_BREAK_STATE), so the failure comes after
 * real exits and the exit history shows the path into it (SDM 27.3.1.4).
 */
#include "vexit_break.h"

EXPECT("stop entry-failed");
EXPECT("field reason=ENTRY_FAIL_GUEST_STATE");
EXPECT("entry-rule guest_rflags_reserved");
EXPECT(VEXIT_FAILED_ENTRY_COST);
EXPECT("exit VMCALL 2");
EXPECT("asserts 1");

int main(void)
{
	report(vmcall0(VEXIT_HC_VERSION) == VEXIT_ABI_VERSION, "the hypercall ABI answers before the breakage");
	break_state("rflags-bit1-clear");
	guest_printf("FAIL the entry after the breakage succeeded");
	return 1;
}
