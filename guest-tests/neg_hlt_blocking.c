/* neg_hlt_blocking: the HLT activity state with blocking by MOV SS is an entry-failure exit with reason 33 (SDM 27.3.1.5). */
#include "vexit_break.h"

VEXIT_NEGATIVE("hlt-mov-ss-blocking", "reason=ENTRY_FAIL_GUEST_STATE", "guest_activity_blocking")
