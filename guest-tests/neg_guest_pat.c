/* neg_guest_pat: GUEST_IA32_PAT holding memory type 2 (reserved) while the entry loads IA32_PAT is an entry-failure exit with reason 33 (SDM 27.3.1.1). */
#include "vexit_break.h"

VEXIT_NEGATIVE("guest-pat-type2", "reason=ENTRY_FAIL_GUEST_STATE", "guest_pat")
