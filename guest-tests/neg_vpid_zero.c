/* neg_vpid_zero: enable VPID with VPID 0 is VMfailValid 7, invalid control field (SDM 27.2.1.1). */
#include "vexit_break.h"

VEXIT_NEGATIVE("vpid-zero", "error=7", "ctl_vpid")
