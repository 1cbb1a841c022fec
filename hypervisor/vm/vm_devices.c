/*
 * The devices a VM gets by its kind, and the arena their state lives in. Adding
 * a device is a file of its own (vm/dev_*.c) and one line in vm_devices[] below.
 */
#include "kernel/kstring.h"
#include "vm/devices.h"
#include "vm/vm.h"

static const struct {
	const char *name;
	enum vm_kind kind;
	bool (*attach)(struct vm *vm);
} vm_devices[] = {
	{ "debug-port", VM_TEST_GUEST, debug_port_attach },
	{ "exit-port", VM_TEST_GUEST, exit_port_attach },
	{ "test-device", VM_TEST_GUEST, test_device_attach },
	{ "uart", VM_EXTERNAL_KERNEL, uart_attach },
	{ "isa-debug-exit", VM_EXTERNAL_KERNEL, isa_debug_exit_attach },
	{ "power-off", VM_EXTERNAL_KERNEL, power_off_attach },
	{ "fw-cfg", VM_EXTERNAL_KERNEL, fw_cfg_attach },
	{ "pm-timer", VM_EXTERNAL_KERNEL, pm_timer_attach },
	{ "pic", VM_EXTERNAL_KERNEL, pic_attach },
	{ "pit", VM_EXTERNAL_KERNEL, pit_attach }, /* after the PIC: its IRQ0 goes there */
};

void *vm_device_state(struct vm *vm, size_t size)
{
	size_t at = (vm->device_state_used + 7) & ~(size_t)7;
	if (size > sizeof(vm->device_state) - at)
		return 0;
	vm->device_state_used = at + size;
	return memset(&vm->device_state[at], 0, size);
}

bool vm_attach_devices(struct vm *vm, const char **failed)
{
	for (unsigned i = 0; i < sizeof(vm_devices) / sizeof(vm_devices[0]); i++) {
		if (vm_devices[i].kind != vm->kind)
			continue;
		if (!vm_devices[i].attach(vm)) {
			*failed = vm_devices[i].name;
			return false;
		}
	}
	return true;
}
