/* neg_fs_limit: an FS limit whose bits 11:0 are not all ones with G=1 is an entry-failure exit with reason 33 (SDM 27.3.1.2). */
#include "vexit_break.h"

VEXIT_NEGATIVE("fs-limit-granularity", "reason=ENTRY_FAIL_GUEST_STATE", "guest_seg_limit_granularity")
