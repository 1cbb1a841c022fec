/*
 * isa-debug-exit at 0xF4 for external kernels (vm/devices.h), as QEMU's device
 * of that name: a write of V ends the machine, and QEMU's process then exits
 * with (V << 1) | 1, of which a shell sees the low 8 bits. Here the VM ends
 * `done` with status=V and that exit status beside it, so a kernel's own
 * verdict reads the same as under QEMU (kvm-unit-tests: 1 = all passed).
 */
#include "vm/devices.h"
#include "vm/vm.h"

static void isa_debug_exit_write(void *state, uint16_t port, unsigned size, uint32_t value)
{
	(void)port;
	uint32_t v = size == 4 ? value : value & ((1u << (8 * size)) - 1);
	vm_stop(state, VM_STOP_DONE, "status=%u exit-code=%u", v, ((v << 1) | 1) & 0xff);
}

static const struct io_device isa_debug_exit = {
	.name = "isa-debug-exit",
	.read = 0, /* QEMU's reads float too */
	.write = isa_debug_exit_write,
};

bool isa_debug_exit_attach(struct vm *vm)
{
	return io_bus_add(&vm->bus, &isa_debug_exit, vm, ISA_DEBUG_EXIT_PORT, 1);
}
