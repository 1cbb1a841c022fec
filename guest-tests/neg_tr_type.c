/* neg_tr_type: TR as a busy 16-bit TSS in an IA-32e mode guest is an entry-failure exit with reason 33 (SDM 27.3.1.2). */
#include "vexit_break.h"

VEXIT_NEGATIVE("tr-16bit-tss", "reason=ENTRY_FAIL_GUEST_STATE", "guest_tr")
