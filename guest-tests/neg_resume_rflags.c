/*
 * neg_resume_rflags: a running guest asks for RFLAGS bit 1 to be cleared
 * before its next VMRESUME (VEXIT_HC_BREAK_STATE), so the failure comes after
 * real exits and the exit history shows the path into it (SDM 27.3.1.4). Its
 * second VERSION is answered by the exit stub itself (hw/vmx_entry.h, where the
 * CPU saves the preemption timer): the history shows it as any other exit.
 */
#include "vexit_break.h"

EXPECT("stop entry-failed");
EXPECT("field reason=ENTRY_FAIL_GUEST_STATE");
EXPECT("entry-rule guest_rflags_reserved");
EXPECT(VEXIT_FAILED_ENTRY_COST);
EXPECT("exit VMCALL 3");
EXPECT("asserts 1");
EXPECT("history 0 VMCALL -");
EXPECT("history 2 VMCALL -");
EXPECT("history 3 VMCALL -");
EXPECT("history 4 ENTRY_FAIL_GUEST_STATE 0x0");

int main(void)
{
	report(vmcall0(VEXIT_HC_VERSION) == VEXIT_ABI_VERSION, "the hypercall ABI answers before the breakage");
	(void)vmcall0(VEXIT_HC_VERSION);
	break_state("rflags-bit1-clear");
	guest_printf("FAIL the entry after the breakage succeeded");
	return 1;
}
