/* neg_guest_cr4_pae: an IA-32e mode guest without CR4.PAE is an entry-failure exit with reason 33 (SDM 27.3.1.1). */
#include "vexit_break.h"

VEXIT_NEGATIVE("guest-cr4-pae-clear", "reason=ENTRY_FAIL_GUEST_STATE", "guest_ia32e_paging")
