#include "hypercall.h"

#include "entry_break.h"
#include "guest_mem.h"
#include "vexit_abi.h"
#include "vm.h"

/* VEXIT_HC_BREAK_STATE: the name is read from guest memory (identity-mapped in every guest). */
static uint64_t break_state(struct vm *vm, uint64_t gpa)
{
	char name[VEXIT_BREAK_NAME_MAX];
	for (unsigned n = 0; n < sizeof(name); n++) {
		if (!guest_mem_read(vm, gpa + n, &name[n], 1))
			return VEXIT_HC_EINVAL;
		if (name[n] == '\0') {
			unsigned which = entry_break_find(name, n);
			if (!which)
				return VEXIT_HC_EINVAL;
			vm->dbg.break_pending = which;
			return 0;
		}
	}
	return VEXIT_HC_EINVAL;
}

uint64_t hypercall(struct vm *vm, uint64_t nr, const uint64_t args[4])
{
	switch (nr) {
	case VEXIT_HC_VERSION:
		return VEXIT_ABI_VERSION;
	case VEXIT_HC_EXIT_COUNT:
		return args[0] < EXIT_REASON_MAX ? vm->vcpu.exit_counts[args[0]] : 0;
	case VEXIT_HC_CHECKSUM:
		return args[0] + 2 * args[1] + 3 * args[2] + 4 * args[3];
	case VEXIT_HC_BREAK_STATE:
		return break_state(vm, args[0]);
	case VEXIT_HC_VMCS_DUMP:
		vm->dbg.dump_pending = true;
		return 0;
	default:
		return VEXIT_HC_ENOSYS;
	}
}
