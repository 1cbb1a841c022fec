/* neg_cr0_pg_no_pe: CR0.PG set with CR0.PE clear fails guest-state checks (SDM 27.3.1.1). */
#include "vexit_break.h"

VEXIT_NEGATIVE("cr0-pg-without-pe", "reason=ENTRY_FAIL_GUEST_STATE", "guest_cr0_pg_requires_pe")
