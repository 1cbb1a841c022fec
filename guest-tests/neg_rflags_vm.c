/* neg_rflags_vm: RFLAGS.VM set in an IA-32e mode guest is an entry-failure exit with reason 33 (SDM 27.3.1.4). */
#include "vexit_break.h"

VEXIT_NEGATIVE("rflags-vm-set", "reason=ENTRY_FAIL_GUEST_STATE", "guest_rflags_vm")
