/* The debug port (vm/devices.h): the guest's bytes become `VEXIT guest <name> <line>` lines. */
#include "vm/devices.h"
#include "vm/guest_line.h"
#include "vm/vm.h"

static uint32_t debug_port_read(void *state, uint16_t port, unsigned size)
{
	(void)state;
	(void)port;
	(void)size;
	return DEBUG_PORT;
}

static void debug_port_write(void *state, uint16_t port, unsigned size, uint32_t value)
{
	(void)port;
	/* A wider OUT writes its bytes in order, low byte first. */
	for (unsigned i = 0; i < size; i++)
		guest_line_putc(state, (char)(value >> (8 * i)));
}

static void debug_port_stop(void *state)
{
	guest_line_flush(state);
}

static const struct io_device debug_port = {
	.name = "debug-port",
	.read = debug_port_read,
	.write = debug_port_write,
	.stop = debug_port_stop,
};

bool debug_port_attach(struct vm *vm)
{
	struct guest_line *l = vm_device_state(vm, sizeof(*l));
	if (!l)
		return false;
	guest_line_init(l, vm, "guest", false);
	return io_bus_add(&vm->bus, &debug_port, l, DEBUG_PORT, 1);
}
