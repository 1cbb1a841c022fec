#include "console.h"
#include "devices.h"
#include "vm.h"

void debug_port_flush(struct vm *vm)
{
	if (vm->debug_line_len == 0)
		return;
	vm->debug_line[vm->debug_line_len] = '\0';
	kprintf("VEXIT guest %s %s\n", vm->name, vm->debug_line);
	vm->debug_line_len = 0;
}

char debug_port_printable(char c)
{
	return (unsigned char)c < 0x20 || (unsigned char)c >= 0x7f ? '?' : c;
}

static void debug_port_putc(struct vm *vm, char c)
{
	if (c == '\n') {
		debug_port_flush(vm);
		return;
	}
	/* Keep protocol lines printable: control bytes become '?'; an overlong line is split. */
	c = debug_port_printable(c);
	vm->debug_line[vm->debug_line_len++] = c;
	if (vm->debug_line_len == DEBUG_LINE_MAX)
		debug_port_flush(vm);
}

static uint32_t debug_port_read(struct vm *vm, uint16_t port, unsigned size)
{
	(void)vm;
	(void)port;
	(void)size;
	return DEBUG_PORT;
}

static void debug_port_write(struct vm *vm, uint16_t port, unsigned size, uint32_t value)
{
	(void)port;
	/* A wider OUT writes its bytes in order, low byte first. */
	for (unsigned i = 0; i < size; i++)
		debug_port_putc(vm, (char)(value >> (8 * i)));
}

const struct io_device debug_port_device = {
	.name = "debug-port",
	.first_port = DEBUG_PORT,
	.port_count = 1,
	.read = debug_port_read,
	.write = debug_port_write,
};
