/* neg_msr_bitmap: an unaligned MSR-bitmap address is VMfailValid 7 (SDM 26.2.1.1). */
#include "vexit_break.h"

VEXIT_BREAK("msr-bitmap-unaligned");
EXPECT("stop entry-failed");
EXPECT("field error=7");
EXPECT("entry-rule ctl_msr_bitmap_addr");
EXPECT("asserts 0");

int main(void)
{
	/* Never runs: the entry into this guest must fail. */
	return 1;
}
