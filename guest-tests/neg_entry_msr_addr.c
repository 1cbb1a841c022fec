/* neg_entry_msr_addr: a VM-entry MSR-load address that is not 16-byte aligned is VMfailValid 7, invalid control field (SDM 27.2.1.3). */
#include "vexit_break.h"

VEXIT_NEGATIVE("entry-msr-load-unaligned", "error=7", "ctl_entry_msr_load")
