/* neg_entry_allowed0: a VM-entry control cleared whose allowed-0 setting is 1 is VMfailValid 7, invalid control field (SDM 27.2.1.3). */
#include "vexit_break.h"

VEXIT_NEGATIVE("entry-allowed0", "error=7", "ctl_entry_allowed")
