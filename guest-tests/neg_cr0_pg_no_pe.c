/* neg_cr0_pg_no_pe: CR0.PG set with CR0.PE clear fails guest-state checks (SDM 26.3.1.1). */
#include "vexit_break.h"

VEXIT_BREAK("cr0-pg-without-pe");
EXPECT("stop entry-failed");
EXPECT("field reason=ENTRY_FAIL_GUEST_STATE");
EXPECT("entry-rule guest_cr0_pg_requires_pe");
EXPECT("asserts 0");

int main(void)
{
	/* Never runs: the entry into this guest must fail. */
	return 1;
}
