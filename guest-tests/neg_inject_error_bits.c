/* neg_inject_error_bits: #GP injected with an error code whose bits 31:16 are not 0 is VMfailValid 7, invalid control field (SDM 27.2.1.3). */
#include "vexit_break.h"

VEXIT_NEGATIVE("inject-error-code-reserved", "error=7", "ctl_entry_intr_error_code")
