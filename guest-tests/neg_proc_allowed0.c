/* neg_proc_allowed0: a primary processor-based control cleared whose allowed-0 setting is 1 is VMfailValid 7, invalid control field (SDM 27.2.1.1). */
#include "vexit_break.h"

VEXIT_NEGATIVE("proc-allowed0", "error=7", "ctl_proc_allowed")
