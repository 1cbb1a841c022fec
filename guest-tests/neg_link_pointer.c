/* neg_link_pointer: a VMCS link pointer that is not all ones, without VMCS shadowing, fails guest-state checks (SDM 26.3.1.5). */
#include "vexit_break.h"

VEXIT_BREAK("link-pointer-zero");
EXPECT("stop entry-failed");
EXPECT("field reason=ENTRY_FAIL_GUEST_STATE");
EXPECT("entry-rule guest_link_pointer");
EXPECT("asserts 0");

int main(void)
{
	/* Never runs: the entry into this guest must fail. */
	return 1;
}
