/*
 * The guest CPU state that no VMCS field switches: the x87/SSE/AVX... registers
 * (every XSAVE component XCR0 can enable), DR0-DR3 and DR6, CR2, and the MSRs a
 * guest reaches without an exit (KERNEL_GS_BASE through SWAPGS; STAR, LSTAR,
 * CSTAR and FMASK, which SYSCALL and SYSRET read; TSC_AUX, which RDTSCP and RDPID
 * read, when the VM has them). The guest uses them directly,
 * with no exit, so they must hold the VM's own values while it runs: they are
 * loaded into the CPU once before a run of the vCPU and saved after it, never per
 * exit (the hypervisor itself uses none of them: it is built without SSE or x87
 * code, never executes SYSCALL or SWAPGS, and sets no breakpoint). A new VM's
 * values are the reset state docs/guest-abi.md lists, so nothing of one VM (nor
 * of the host) reaches the next.
 */
#ifndef VEXIT_GUEST_CPU_STATE_H
#define VEXIT_GUEST_CPU_STATE_H

#include <stdbool.h>
#include <stdint.h>

#include "vmx/xcr0.h"

/* Offsets in the legacy region of an XSAVE/FXSAVE area (SDM Vol. 1 10.5.1). */
#define FXSAVE_FCW 0
#define FXSAVE_MXCSR 24
#define FCW_INIT 0x037f     /* x87 control word after FNINIT: every exception masked, 64-bit precision */
#define MXCSR_INIT 0x1f80   /* every SIMD exception masked, round to nearest */

struct guest_cpu_state {
	uint64_t dr[4], dr6, cr2;
	/*
	 * Host page holding the extended state, in the standard XSAVE format (its
	 * first 512 bytes are the FXSAVE format): a new VM's says "every component
	 * in its initial state".
	 */
	uint8_t *area;
	struct xsave_offer offer; /* the components switched (all XCR0 may enable) and their area's size */
	bool xsaveopt;       /* save with XSAVEOPT, which skips components in their initial state */
};

struct vm;

/* Whether the CPU holds this MSR for the guest while it runs (so WRMSR emulation writes it there too). */
bool guest_cpu_state_msr(const struct vm *vm, uint32_t msr);
/* A new VM's state in `area` (one zeroed page): DR6 = 0xFFFF0FF0, all else 0, extended state initial. */
void guest_cpu_state_init(struct guest_cpu_state *s, uint8_t *area, uint64_t xsave_mask, uint32_t area_bytes,
			  bool xsaveopt);
/* Before a run: load vm's state into the CPU (and the guest's XCR0, last). */
void guest_cpu_state_load(struct vm *vm);
/* After a run: save the CPU's state into vm (XCR0 is left with every switched component: the host's). */
void guest_cpu_state_save(struct vm *vm);

#endif
