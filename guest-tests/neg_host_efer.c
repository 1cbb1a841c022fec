/* neg_host_efer: HOST_IA32_EFER with reserved bit 2 set while the exit loads IA32_EFER is VMfailValid 8, invalid host state (SDM 27.2.2). */
#include "vexit_break.h"

VEXIT_NEGATIVE("host-efer-reserved", "error=8", "host_efer")
