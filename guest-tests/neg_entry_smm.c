/*
 * neg_entry_smm: "entry to SMM" outside SMM is an invalid VM-entry control, VMfailValid 7
 * (SDM 27.2.1.3), and vexit names ctl_entry_smm. Bochs 2.7 deviates: it accepts the
 * control and refuses the entry later, as guest state ("VMCS SMM guest should block
 * SMI", an exit with reason 33). The guest expects what Bochs does; docs/debugging.md,
 * "Where Bochs and the SDM differ".
 */
#include "vexit_break.h"

VEXIT_BREAK("entry-to-smm");
EXPECT("stop entry-failed");
EXPECT("field reason=ENTRY_FAIL_GUEST_STATE");
EXPECT("entry-rule ctl_entry_smm bochs=guest-nonreg");
EXPECT("asserts 0");

int main(void)
{
	/* Never runs: the entry into this guest must fail. */
	return 1;
}
