/* The hypercalls a guest may make (numbers in include/vexit_abi.h); pure, host-tested. */
#ifndef VEXIT_HYPERCALL_H
#define VEXIT_HYPERCALL_H

#include <stdint.h>

struct vm;

/* Perform hypercall nr with its four arguments; returns the value for the guest's RAX. */
uint64_t hypercall(struct vm *vm, uint64_t nr, const uint64_t args[4]);

#endif
