/* neg_exit_msr_store: a VM-exit MSR-store address that is not 16-byte aligned is VMfailValid 7 (SDM 27.2.1.2). */
#include "vexit_break.h"

VEXIT_NEGATIVE("exit-msr-store-unaligned", "error=7", "ctl_exit_msr_areas")
