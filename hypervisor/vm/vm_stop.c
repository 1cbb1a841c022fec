#include "vm/vm.h"

#include <stdarg.h>

#include "kernel/fmt.h"

static const char *const stop_names[] = {
	[VM_RUNNING] = "running",
	[VM_STOP_DONE] = "done",
	[VM_STOP_HALTED] = "halted",
	[VM_STOP_TRIPLE_FAULT] = "triple-fault",
	[VM_STOP_BUDGET] = "budget",
	[VM_STOP_UNHANDLED_EXIT] = "unhandled-exit",
	[VM_STOP_EPT_VIOLATION] = "ept-violation",
	[VM_STOP_NMI] = "nmi",
	[VM_STOP_ENTRY_FAILED] = "entry-failed",
	[VM_STOP_BAD_IMAGE] = "bad-image",
	[VM_STOP_SKIPPED] = "skipped",
	[VM_STOP_POWER_OFF] = "power-off",
};

const char *vm_stop_name(enum vm_stop why)
{
	return why <= VM_STOP_LAST ? stop_names[why] : "unknown";
}

void vm_stop(struct vm *vm, enum vm_stop why, const char *fields_fmt, ...)
{
	if (vm->stop != VM_RUNNING)
		return;
	vm->stop = why;
	vm->vcpu.work |= WORK_AT_ENTRY; /* the exit path ends the VM before the next entry */
	va_list ap;
	va_start(ap, fields_fmt);
	fmt_vsnprintf(vm->stop_fields, sizeof(vm->stop_fields), fields_fmt, ap);
	va_end(ap);
}
