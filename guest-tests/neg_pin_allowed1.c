/* neg_pin_allowed1: a pin-based control its allowed-1 settings forbid is VMfailValid 7 (SDM 26.2.1.1, 31.4). */
#include "vexit_break.h"

VEXIT_BREAK("pin-allowed1");
EXPECT("stop entry-failed");
EXPECT("field error=7");
EXPECT("entry-rule ctl_pin_allowed");
EXPECT("asserts 0");

int main(void)
{
	/* Never runs: the entry into this guest must fail. */
	return 1;
}
