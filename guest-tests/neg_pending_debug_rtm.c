/* neg_pending_debug_rtm: pending-debug bit 16 (RTM, with bit 12) on a CPU without RTM is an entry-failure exit with reason 33 (SDM 27.3.1.5). */
#include "vexit_break.h"

VEXIT_NEGATIVE("pending-debug-rtm", "reason=ENTRY_FAIL_GUEST_STATE", "guest_pending_debug_rtm")
