/* neg_exit_allowed0: a VM-exit control cleared whose allowed-0 setting is 1 is VMfailValid 7, invalid control field (SDM 27.2.1.2). */
#include "vexit_break.h"

VEXIT_NEGATIVE("exit-allowed0", "error=7", "ctl_exit_allowed")
