/* neg_inject_length: a software exception injected with instruction length 16 is VMfailValid 7, invalid control field (SDM 27.2.1.3). */
#include "vexit_break.h"

VEXIT_NEGATIVE("inject-length-16", "error=7", "ctl_entry_intr_length")
