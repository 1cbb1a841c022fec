/* neg_inject_shutdown: an external interrupt injected into a guest that starts in shutdown is an entry-failure exit with reason 33 (SDM 27.3.1.5). */
#include "vexit_break.h"

VEXIT_NEGATIVE("inject-into-shutdown", "reason=ENTRY_FAIL_GUEST_STATE", "guest_activity_injection")
