/* The hypercalls a guest may make (numbers in include/vexit_abi.h); pure, host-tested. */
#ifndef VEXIT_HYPERCALL_H
#define VEXIT_HYPERCALL_H

#include <stdint.h>

#include "vm/vcpu.h"

struct vm;

/*
 * Perform the hypercall in the guest's registers gpr[] (by encoding: the number in RAX, the
 * arguments in RBX, RCX, RDX, RSI); returns the value for the guest's RAX. Each hypercall
 * reads only the arguments it takes.
 */
uint64_t hypercall(struct vm *vm, const uint64_t gpr[GPR_COUNT]);

#endif
