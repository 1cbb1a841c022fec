/* neg_sysenter_eip: a non-canonical GUEST_SYSENTER_EIP is an entry-failure exit with reason 33 (SDM 27.3.1.1). */
#include "vexit_break.h"

VEXIT_NEGATIVE("sysenter-eip-noncanonical", "reason=ENTRY_FAIL_GUEST_STATE", "guest_sysenter_canonical")
