/* VM entry and exit (hw/vmx_entry.S). */
#ifndef VEXIT_HW_VMX_ENTRY_H
#define VEXIT_HW_VMX_ENTRY_H

/* What on_finish returns. */
#define VMX_EXIT_LEAVE 0      /* leave: vmx_run returns 0 (the frame is gone after that) */
#define VMX_EXIT_RESUME 1     /* VMRESUME; the handlers changed no frame slot of RBP or R12-R15 */
#define VMX_EXIT_RESUME_ALL 2 /* VMRESUME with every GPR reloaded from the frame */
/* In on_exit's reason (bit 63: never one of the field's 32 bits) from vmx_exit_work_entry_point. */
#define VMX_EXIT_WORK_BIT 63
/* The bit of the byte at ctx that sends an exit on_exit answered 0 to on_finish all the same. */
#define VMX_CTX_FINISH 2

/*
 * The null hypercall (VMCALL with RAX = VEXIT_HC_VERSION, include/vexit_abi.h) is answered
 * by the exit stub itself when the byte at ctx is 0 (no work: vm/vcpu.h), the caller is at CPL 0
 * and not in an STI or MOV-SS shadow; any other exit, or that one otherwise, goes to on_exit.
 * Answering it, the stub records the exit as the run loop does, at these offsets in ctx
 * (the vCPU: vm/vcpu.h pins them to struct vcpu): the count of exits, a ring of
 * VMX_CTX_RING_LEN slots (slot = count % LEN before the exit is counted) of reason
 * (4 bytes), the TSC's EAX and EDX (4 bytes each) and RIP (8 bytes); and the count of
 * VMCALL exits (8 bytes).
 */
#define VMX_EXIT_REASON_VMCALL 18 /* SDM Vol. 3C Appendix C */
#define VMX_CTX_RING_LEN 16
#define VMX_CTX_EXITS 8
#define VMX_CTX_RING_REASON (VMX_CTX_EXITS + 8)
#define VMX_CTX_RING_TICK_LO (VMX_CTX_RING_REASON + 4 * VMX_CTX_RING_LEN)
#define VMX_CTX_RING_TICK_HI (VMX_CTX_RING_TICK_LO + 4 * VMX_CTX_RING_LEN)
#define VMX_CTX_RING_RIP (VMX_CTX_RING_TICK_HI + 4 * VMX_CTX_RING_LEN)
#define VMX_CTX_VMCALL_EXITS 680

#ifndef __ASSEMBLER__
#include <stdint.h>

/*
 * Called on the host stack after every VM exit the stub does not answer itself, with
 * the ctx given to vmx_run and the exit-reason field (SDM 28.2.1), which the stub reads;
 * the guest's general-purpose registers are in the frame vmx_run named, by
 * encoding (frame[4], RSP, unused: RSP is in the VMCS). Returns 0 to resume the
 * guest, unless the byte at ctx (its first) has the VMX_CTX_FINISH bit; any other
 * answer, or that bit, and on_finish(ctx, answer) decides, returning a VMX_EXIT_*:
 * the common exit thus costs one call and two tests here, none in C.
 * VMX_EXIT_RESUME reloads only the registers C code may clobber (and RBX): the
 * others still hold the guest's values, as the SysV ABI has C code preserve them.
 */
typedef int (*vmx_exit_fn)(void *ctx, uint64_t reason);
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
/*
 * Where a VM exit lands: VMCS HOST_RIP. The second sets VMX_EXIT_WORK_BIT in the reason it
 * gives on_exit, and never answers an exit itself: HOST_RIP names it while the vCPU has
 * work at every exit, so that the common exit path has no test for that.
 */
void vmx_exit_entry_point(void);
void vmx_exit_work_entry_point(void);
#endif

#endif
