/* neg_efer_reserved: a reserved IA32_EFER bit in the guest-state area fails guest-state checks (SDM 27.3.1.1). */
#include "vexit_break.h"

VEXIT_NEGATIVE("efer-reserved", "reason=ENTRY_FAIL_GUEST_STATE", "guest_efer")
