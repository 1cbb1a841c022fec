/* neg_apic_access: "virtualize APIC accesses" with an APIC-access address that is not 4-KByte aligned is VMfailValid 7 (SDM 27.2.1.1). */
#include "vexit_break.h"

VEXIT_NEGATIVE("apic-access-unaligned", "error=7", "ctl_apic_access_addr")
