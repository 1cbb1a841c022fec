/* Building a VM from a guest module, running it to its end, reporting it and tearing it down. */
#ifndef VEXIT_VM_RUN_H
#define VEXIT_VM_RUN_H

#include <stdbool.h>
#include <stdint.h>

struct vmx_caps;

struct vm_config {
	const struct vmx_caps *caps;
	uint64_t budget; /* ticks from the first entry; 0: no budget */
	/* Host CPU facts the guest's virtual MSRs and XCR0 follow. */
	bool nx;                 /* EFER.NXE may be set */
	bool xsave;              /* XSETBV works (the host has set CR4.OSXSAVE) */
	unsigned phys_addr_bits;
	/* Entry debugging (README "Debugging"): comma lists of guest names, or "all"; NULL: none. */
	const char *precheck, *debug, *dump;
};

/* Prints the guest's protocol lines from guest-begin to guest-end. */
void vm_run_module(const struct vm_config *cfg, const char *name, const uint8_t *image, uint64_t size);

#endif
