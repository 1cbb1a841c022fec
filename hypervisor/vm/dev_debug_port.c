/* The debug port (vm/devices.h): the guest's bytes become `VEXIT guest <name> <line>` lines. */
#include "kernel/console.h"
#include "vm/devices.h"
#include "vm/vm.h"

struct debug_port {
	const struct vm *vm; /* whose name the lines carry */
	unsigned len;
	char line[DEBUG_LINE_MAX + 1];
};

char debug_port_printable(char c)
{
	return (unsigned char)c < 0x20 || (unsigned char)c >= 0x7f ? '?' : c;
}

/* Forward whatever the guest left without a final newline. */
static void debug_port_flush(void *state)
{
	struct debug_port *d = state;
	if (d->len == 0)
		return;
	d->line[d->len] = '\0';
	kprintf("VEXIT guest %s %s\n", d->vm->name, d->line);
	d->len = 0;
}

static void debug_port_putc(struct debug_port *d, char c)
{
	if (c == '\n') {
		debug_port_flush(d);
		return;
	}
	/* Keep protocol lines printable: control bytes become '?'; an overlong line is split. */
	d->line[d->len++] = debug_port_printable(c);
	if (d->len == DEBUG_LINE_MAX)
		debug_port_flush(d);
}

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
		debug_port_putc(state, (char)(value >> (8 * i)));
}

static const struct io_device debug_port = {
	.name = "debug-port",
	.read = debug_port_read,
	.write = debug_port_write,
	.stop = debug_port_flush,
};

bool debug_port_attach(struct vm *vm)
{
	struct debug_port *d = vm_device_state(vm, sizeof(*d));
	if (!d)
		return false;
	d->vm = vm;
	return io_bus_add(&vm->bus, &debug_port, d, DEBUG_PORT, 1);
}
