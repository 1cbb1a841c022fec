/* neg_host_cr4_vmxe: HOST_CR4 without VMXE, a bit IA32_VMX_CR4_FIXED0 requires is VMfailValid 8, invalid host state (SDM 27.2.2). */
#include "vexit_break.h"

VEXIT_NEGATIVE("host-cr4-vmxe-clear", "error=8", "host_cr4_fixed")
