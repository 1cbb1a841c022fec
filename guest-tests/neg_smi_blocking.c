/* neg_smi_blocking: blocking by SMI outside SMM is an entry-failure exit with reason 33 (SDM 27.3.1.5). */
#include "vexit_break.h"

VEXIT_NEGATIVE("smi-blocking", "reason=ENTRY_FAIL_GUEST_STATE", "guest_smi_blocking")
