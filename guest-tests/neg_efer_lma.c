/* neg_efer_lma: GUEST_IA32_EFER.LMA clear in an IA-32e mode guest is an entry-failure exit with reason 33 (SDM 27.3.1.1). */
#include "vexit_break.h"

VEXIT_NEGATIVE("efer-lma-clear", "reason=ENTRY_FAIL_GUEST_STATE", "guest_efer")
