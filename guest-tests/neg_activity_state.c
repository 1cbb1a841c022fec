/* neg_activity_state: activity state 4 does not exist and fails guest-state checks (SDM 27.3.1.5). */
#include "vexit_break.h"

VEXIT_NEGATIVE("activity-state-bad", "reason=ENTRY_FAIL_GUEST_STATE", "guest_activity_state")
