/* neg_ldtr_type: a usable LDTR of type 3 is an entry-failure exit with reason 33 (SDM 27.3.1.2). */
#include "vexit_break.h"

VEXIT_NEGATIVE("ldtr-type3", "reason=ENTRY_FAIL_GUEST_STATE", "guest_ldtr")
