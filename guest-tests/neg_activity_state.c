/* neg_activity_state: activity state 4 does not exist and fails guest-state checks (SDM 26.3.1.5). */
#include "vexit_break.h"

VEXIT_BREAK("activity-state-bad");
EXPECT("stop entry-failed");
EXPECT("field reason=ENTRY_FAIL_GUEST_STATE");
EXPECT("entry-rule guest_activity_state");
EXPECT("asserts 0");

int main(void)
{
	/* Never runs: the entry into this guest must fail. */
	return 1;
}
