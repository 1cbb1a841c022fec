/* Leaving VMX operation, so that no halt or power-off leaves the CPU in VMX root (INIT blocked). */
#ifndef VEXIT_VMX_OFF_H
#define VEXIT_VMX_OFF_H

#include <stdbool.h>
#include <stdint.h>

#include "hw/vmx_insn.h"
#include "vmx/vmx_on.h"

struct vmx_off_report {
	uint64_t cleared_vmcs;         /* the VMCS that was current and got VMCLEAR, VMCS_NONE if none */
	enum vmx_result vmclear, vmxoff;
	bool vmxe_cleared;             /* CR4.VMXE reads 0 afterwards */
	bool vmread_ud;                /* a VMREAD afterwards raised #UD: the CPU is out of VMX operation */
};

/*
 * When root->on: VMCLEAR the current VMCS (its data reaches memory, SDM 25.11.3), VMXOFF,
 * clear CR4.VMXE (allowed only outside VMX operation, SDM 24.8), then prove it with a
 * VMREAD that must #UD; fill *out and return true. root->on is cleared first, so a fault
 * on the way (which panics and powers off again) cannot come back here: calling it twice,
 * or before VMXON, does nothing and returns false.
 */
bool vmx_off(struct vmx_root *root, struct vmx_off_report *out);

#endif
