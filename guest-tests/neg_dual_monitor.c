/* neg_dual_monitor: deactivate dual-monitor treatment outside SMM is VMfailValid 7, invalid control field (SDM 27.2.1.3). */
#include "vexit_break.h"

VEXIT_NEGATIVE("entry-dual-monitor", "error=7", "ctl_entry_smm")
