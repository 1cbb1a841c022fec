/* neg_inject_sipi: an NMI injected into a guest that starts in wait-for-SIPI is an entry-failure exit with reason 33 (SDM 27.3.1.5). */
#include "vexit_break.h"

VEXIT_NEGATIVE("inject-into-wait-for-sipi", "reason=ENTRY_FAIL_GUEST_STATE", "guest_activity_injection")
