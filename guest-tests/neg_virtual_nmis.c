/* neg_virtual_nmis: virtual NMIs without NMI exiting is VMfailValid 7, invalid control field (SDM 27.2.1.1). */
#include "vexit_break.h"

VEXIT_NEGATIVE("virtual-nmis-without-nmi-exiting", "error=7", "ctl_nmi_controls")
