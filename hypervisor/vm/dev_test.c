/*
 * The test device: sixteen byte-addressed ports. An access of size s at port
 * p touches bytes p..p+s-1 of the register file, so 1-, 2- and 4-byte and
 * unaligned accesses all have one obvious meaning. A byte past the device
 * reads as 0xff (floating) and ignores writes.
 */
#include "devices.h"
#include "vm.h"

static uint8_t test_device_byte(const struct vm *vm, unsigned off)
{
	uint32_t latch = (uint32_t)vm->test_latch[0] | (uint32_t)vm->test_latch[1] << 8 |
			 (uint32_t)vm->test_latch[2] << 16 | (uint32_t)vm->test_latch[3] << 24;
	uint32_t reg;
	switch (off & ~3u) {
	case TEST_DEVICE_LATCH:
		reg = latch;
		break;
	case TEST_DEVICE_INVERTED:
		reg = ~latch;
		break;
	case TEST_DEVICE_ID:
		reg = TEST_DEVICE_ID_VALUE;
		break;
	case TEST_DEVICE_ACCESSES:
		reg = vm->test_accesses;
		break;
	default:
		return 0xff;
	}
	return (uint8_t)(reg >> (8 * (off & 3)));
}

static uint32_t test_device_read(struct vm *vm, uint16_t port, unsigned size)
{
	uint32_t v = 0;
	for (unsigned i = 0; i < size; i++)
		v |= (uint32_t)test_device_byte(vm, (unsigned)(port - TEST_DEVICE_PORT) + i) << (8 * i);
	vm->test_accesses++;
	return v;
}

static void test_device_write(struct vm *vm, uint16_t port, unsigned size, uint32_t value)
{
	for (unsigned i = 0; i < size; i++) {
		unsigned off = (unsigned)(port - TEST_DEVICE_PORT) + i;
		if (off < TEST_DEVICE_LATCH + 4)
			vm->test_latch[off] = (uint8_t)(value >> (8 * i));
	}
	vm->test_accesses++;
}

const struct io_device test_device = {
	.name = "test-device",
	.first_port = TEST_DEVICE_PORT,
	.port_count = TEST_DEVICE_PORTS,
	.read = test_device_read,
	.write = test_device_write,
};
