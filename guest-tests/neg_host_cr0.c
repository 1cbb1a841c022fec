/* neg_host_cr0: HOST_CR0 without NE, a bit IA32_VMX_CR0_FIXED0 requires, is VMfailValid 8 (SDM 27.2.2). */
#include "vexit_break.h"

VEXIT_NEGATIVE("host-cr0-ne-clear", "error=8", "host_cr0_fixed")
