/* neg_gdtr_limit: a GDTR limit above 0xffff fails guest-state checks (SDM 26.3.1.3). */
#include "vexit_break.h"

VEXIT_BREAK("gdtr-limit-wide");
EXPECT("stop entry-failed");
EXPECT("field reason=ENTRY_FAIL_GUEST_STATE");
EXPECT("entry-rule guest_gdtr_idtr");
EXPECT("asserts 0");

int main(void)
{
	/* Never runs: the entry into this guest must fail. */
	return 1;
}
