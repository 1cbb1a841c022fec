/*
 * Machine checks (SDM Vol. 3B chapter 16, "Machine-Check Architecture"). With CR4.MCE
 * clear, a machine check shuts the processor down without a word; with it set, it is
 * a #MC exception (vector 18) the hypervisor reports before it stops the run (the
 * policy: docs/hardware.md, "What the hypervisor does about NMIs and machine checks").
 */
#ifndef VEXIT_MACHINE_CHECK_H
#define VEXIT_MACHINE_CHECK_H

#include <stdbool.h>

/* Set CR4.MCE when CPUID.1:EDX.MCE[bit 7] says the CPU has #MC; returns whether it did. */
bool machine_check_enable(void);

/*
 * Print what the machine-check MSRs hold (CPUID.1:EDX.MCA[bit 14]): IA32_MCG_STATUS and
 * every bank whose IA32_MCi_STATUS is valid (bit 63), with its ADDR and MISC when their
 * valid bits (58, 59) say so. Free text, for the person reading the capture.
 */
void machine_check_report(void);

#endif
