/* neg_pin_allowed1: a pin-based control its allowed-1 settings forbid is VMfailValid 7 (SDM 27.2.1.1, 31.4). */
#include "vexit_break.h"

VEXIT_NEGATIVE("pin-allowed1", "error=7", "ctl_pin_allowed")
