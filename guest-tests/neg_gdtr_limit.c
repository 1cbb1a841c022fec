/* neg_gdtr_limit: a GDTR limit above 0xffff fails guest-state checks (SDM 27.3.1.3). */
#include "vexit_break.h"

VEXIT_NEGATIVE("gdtr-limit-wide", "reason=ENTRY_FAIL_GUEST_STATE", "guest_gdtr_idtr")
