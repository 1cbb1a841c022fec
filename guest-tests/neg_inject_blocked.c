/* neg_inject_blocked: an external interrupt injected under blocking by MOV SS is an entry-failure exit with reason 33 (SDM 27.3.1.5). */
#include "vexit_break.h"

VEXIT_NEGATIVE("inject-under-mov-ss", "reason=ENTRY_FAIL_GUEST_STATE", "guest_injection_blocking")
