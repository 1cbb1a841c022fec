/* neg_msr_bitmap: an unaligned MSR-bitmap address is VMfailValid 7 (SDM 27.2.1.1). */
#include "vexit_break.h"

VEXIT_NEGATIVE("msr-bitmap-unaligned", "error=7", "ctl_msr_bitmap_addr")
