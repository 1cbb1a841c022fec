/* neg_cs_l_db: CS with both L and D/B set in an IA-32e mode guest is an entry-failure exit with reason 33 (SDM 27.3.1.2). */
#include "vexit_break.h"

VEXIT_NEGATIVE("cs-l-and-db", "reason=ENTRY_FAIL_GUEST_STATE", "guest_cs_l_db")
