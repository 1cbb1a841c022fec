/* neg_ds_accessed: a usable DS whose type is not accessed is an entry-failure exit with reason 33 (SDM 27.3.1.2). */
#include "vexit_break.h"

VEXIT_NEGATIVE("ds-not-accessed", "reason=ENTRY_FAIL_GUEST_STATE", "guest_data_segments")
