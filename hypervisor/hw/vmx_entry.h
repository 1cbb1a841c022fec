/* VM entry and exit (hw/vmx_entry.S). */
#ifndef VEXIT_HW_VMX_ENTRY_H
#define VEXIT_HW_VMX_ENTRY_H

/* What on_exit returns. */
#define VMX_EXIT_LEAVE 0      /* leave: vmx_run returns 0 (the frame is gone after that) */
#define VMX_EXIT_RESUME 1     /* VMRESUME; the handlers changed no frame slot of RBP or R12-R15 */
#define VMX_EXIT_RESUME_ALL 2 /* VMRESUME with every GPR reloaded from the frame */

#ifndef __ASSEMBLER__
#include <stdint.h>

/*
 * Called on the host stack after every VM exit, with the ctx given to vmx_run;
 * the guest's general-purpose registers are in the frame vmx_run named, by
 * encoding (frame[4], RSP, unused: RSP is in the VMCS). Returns a VMX_EXIT_*.
 * VMX_EXIT_RESUME reloads only the registers C code may clobber (and RBX): the
 * others still hold the guest's values, as the SysV ABI has C code preserve them.
 */
typedef int (*vmx_exit_fn)(void *ctx);

/*
 * Load the guest GPRs from gpr[16] and VMLAUNCH (launched=0) or VMRESUME, then
 * handle exits with on_exit until it says leave: returns 0 then, or
 * VMX_FAIL_INVALID/VMX_FAIL_VALID (hw/vmx_insn.h) when a VMLAUNCH or VMRESUME
 * itself failed; a VMRESUME that fails after an exit leaves the registers the
 * handler left in gpr[]. Before the entry, *frame is set to where exits keep
 * the guest's registers (valid until vmx_run returns). HOST_RSP is written once
 * per call, not per exit.
 */
int vmx_run(uint64_t *gpr, const uint64_t **frame, int launched, vmx_exit_fn on_exit, void *ctx);
/* Where a VM exit lands: VMCS HOST_RIP. */
void vmx_exit_entry_point(void);
#endif

#endif
