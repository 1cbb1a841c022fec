/* neg_ss_type: SS as a read-only data segment is an entry-failure exit with reason 33 (SDM 27.3.1.2). */
#include "vexit_break.h"

VEXIT_NEGATIVE("ss-read-only", "reason=ENTRY_FAIL_GUEST_STATE", "guest_ss")
