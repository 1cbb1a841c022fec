/* neg_guest_cr4_vmxe: GUEST_CR4 without VMXE, a bit IA32_VMX_CR4_FIXED0 requires is an entry-failure exit with reason 33 (SDM 27.3.1.1). */
#include "vexit_break.h"

VEXIT_NEGATIVE("guest-cr4-vmxe-clear", "reason=ENTRY_FAIL_GUEST_STATE", "guest_cr4_fixed")
