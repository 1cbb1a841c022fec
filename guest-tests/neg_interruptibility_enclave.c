/* neg_interruptibility_enclave: interruptibility bit 4 (enclave interruption) on a CPU without SGX is an entry-failure exit with reason 33 (SDM 27.3.1.5). */
#include "vexit_break.h"

VEXIT_NEGATIVE("interruptibility-enclave", "reason=ENTRY_FAIL_GUEST_STATE", "guest_interruptibility_enclave")
