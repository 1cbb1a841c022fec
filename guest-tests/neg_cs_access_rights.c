/* neg_cs_access_rights: a data-segment type in CS's access rights fails guest-state checks (SDM 26.3.1.2). */
#include "vexit_break.h"

VEXIT_BREAK("cs-data-type");
EXPECT("stop entry-failed");
EXPECT("field reason=ENTRY_FAIL_GUEST_STATE");
EXPECT("entry-rule guest_cs_type");
EXPECT("asserts 0");

int main(void)
{
	/* Never runs: the entry into this guest must fail. */
	return 1;
}
