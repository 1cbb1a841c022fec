/* VM entry and exit (hw/vmx_entry.S). */
#ifndef VEXIT_HW_VMX_ENTRY_H
#define VEXIT_HW_VMX_ENTRY_H

/* What on_finish returns. */
#define VMX_EXIT_LEAVE 0      /* leave: vmx_run returns 0 (the frame is gone after that) */
#define VMX_EXIT_RESUME 1     /* VMRESUME; the handlers changed no frame slot of RBP or R12-R15 */
#define VMX_EXIT_RESUME_ALL 2 /* VMRESUME with every GPR reloaded from the frame */
/* The bit of the byte at ctx that sends an exit on_exit answered 0 to on_finish all the same. */
#define VMX_CTX_FINISH 2

#ifndef __ASSEMBLER__
#include <stdint.h>

/*
 * Called on the host stack after every VM exit, with the ctx given to vmx_run;
 * the guest's general-purpose registers are in the frame vmx_run named, by
 * encoding (frame[4], RSP, unused: RSP is in the VMCS). Returns 0 to resume the
 * guest, unless the byte at ctx (its first) has the VMX_CTX_FINISH bit; any other
 * answer, or that bit, and on_finish(ctx, answer) decides, returning a VMX_EXIT_*:
 * the common exit thus costs one call and two tests here, none in C.
 * VMX_EXIT_RESUME reloads only the registers C code may clobber (and RBX): the
 * others still hold the guest's values, as the SysV ABI has C code preserve them.
 */
typedef int (*vmx_exit_fn)(void *ctx);
typedef int (*vmx_finish_fn)(void *ctx, int answer);

/*
 * Load the guest GPRs from gpr[16] and VMLAUNCH (launched=0) or VMRESUME, then
 * handle exits with on_exit (and on_finish) until on_finish says leave: returns 0 then, or
 * VMX_FAIL_INVALID/VMX_FAIL_VALID (hw/vmx_insn.h) when a VMLAUNCH or VMRESUME
 * itself failed; a VMRESUME that fails after an exit leaves the registers the
 * handler left in gpr[]. Before the entry, *frame is set to where exits keep
 * the guest's registers (valid until vmx_run returns). HOST_RSP is written once
 * per call, not per exit.
 */
int vmx_run(uint64_t *gpr, const uint64_t **frame, int launched, vmx_exit_fn on_exit, vmx_finish_fn on_finish,
	    void *ctx);
/* Where a VM exit lands: VMCS HOST_RIP. */
void vmx_exit_entry_point(void);
#endif

#endif
