/* The exit trace a guest turns on with VEXIT_HC_TRACE (docs/protocol.md, exit-trace lines). */
#include "vm.h"

void vm_trace_exit(struct vm *vm)
{
	if (!vm->tracing)
		return;
	if (vm->n_trace == VM_TRACE_MAX) {
		vm->trace_dropped++;
		return;
	}
	vm->trace[vm->n_trace].reason = (uint16_t)EXIT_REASON_BASIC(vm->vcpu.exit_reason);
	vm->trace[vm->n_trace].qualification = vm->vcpu.exit_qualification;
	vm->n_trace++;
}
