/* Turning VMX operation on, by the book (SDM 24.7 and 24.8). */
#ifndef VEXIT_VMX_ON_H
#define VEXIT_VMX_ON_H

#include "vmx/vmx_caps.h"

/*
 * Check CPUID.1:ECX.VMX and IA32_FEATURE_CONTROL, read the capability MSRs
 * into *caps, apply the CR0/CR4 fixed bits and execute VMXON. Returns NULL on
 * success, or a sentence saying why VMX cannot be used.
 */
const char *vmx_on(struct vmx_caps *caps);

#endif
