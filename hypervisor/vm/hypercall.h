/* The hypercalls a guest may make (numbers in include/vexit_abi.h); pure, host-tested. */
#ifndef VEXIT_HYPERCALL_H
#define VEXIT_HYPERCALL_H

#include <stdbool.h>
#include <stdint.h>

#include "include/vexit_abi.h"
#include "vm/vcpu.h"
#include "vm/vm.h"

/*
 * Perform the hypercall in the guest's registers gpr[] (by encoding: the number in RAX, the
 * arguments in RBX, RCX, RDX, RSI); returns the value for the guest's RAX. Each hypercall
 * reads only the arguments it takes.
 */
uint64_t hypercall(struct vm *vm, const uint64_t gpr[GPR_COUNT]);

/*
 * The hypercalls that only read the VM: true, with the answer in *result; false for any
 * other number. Inline, so that the exit path answers them with no call and no stack
 * frame (exits/exit_vmcall.c); hypercall() answers them through this too.
 */
static inline bool hypercall_read_only(const struct vm *vm, const uint64_t gpr[GPR_COUNT], uint64_t *result)
{
	/*
	 * EXIT_COUNT first, as one test: it is the hypercall guests make most (they count their
	 * exits), and VERSION, the null hypercall, mostly never gets here (hw/vmx_entry.h).
	 */
	if (gpr[GPR_RAX] == VEXIT_HC_EXIT_COUNT) {
		*result = gpr[GPR_RBX] < EXIT_REASON_MAX ? vm->vcpu.exit_counts[gpr[GPR_RBX]] : 0;
		return true;
	}
	switch (gpr[GPR_RAX]) {
	case VEXIT_HC_VERSION:
		*result = VEXIT_ABI_VERSION;
		return true;
	case VEXIT_HC_CHECKSUM:
		*result = gpr[GPR_RBX] + 2 * gpr[GPR_RCX] + 3 * gpr[GPR_RDX] + 4 * gpr[GPR_RSI];
		return true;
	case VEXIT_HC_IO_UNCLAIMED:
		*result = vm->bus.unclaimed_reads + vm->bus.unclaimed_writes;
		return true;
	default:
		return false;
	}
}

#endif
