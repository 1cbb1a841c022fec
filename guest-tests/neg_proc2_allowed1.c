/* neg_proc2_allowed1: the highest secondary control whose allowed-1 setting is 0 is VMfailValid 7, invalid control field (SDM 27.2.1.1). */
#include "vexit_break.h"

VEXIT_NEGATIVE("proc2-allowed1", "error=7", "ctl_proc2_allowed")
