/* neg_inject_error_code: an external interrupt injected with deliver-error-code set is VMfailValid 7, invalid control field (SDM 27.2.1.3). */
#include "vexit_break.h"

VEXIT_NEGATIVE("inject-error-code-mismatch", "error=7", "ctl_entry_event_injection")
