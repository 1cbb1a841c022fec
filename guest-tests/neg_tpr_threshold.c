/* neg_tpr_threshold: use TPR shadow with a TPR threshold (1) above VTPR[7:4] (0) of the virtual-APIC page is VMfailValid 7 (SDM 27.2.1.1). */
#include "vexit_break.h"

VEXIT_NEGATIVE("tpr-threshold-above-vtpr", "error=7", "ctl_tpr_threshold_vtpr")
