/* neg_rflags_bit1: RFLAGS bit 1 clear fails guest-state checks (SDM 27.3.1.4). */
#include "vexit_break.h"

VEXIT_BREAK("rflags-bit1-clear");
EXPECT("stop entry-failed");
EXPECT("field reason=ENTRY_FAIL_GUEST_STATE");
EXPECT("entry-rule guest_rflags_reserved");
EXPECT("asserts 0");

int main(void)
{
	/* Never runs: the entry into this guest must fail. */
	return 1;
}
