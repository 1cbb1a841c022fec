/*
 * The test device: sixteen byte-addressed ports. An access of size s at port
 * p touches bytes p..p+s-1 of the register file, so 1-, 2- and 4-byte and
 * unaligned accesses all have one obvious meaning. A byte past the device
 * reads as 0xff (floating) and ignores writes.
 */
#include "vm/devices.h"
#include "vm/vm.h"

struct test_device {
	uint8_t latch[4];
	uint32_t accesses;
};

static uint8_t test_device_byte(const struct test_device *t, unsigned off)
{
	uint32_t latch = (uint32_t)t->latch[0] | (uint32_t)t->latch[1] << 8 | (uint32_t)t->latch[2] << 16 |
			 (uint32_t)t->latch[3] << 24;
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
		reg = t->accesses;
		break;
	default:
		return 0xff;
	}
	return (uint8_t)(reg >> (8 * (off & 3)));
}

static uint32_t test_device_read(void *state, uint16_t port, unsigned size)
{
	struct test_device *t = state;
	uint32_t v = 0;
	for (unsigned i = 0; i < size; i++)
		v |= (uint32_t)test_device_byte(t, (unsigned)(port - TEST_DEVICE_PORT) + i) << (8 * i);
	t->accesses++;
	return v;
}

static void test_device_write(void *state, uint16_t port, unsigned size, uint32_t value)
{
	struct test_device *t = state;
	for (unsigned i = 0; i < size; i++) {
		unsigned off = (unsigned)(port - TEST_DEVICE_PORT) + i;
		if (off < TEST_DEVICE_LATCH + 4)
			t->latch[off] = (uint8_t)(value >> (8 * i));
	}
	t->accesses++;
}

static const struct io_device test_device = {
	.name = "test-device",
	.read = test_device_read,
	.write = test_device_write,
};

bool test_device_attach(struct vm *vm)
{
	struct test_device *t = vm_device_state(vm, sizeof(*t));
	return t && io_bus_add(&vm->bus, &test_device, t, TEST_DEVICE_PORT, TEST_DEVICE_PORTS);
}
