/* The exit port (vm/devices.h): a write ends the VM with the value as its status. */
#include "vm/devices.h"
#include "vm/vm.h"

static void exit_port_write(void *state, uint16_t port, unsigned size, uint32_t value)
{
	(void)port;
	(void)size;
	vm_stop(state, VM_STOP_DONE, "status=%u", value);
}

static const struct io_device exit_port = {
	.name = "exit-port",
	.read = 0, /* reads float (all-ones), like an absent device */
	.write = exit_port_write,
};

bool exit_port_attach(struct vm *vm)
{
	/* Its only state is the VM it stops. */
	return io_bus_add(&vm->bus, &exit_port, vm, EXIT_PORT, 1);
}
