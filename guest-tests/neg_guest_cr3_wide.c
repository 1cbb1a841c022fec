/* neg_guest_cr3_wide: GUEST_CR3 with bit 52 set, beyond the physical-address width is an entry-failure exit with reason 33 (SDM 27.3.1.1). */
#include "vexit_break.h"

VEXIT_NEGATIVE("guest-cr3-wide", "reason=ENTRY_FAIL_GUEST_STATE", "guest_cr3_width")
