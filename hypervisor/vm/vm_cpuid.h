/*
 * A VM's CPUID: the state of it the policy reads (vmx/cpuid_policy.h), and its vCPU's
 * table of answers (vmx/cpuid_table.h), filled when the VM is built and again at the
 * first CPUID exit after a write to an MSR the policy reads emptied it.
 */
#ifndef VEXIT_VM_CPUID_H
#define VEXIT_VM_CPUID_H

#include <stdint.h>

#include "vmx/cpuid_policy.h"

struct vm;

/* What the policy reads of vm, with the guest's CR4 (its read shadow). */
struct cpuid_vm vm_cpuid_state(const struct vm *vm, uint64_t cr4);
/* Fill the vCPU's CPUID table for vm's state now, from the host's CPUID. */
void vm_cpuid_refill(struct vm *vm);

#endif
