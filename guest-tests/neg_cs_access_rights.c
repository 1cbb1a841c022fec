/* neg_cs_access_rights: a data-segment type in CS's access rights fails guest-state checks (SDM 27.3.1.2). */
#include "vexit_break.h"

VEXIT_NEGATIVE("cs-data-type", "reason=ENTRY_FAIL_GUEST_STATE", "guest_cs_type")
