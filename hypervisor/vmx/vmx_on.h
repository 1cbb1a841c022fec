/* Turning VMX operation on, by the book (SDM 24.7 and 24.8). */
#ifndef VEXIT_VMX_ON_H
#define VEXIT_VMX_ON_H

#include <stdbool.h>
#include <stdint.h>

#include "vmx/vmx_caps.h"

/* Whether this CPU is in VMX operation (vmx_off.h leaves it). */
struct vmx_root {
	bool on;
	uint64_t vmxon_region;
};

/*
 * Check CPUID.1:ECX.VMX and IA32_FEATURE_CONTROL, read the capability MSRs
 * into *caps, apply the CR0/CR4 fixed bits and execute VMXON. Returns NULL on
 * success (root->on is then set), or a sentence saying why VMX cannot be used.
 */
const char *vmx_on(struct vmx_caps *caps, struct vmx_root *root);

#endif
