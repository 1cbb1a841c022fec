/*
 * The test device (docs/guest-abi.md): sixteen byte-addressed ports. An access of
 * size s at port p touches bytes p..p+s-1 of the register file, so 1-, 2- and 4-byte
 * and unaligned accesses all have one obvious meaning. A byte past the device reads
 * as 0xff (floating) and ignores writes.
 */
#include "vm/devices.h"
#include "vm/vm.h"

/* The bytes past the device an access of up to 4 bytes at its last port reads. */
#define TEST_DEVICE_PAST_END 3

struct test_device {
	/*
	 * The register file as a read sees it, kept so by every access: the latch, its
	 * inversion, the ID, the access count, then the floating bytes past the device.
	 * A read of any size at any port is then one load and a mask: 7 instructions, a
	 * write 14 (a register switch and a byte-lane merge took 32 and 26: bench/trace-exit.sh).
	 * x86 is little endian, as the device's bytes are: a 4-byte register is a uint32_t.
	 */
	uint8_t file[TEST_DEVICE_PORTS + TEST_DEVICE_PAST_END];
};

static uint32_t load32(const uint8_t *at)
{
	uint32_t v;
	__builtin_memcpy(&v, at, sizeof(v));
	return v;
}

static void store32(uint8_t *at, uint32_t v)
{
	__builtin_memcpy(at, &v, sizeof(v));
}

static void count_access(struct test_device *t)
{
	store32(t->file + TEST_DEVICE_ACCESSES, load32(t->file + TEST_DEVICE_ACCESSES) + 1);
}

static uint32_t test_device_read(void *state, uint16_t port, unsigned size)
{
	struct test_device *t = state;
	uint32_t v = load32(t->file + ((unsigned)port - TEST_DEVICE_PORT)) & io_size_mask[size];
	count_access(t); /* after the load: the count register reads the accesses before this one */
	return v;
}

static void test_device_write(void *state, uint16_t port, unsigned size, uint32_t value)
{
	struct test_device *t = state;
	unsigned off = (unsigned)port - TEST_DEVICE_PORT;
	if (off < TEST_DEVICE_LATCH + 4) {
		/* The bytes from off on; those past the latch (at most three: never the ID) fall in the
		 * inverted register, which is the latch's again right after. */
		if (size == 1)
			t->file[off] = (uint8_t)value;
		else if (size == 2)
			__builtin_memcpy(t->file + off, &(uint16_t){ (uint16_t)value }, 2);
		else
			store32(t->file + off, value);
		store32(t->file + TEST_DEVICE_INVERTED, ~load32(t->file + TEST_DEVICE_LATCH));
	}
	count_access(t);
}

static const struct io_device test_device = {
	.name = "test-device",
	.read = test_device_read,
	.write = test_device_write,
};

bool test_device_attach(struct vm *vm)
{
	struct test_device *t = vm_device_state(vm, sizeof(*t));
	if (!t)
		return false;
	store32(t->file + TEST_DEVICE_INVERTED, ~0u); /* the latch is 0 */
	store32(t->file + TEST_DEVICE_ID, TEST_DEVICE_ID_VALUE);
	for (unsigned i = TEST_DEVICE_PORTS; i < sizeof(t->file); i++)
		t->file[i] = 0xff;
	return io_bus_add(&vm->bus, &test_device, t, TEST_DEVICE_PORT, TEST_DEVICE_PORTS);
}
