/* neg_ug_ss_dpl: an unrestricted guest whose CS is of type 3 needs SS.DPL 0; DPL 3 is an entry-failure exit with reason 33 (SDM 27.3.1.2). */
#include "vexit_break.h"

EXPECT("needs ug");
VEXIT_NEGATIVE("ug-ss-dpl3", "reason=ENTRY_FAIL_GUEST_STATE", "guest_ug_dpl")
