/* neg_cr3_targets: one CR3 target more than IA32_VMX_MISC[24:16] allows is VMfailValid 7, invalid control field (SDM 27.2.1.1). */
#include "vexit_break.h"

VEXIT_NEGATIVE("cr3-target-count-high", "error=7", "ctl_cr3_target_count")
