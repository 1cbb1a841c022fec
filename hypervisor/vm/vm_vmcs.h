/* Filling a fresh VMCS for a VM: controls from the capability MSRs, host state, guest state. */
#ifndef VEXIT_VMCS_SETUP_H
#define VEXIT_VMCS_SETUP_H

#include <stdint.h>

struct vm;

/*
 * Write every field of the current VMCS. Returns NULL, or a token naming a
 * control the CPU cannot provide (the VM is then skipped with that reason).
 */
const char *vmcs_setup(struct vm *vm, uint64_t eptp, uint64_t entry_rip);
/* The primary processor-based controls for `proc` and the VM's CR3-exiting choice, adjusted to the CPU. */
uint32_t vmcs_proc_controls_for(const struct vm *vm, uint32_t proc);

#endif
