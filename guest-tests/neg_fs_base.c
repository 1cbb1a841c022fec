/* neg_fs_base: a non-canonical GUEST_FS_BASE is an entry-failure exit with reason 33 (SDM 27.3.1.2). */
#include "vexit_break.h"

VEXIT_NEGATIVE("fs-base-noncanonical", "reason=ENTRY_FAIL_GUEST_STATE", "guest_seg_bases")
