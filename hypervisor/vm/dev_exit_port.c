#include "devices.h"
#include "vm.h"

static void exit_port_write(struct vm *vm, uint16_t port, unsigned size, uint32_t value)
{
	(void)port;
	(void)size;
	vm_stop(vm, VM_STOP_DONE, "status=%u", value);
}

const struct io_device exit_port_device = {
	.name = "exit-port",
	.first_port = EXIT_PORT,
	.port_count = 1,
	.read = 0, /* reads float (all-ones), like an absent device */
	.write = exit_port_write,
};
