/* neg_link_pointer: a VMCS link pointer that is not all ones, without VMCS shadowing, fails guest-state checks (SDM 27.3.1.5). */
#include "vexit_break.h"

VEXIT_NEGATIVE("link-pointer-zero", "reason=ENTRY_FAIL_GUEST_STATE", "guest_link_pointer")
