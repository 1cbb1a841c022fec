/*
 * neg_inject_if_clear: an external interrupt injected with RFLAGS.IF 0. The SDM puts
 * the check with RIP and RFLAGS (27.3.1.4), and vexit names guest_rflags_if_for_injection
 * [guest-rip]; Bochs 2.7 logs it with the interruptibility checks ("VMCS guest interrupts
 * blocked when injecting external interrupt", [guest-nonreg]). Both refuse the entry with
 * reason 33; the guest expects Bochs's family (docs/debugging.md, "Where Bochs and the
 * SDM differ").
 */
#include "vexit_break.h"

VEXIT_BREAK("inject-without-if");
EXPECT("stop entry-failed");
EXPECT("field reason=ENTRY_FAIL_GUEST_STATE");
EXPECT("entry-rule guest_rflags_if_for_injection bochs=guest-nonreg");
EXPECT("asserts 0");

int main(void)
{
	/* Never runs: the entry into this guest must fail. */
	return 1;
}
