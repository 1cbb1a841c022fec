/* neg_tpr_shadow: use TPR shadow with a virtual-APIC address that is not 4-KByte aligned is VMfailValid 7, invalid control field (SDM 27.2.1.1). */
#include "vexit_break.h"

VEXIT_NEGATIVE("tpr-shadow-unaligned", "error=7", "ctl_tpr_shadow")
