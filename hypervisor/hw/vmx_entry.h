/* VM entry and exit (hw/vmx_entry.S). */
#ifndef VEXIT_HW_VMX_ENTRY_H
#define VEXIT_HW_VMX_ENTRY_H

#include <stdint.h>

/*
 * Called on the host stack after every VM exit, with frame[16] holding the
 * guest's general-purpose registers by encoding (frame[4], RSP, unused: RSP is
 * in the VMCS) and the ctx given to vmx_run. Nonzero: VMRESUME with frame[] as
 * it is then; 0: leave, vmx_run returns 0 (frame[] is gone after that).
 */
typedef int (*vmx_exit_fn)(uint64_t *frame, void *ctx);

/*
 * Load the guest GPRs from gpr[16] and VMLAUNCH (launched=0) or VMRESUME, then
 * handle exits with on_exit until it says leave: returns 0 then, or
 * VMX_FAIL_INVALID/VMX_FAIL_VALID (hw/vmx_insn.h) when a VMLAUNCH or VMRESUME
 * itself failed; a VMRESUME that fails after an exit leaves the registers the
 * handler left in gpr[]. HOST_RSP is written once per call, not per exit.
 */
int vmx_run(uint64_t *gpr, int launched, vmx_exit_fn on_exit, void *ctx);
/* Where a VM exit lands: VMCS HOST_RIP. */
void vmx_exit_entry_point(void);

#endif
