/* neg_pending_debug: a reserved bit (5) of the pending debug exceptions is an entry-failure exit with reason 33 (SDM 27.3.1.5). */
#include "vexit_break.h"

VEXIT_NEGATIVE("pending-debug-reserved", "reason=ENTRY_FAIL_GUEST_STATE", "guest_pending_debug")
