/* neg_efer_reserved: a reserved IA32_EFER bit in the guest-state area fails guest-state checks (SDM 26.3.1.1). */
#include "vexit_break.h"

VEXIT_BREAK("efer-reserved");
EXPECT("stop entry-failed");
EXPECT("field reason=ENTRY_FAIL_GUEST_STATE");
EXPECT("entry-rule guest_efer");
EXPECT("asserts 0");

int main(void)
{
	/* Never runs: the entry into this guest must fail. */
	return 1;
}
