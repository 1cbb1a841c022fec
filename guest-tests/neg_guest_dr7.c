/* neg_guest_dr7: GUEST_DR7 bit 40 set while the entry loads debug controls is an entry-failure exit with reason 33 (SDM 27.3.1.1). */
#include "vexit_break.h"

VEXIT_NEGATIVE("dr7-high", "reason=ENTRY_FAIL_GUEST_STATE", "guest_dr7_high")
