/* neg_ss_rpl: an SS selector with RPL 3 beside a CS with RPL 0 is an entry-failure exit with reason 33 (SDM 27.3.1.2). */
#include "vexit_break.h"

VEXIT_NEGATIVE("ss-rpl3", "reason=ENTRY_FAIL_GUEST_STATE", "guest_cs_ss_rpl")
