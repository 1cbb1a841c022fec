/* neg_host_cr3_wide: HOST_CR3 with bit 52 set, beyond the physical-address width is VMfailValid 8, invalid host state (SDM 27.2.2). */
#include "vexit_break.h"

VEXIT_NEGATIVE("host-cr3-wide", "error=8", "host_cr3_width")
