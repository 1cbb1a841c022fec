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

#endif
