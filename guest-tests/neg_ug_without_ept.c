/* neg_ug_without_ept: unrestricted guest without enable EPT is VMfailValid 7 (SDM 27.2.1.1). */
#include "vexit_break.h"

VEXIT_NEGATIVE("ug-without-ept", "error=7", "ctl_ug_requires_ept")
