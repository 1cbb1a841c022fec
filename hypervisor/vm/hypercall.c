#include "hypercall.h"

#include "vexit_abi.h"
#include "vm.h"

uint64_t hypercall(struct vm *vm, uint64_t nr, const uint64_t args[4])
{
	switch (nr) {
	case VEXIT_HC_VERSION:
		return VEXIT_ABI_VERSION;
	case VEXIT_HC_EXIT_COUNT:
		return args[0] < EXIT_REASON_MAX ? vm->vcpu.exit_counts[args[0]] : 0;
	case VEXIT_HC_CHECKSUM:
		return args[0] + 2 * args[1] + 3 * args[2] + 4 * args[3];
	default:
		return VEXIT_HC_ENOSYS;
	}
}
