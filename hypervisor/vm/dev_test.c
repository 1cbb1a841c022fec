/*
 * The test device: sixteen byte-addressed ports. An access of size s at port
 * p touches bytes p..p+s-1 of the register file, so 1-, 2- and 4-byte and
 * unaligned accesses all have one obvious meaning. A byte past the device
 * reads as 0xff (floating) and ignores writes.
 */
#include "vm/devices.h"
#include "vm/vm.h"

struct test_device {
	uint32_t latch; /* byte i is port TEST_DEVICE_PORT + i */
	uint32_t accesses;
};

/* The bytes of an access of size at byte offset off, within one register: a mask over the register. */
static uint32_t window(unsigned off, unsigned size)
{
	return (size == 4 ? 0xffffffffu : (1u << (8 * size)) - 1) << (8 * (off & 3));
}

/* The 4-byte register at offset reg (a multiple of 4); past the device, floating. */
static uint32_t test_device_register(const struct test_device *t, unsigned reg)
{
	switch (reg) {
	case TEST_DEVICE_LATCH:
		return t->latch;
	case TEST_DEVICE_INVERTED:
		return ~t->latch;
	case TEST_DEVICE_ID:
		return TEST_DEVICE_ID_VALUE;
	case TEST_DEVICE_ACCESSES:
		return t->accesses;
	default:
		return 0xffffffffu;
	}
}

static uint8_t test_device_byte(const struct test_device *t, unsigned off)
{
	return (uint8_t)(test_device_register(t, off & ~3u) >> (8 * (off & 3)));
}

static uint32_t test_device_read(void *state, uint16_t port, unsigned size)
{
	struct test_device *t = state;
	unsigned off = (unsigned)(port - TEST_DEVICE_PORT);
	uint32_t v = 0;
	if ((off & 3) + size <= 4) {
		/* Within one register (every aligned access): one mask and shift, no byte loop. */
		v = (test_device_register(t, off & ~3u) & window(off, size)) >> (8 * (off & 3));
	} else {
		for (unsigned i = 0; i < size; i++)
			v |= (uint32_t)test_device_byte(t, off + i) << (8 * i);
	}
	t->accesses++;
	return v;
}

static void test_device_write(void *state, uint16_t port, unsigned size, uint32_t value)
{
	struct test_device *t = state;
	unsigned off = (unsigned)(port - TEST_DEVICE_PORT);
	if (off + size <= TEST_DEVICE_LATCH + 4) {
		/* Within the latch (every write the guests make): one masked store. */
		uint32_t w = window(off, size);
		t->latch = (t->latch & ~w) | ((value << (8 * off)) & w);
	} else {
		for (unsigned i = 0; i < size; i++, off++)
			if (off < TEST_DEVICE_LATCH + 4)
				t->latch = (t->latch & ~(0xffu << (8 * off))) | (uint32_t)(uint8_t)(value >> (8 * i)) << (8 * off);
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
