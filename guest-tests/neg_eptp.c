/* neg_eptp: an EPT pointer with a page-walk length of 2 is VMfailValid 7 (SDM 27.2.1.1). */
#include "vexit_break.h"

VEXIT_NEGATIVE("eptp-walk-2", "error=7", "ctl_eptp")
