/*
 * Unit tests of hypervisor/vm/io_bus.c and the devices every VM gets
 * (hypervisor/vm/dev_test.c, dev_debug_port.c, dev_exit_port.c, attached by
 * vm_devices.c): port routing with each device's own state, the floating bus,
 * the test device's registers, the debug port's line buffering into
 * `VEXIT guest <name> <text>` lines (captured from the fake kprintf of
 * hv_host_fakes.c), and the exit port's stop. The devices are reached only
 * through the bus, as the exit handlers reach them.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hv_host_fakes.h"
#include "run_suite.h"
#include "vm/devices.h"
#include "vm/io_bus.h"
#include "vm/vm.h"

static struct vm *vm;

/* A VM with its devices on the bus, as vm_create attaches them. */
static void setup(void)
{
	vm = calloc(1, sizeof(*vm));
	ck_assert_ptr_nonnull(vm);
	strcpy(vm->name, "unit");
	const char *failed = NULL;
	ck_assert(vm_attach_devices(vm, &failed));
	ck_assert_ptr_null(failed);
	hv_fake_output_reset();
}

static void teardown(void)
{
	free(vm);
	vm = NULL;
}

/* --- the bus, with dummy devices that record what reaches them in their own state ------- */

struct dummy {
	uint32_t tag;
	uint32_t last_read_port, last_write_port, last_write_value;
	unsigned last_size, stops;
};

static uint32_t dummy_read(void *state, uint16_t port, unsigned size)
{
	struct dummy *d = state;
	d->last_read_port = port;
	d->last_size = size;
	return d->tag << 16 | port;
}

static void dummy_write(void *state, uint16_t port, unsigned size, uint32_t value)
{
	struct dummy *d = state;
	d->last_write_port = port;
	d->last_size = size;
	d->last_write_value = value;
}

static void dummy_stop(void *state)
{
	((struct dummy *)state)->stops++;
}

static const struct io_device dummy_dev = { .name = "dummy", .read = dummy_read, .write = dummy_write };

static struct io_bus *empty_bus(void)
{
	static struct io_bus bus;
	memset(&bus, 0, sizeof(bus));
	return &bus;
}

/* The state of the entry claiming port, or NULL. */
static void *state_at(const struct io_bus *bus, uint16_t port)
{
	const struct io_bus_entry *e = io_bus_find(bus, port);
	return e ? e->state : NULL;
}

START_TEST(test_add_and_find)
{
	struct io_bus *bus = empty_bus();
	struct dummy a = { .tag = 0xaaaa }, b = { .tag = 0xbbbb }, c = { .tag = 0xcccc };
	ck_assert(io_bus_add(bus, &dummy_dev, &a, 0x100, 8));
	ck_assert(io_bus_add(bus, &dummy_dev, &b, 0x108, 1)); /* adjacent, not overlapping */
	ck_assert(io_bus_add(bus, &dummy_dev, &c, 0x3f8, 8));
	ck_assert_uint_eq(bus->n_devices, 3);
	ck_assert_ptr_eq(state_at(bus, 0x100), &a);
	ck_assert_ptr_eq(state_at(bus, 0x107), &a);
	ck_assert_ptr_eq(state_at(bus, 0x108), &b);
	ck_assert_ptr_null(io_bus_find(bus, 0x109));
	ck_assert_ptr_null(io_bus_find(bus, 0xff));
	ck_assert_ptr_eq(state_at(bus, 0x3ff), &c);
	ck_assert_ptr_eq(io_bus_find(bus, 0x3ff)->dev, &dummy_dev);
	ck_assert_ptr_null(io_bus_find(bus, 0x400));
	ck_assert_ptr_null(io_bus_find(bus, 0));
	ck_assert_ptr_null(io_bus_find(bus, 0xffff));

	/* Reads and writes reach the device's own state with the absolute port and the size. */
	ck_assert_uint_eq(io_bus_read(bus, 0x104, 2), 0xaaaa0104u);
	ck_assert_uint_eq(a.last_read_port, 0x104);
	ck_assert_uint_eq(a.last_size, 2);
	ck_assert_uint_eq(io_bus_read(bus, 0x108, 1), 0xbbbb0108u);
	ck_assert_uint_eq(b.last_read_port, 0x108);
	io_bus_write(bus, 0x3f9, 4, 0xcafef00d);
	ck_assert_uint_eq(c.last_write_port, 0x3f9);
	ck_assert_uint_eq(c.last_size, 4);
	ck_assert_uint_eq(c.last_write_value, 0xcafef00d);
	ck_assert_uint_eq(a.last_write_value, 0); /* the others saw nothing */
	ck_assert_uint_eq(b.last_write_value, 0);
	ck_assert_uint_eq(bus->unclaimed_reads, 0);
	ck_assert_uint_eq(bus->unclaimed_writes, 0);
}
END_TEST

START_TEST(test_route_at_range_ends)
{
	/* Two devices side by side: each end of each range reaches its device, the ports around reach none. */
	struct io_bus *bus = empty_bus();
	struct dummy a = { .tag = 0xa }, b = { .tag = 0xb };
	ck_assert(io_bus_add(bus, &dummy_dev, &a, 0x5000, 0x10));
	ck_assert(io_bus_add(bus, &dummy_dev, &b, 0x5010, 1));
	ck_assert_uint_eq(io_bus_read(bus, 0x4fff, 4), 0xffffffffu);
	ck_assert_uint_eq(io_bus_read(bus, 0x5000, 4), 0xa5000u);
	ck_assert_uint_eq(io_bus_read(bus, 0x500f, 2), 0xa500fu);
	ck_assert_uint_eq(io_bus_read(bus, 0x5010, 1), 0xb5010u);
	ck_assert_uint_eq(io_bus_read(bus, 0x5011, 1), 0xff);
	ck_assert_uint_eq(bus->unclaimed_reads, 2);
	io_bus_write(bus, 0x500f, 1, 0x0f);
	ck_assert_uint_eq(a.last_write_port, 0x500f);
	io_bus_write(bus, 0x5010, 4, 0x10);
	ck_assert_uint_eq(b.last_write_port, 0x5010);
	ck_assert_uint_eq(b.last_size, 4);
	io_bus_write(bus, 0x4fff, 1, 1);
	io_bus_write(bus, 0x5011, 1, 1);
	ck_assert_uint_eq(bus->unclaimed_writes, 2);
	ck_assert_uint_eq(a.last_write_value, 0x0f); /* the unclaimed writes reached neither */
	ck_assert_uint_eq(b.last_write_value, 0x10);
}
END_TEST

START_TEST(test_one_device_kind_many_states)
{
	/* One struct io_device serves several instances; each access reaches the instance at that port. */
	struct io_bus *bus = empty_bus();
	struct dummy d[3] = { { .tag = 1 }, { .tag = 2 }, { .tag = 3 } };
	for (unsigned i = 0; i < 3; i++)
		ck_assert(io_bus_add(bus, &dummy_dev, &d[i], (uint16_t)(0x2f8 + 0x100 * i), 8));
	io_bus_write(bus, 0x3fa, 1, 0x55);
	ck_assert_uint_eq(d[1].last_write_value, 0x55);
	ck_assert_uint_eq(d[0].last_write_value | d[2].last_write_value, 0);
	ck_assert_uint_eq(io_bus_read(bus, 0x4f8, 1), 0x304f8u);
}
END_TEST

START_TEST(test_overlap_rejected)
{
	struct io_bus *bus = empty_bus();
	struct dummy a = { 0 }, other = { 0 }, below = { 0 };
	ck_assert(io_bus_add(bus, &dummy_dev, &a, 0x100, 8));
	ck_assert(!io_bus_add(bus, &dummy_dev, &other, 0x102, 2));  /* inside */
	ck_assert(!io_bus_add(bus, &dummy_dev, &other, 0xf8, 9));   /* overlaps the left end */
	ck_assert(!io_bus_add(bus, &dummy_dev, &other, 0x107, 4));  /* overlaps the right end */
	ck_assert(!io_bus_add(bus, &dummy_dev, &other, 0x0, 0x1000)); /* around */
	ck_assert(!io_bus_add(bus, &dummy_dev, &other, 0x100, 8));  /* the same range */
	ck_assert(!io_bus_add(bus, &dummy_dev, &a, 0x100, 8));      /* the same device twice */
	ck_assert_uint_eq(bus->n_devices, 1);
	/* A refused range claims none of its ports, not even those outside the overlap. */
	ck_assert_ptr_null(io_bus_find(bus, 0xf8));
	ck_assert_ptr_null(io_bus_find(bus, 0x10a));
	ck_assert_uint_eq(io_bus_read(bus, 0x10a, 1), 0xff);
	ck_assert_uint_eq(bus->unclaimed_reads, 1);
	ck_assert(io_bus_add(bus, &dummy_dev, &below, 0xf8, 8)); /* ends right where a starts */
	ck_assert_ptr_eq(state_at(bus, 0xff), &below);
	ck_assert_ptr_eq(state_at(bus, 0x100), &a);
}
END_TEST

START_TEST(test_port_range_edges)
{
	struct io_bus *bus = empty_bus();
	struct dummy last = { 0 }, zero = { 0 }, other = { 0 };
	ck_assert(!io_bus_add(bus, &dummy_dev, &other, 0x200, 0));      /* empty */
	ck_assert(!io_bus_add(bus, &dummy_dev, &other, 0xffff, 2));     /* would run past port 0xffff */
	ck_assert(!io_bus_add(bus, &dummy_dev, &other, 0xfff0, 0xffff)); /* would wrap */
	ck_assert_uint_eq(bus->n_devices, 0);
	ck_assert_ptr_null(io_bus_find(bus, 0x200));
	ck_assert(io_bus_add(bus, &dummy_dev, &last, 0xffff, 1));
	ck_assert(io_bus_add(bus, &dummy_dev, &zero, 0, 1));
	ck_assert_ptr_eq(state_at(bus, 0xffff), &last);
	ck_assert_ptr_eq(state_at(bus, 0), &zero);
	ck_assert_ptr_null(io_bus_find(bus, 1));
	ck_assert_ptr_null(io_bus_find(bus, 0xfffe));
	/* A device covering the whole port space but the last port is legal on an empty bus. */
	struct io_bus *all_bus = empty_bus();
	struct dummy all = { 0 };
	ck_assert(io_bus_add(all_bus, &dummy_dev, &all, 0, 0xffff));
	ck_assert_ptr_eq(state_at(all_bus, 0xfffe), &all);
	ck_assert_ptr_null(io_bus_find(all_bus, 0xffff));
	/* ...and the last port beside it: the whole port space claimed, each port by its own. */
	ck_assert(io_bus_add(all_bus, &dummy_dev, &last, 0xffff, 1));
	ck_assert_ptr_eq(state_at(all_bus, 0xffff), &last);
	ck_assert_ptr_eq(state_at(all_bus, 0), &all);
	ck_assert_ptr_eq(state_at(all_bus, 0xfffe), &all);
}
END_TEST

START_TEST(test_bus_full)
{
	struct io_bus *bus = empty_bus();
	struct dummy d[IO_BUS_MAX_DEVICES + 1];
	memset(d, 0, sizeof(d));
	for (unsigned i = 0; i < IO_BUS_MAX_DEVICES; i++)
		ck_assert(io_bus_add(bus, &dummy_dev, &d[i], (uint16_t)(0x1000 + 0x10 * i), 0x10));
	ck_assert(!io_bus_add(bus, &dummy_dev, &d[IO_BUS_MAX_DEVICES], 0x1000 + 0x10 * IO_BUS_MAX_DEVICES, 0x10));
	ck_assert_uint_eq(bus->n_devices, IO_BUS_MAX_DEVICES);
	ck_assert_ptr_eq(state_at(bus, 0x1000 + 0x10 * (IO_BUS_MAX_DEVICES - 1)), &d[IO_BUS_MAX_DEVICES - 1]);
	ck_assert_ptr_null(io_bus_find(bus, 0x1000 + 0x10 * IO_BUS_MAX_DEVICES));
}
END_TEST

START_TEST(test_missing_ops)
{
	/* A device without read floats like an absent one; without write, writes are dropped; both counted. */
	static const struct io_device mute = { .name = "mute" };
	struct io_bus *bus = empty_bus();
	struct dummy d = { 0 };
	ck_assert(io_bus_add(bus, &mute, &d, 0x60, 1));
	ck_assert_uint_eq(io_bus_read(bus, 0x60, 2), 0xffff);
	io_bus_write(bus, 0x60, 1, 1);
	ck_assert_uint_eq(bus->unclaimed_reads, 1);
	ck_assert_uint_eq(bus->unclaimed_writes, 1);
	io_bus_stop(bus); /* no stop op: nothing to call */
}
END_TEST

START_TEST(test_stop_in_order_with_state)
{
	static const struct io_device stopping = { .name = "stopping", .read = dummy_read, .stop = dummy_stop };
	struct io_bus *bus = empty_bus();
	struct dummy a = { 0 }, b = { 0 }, c = { 0 };
	ck_assert(io_bus_add(bus, &stopping, &a, 0x10, 1));
	ck_assert(io_bus_add(bus, &dummy_dev, &b, 0x20, 1)); /* no stop op */
	ck_assert(io_bus_add(bus, &stopping, &c, 0x30, 1));
	io_bus_stop(bus);
	ck_assert_uint_eq(a.stops, 1);
	ck_assert_uint_eq(b.stops, 0);
	ck_assert_uint_eq(c.stops, 1);
}
END_TEST

START_TEST(test_unclaimed_ports_float)
{
	ck_assert_ptr_null(io_bus_find(&vm->bus, 0x80));
	ck_assert_uint_eq(io_bus_read(&vm->bus, 0x80, 1), 0xff);
	ck_assert_uint_eq(io_bus_read(&vm->bus, 0x80, 2), 0xffff);
	ck_assert_uint_eq(io_bus_read(&vm->bus, 0x80, 4), 0xffffffffu);
	ck_assert_uint_eq(io_bus_read(&vm->bus, 0, 1), 0xff);
	ck_assert_uint_eq(io_bus_read(&vm->bus, 0xffff, 4), 0xffffffffu);
	/* Right next to the test device: still nobody there. */
	ck_assert_uint_eq(io_bus_read(&vm->bus, TEST_DEVICE_PORT - 1, 1), 0xff);
	ck_assert_uint_eq(io_bus_read(&vm->bus, TEST_DEVICE_PORT + TEST_DEVICE_PORTS, 2), 0xffff);
	ck_assert_uint_eq(vm->bus.unclaimed_reads, 7);
	io_bus_write(&vm->bus, 0x80, 1, 0x12);
	io_bus_write(&vm->bus, 0x5010, 4, 0x12345678);
	ck_assert_uint_eq(vm->bus.unclaimed_writes, 2);
	/* Unclaimed accesses are not test-device accesses (its counter reads 0), and print nothing. */
	ck_assert_uint_eq(io_bus_read(&vm->bus, TEST_DEVICE_PORT + TEST_DEVICE_ACCESSES, 4), 0);
	ck_assert_str_eq(hv_fake_output(), "");
	ck_assert_int_eq(vm->stop, VM_RUNNING);
}
END_TEST

START_TEST(test_standard_devices_placed)
{
	static const struct { uint16_t port; const char *name; } placed[] = {
		{ 0xe9, "debug-port" }, { 0xf4, "exit-port" }, { 0x5000, "test-device" }, { 0x500f, "test-device" },
	};
	for (unsigned i = 0; i < sizeof(placed) / sizeof(placed[0]); i++) {
		const struct io_bus_entry *e = io_bus_find(&vm->bus, placed[i].port);
		ck_assert_msg(e != NULL, "nothing at port 0x%x", placed[i].port);
		ck_assert_str_eq(e->dev->name, placed[i].name);
	}
	static const uint16_t empty[] = { 0xe8, 0xea, 0xf3, 0xf5, 0x4fff, 0x5010 };
	for (unsigned i = 0; i < sizeof(empty) / sizeof(empty[0]); i++)
		ck_assert_msg(io_bus_find(&vm->bus, empty[i]) == NULL, "port 0x%x claimed", empty[i]);
	/* The exit port's state is the VM it stops; the others keep theirs in the VM's arena, apart. */
	ck_assert_ptr_eq(state_at(&vm->bus, EXIT_PORT), vm);
	uint8_t *debug = state_at(&vm->bus, DEBUG_PORT), *test = state_at(&vm->bus, TEST_DEVICE_PORT);
	ck_assert(debug >= vm->device_state && debug < vm->device_state + vm->device_state_used);
	ck_assert(test >= vm->device_state && test < vm->device_state + vm->device_state_used);
	ck_assert_ptr_ne(debug, test);
	ck_assert_uint_le(vm->device_state_used, sizeof(vm->device_state));
	/* The ABI numbers guests are built with. */
	ck_assert_uint_eq(VEXIT_DEBUG_PORT, 0xe9);
	ck_assert_uint_eq(VEXIT_EXIT_PORT, 0xf4);
	ck_assert_uint_eq(VEXIT_TEST_DEVICE, 0x5000);
}
END_TEST

START_TEST(test_device_state_arena)
{
	struct vm *v = calloc(1, sizeof(*v));
	ck_assert_ptr_nonnull(v);
	memset(v->device_state, 0x5a, sizeof(v->device_state));
	uint8_t *a = vm_device_state(v, 3);
	uint8_t *b = vm_device_state(v, 16);
	ck_assert_ptr_eq(a, v->device_state);
	ck_assert_ptr_eq(b, v->device_state + 8); /* 8-byte aligned */
	for (unsigned i = 0; i < 16; i++)
		ck_assert_uint_eq(b[i], 0); /* zeroed */
	ck_assert_uint_eq(v->device_state[3], 0x5a); /* padding is not handed out */
	ck_assert_uint_eq(v->device_state_used, 24);
	/* Exactly the rest fits; one byte more does not, and changes nothing. */
	ck_assert_ptr_null(vm_device_state(v, sizeof(v->device_state) - 24 + 1));
	ck_assert_uint_eq(v->device_state_used, 24);
	ck_assert_ptr_eq(vm_device_state(v, sizeof(v->device_state) - 24), v->device_state + 24);
	ck_assert_ptr_null(vm_device_state(v, 1));
	free(v);
}
END_TEST

START_TEST(test_attach_failure_named)
{
	/* A bus with no room left: attaching names the first device that did not fit. */
	struct vm *v = calloc(1, sizeof(*v));
	ck_assert_ptr_nonnull(v);
	struct dummy d = { 0 };
	for (unsigned i = 0; i < IO_BUS_MAX_DEVICES; i++)
		ck_assert(io_bus_add(&v->bus, &dummy_dev, &d, (uint16_t)(0x1000 + i), 1));
	const char *failed = NULL;
	ck_assert(!vm_attach_devices(v, &failed));
	ck_assert_str_eq(failed, "debug-port");
	/* A full state arena: the first device that needs state fails. */
	memset(v, 0, sizeof(*v));
	v->device_state_used = sizeof(v->device_state);
	failed = NULL;
	ck_assert(!vm_attach_devices(v, &failed));
	ck_assert_str_eq(failed, "debug-port");
	free(v);
}
END_TEST

/* --- the test device ------------------------------------------------------------------- */

static uint32_t tin(uint16_t off, unsigned size)
{
	return io_bus_read(&vm->bus, (uint16_t)(TEST_DEVICE_PORT + off), size);
}

static void tout(uint16_t off, unsigned size, uint32_t v)
{
	io_bus_write(&vm->bus, (uint16_t)(TEST_DEVICE_PORT + off), size, v);
}

/* n accesses to the test device (writes to its read-only ID, which change nothing else). */
static void pump(uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		tout(TEST_DEVICE_ID, 1, 0);
}

START_TEST(test_device_id)
{
	ck_assert_uint_eq(tin(TEST_DEVICE_ID, 4), 0x31545856u);
	ck_assert_uint_eq(tin(TEST_DEVICE_ID, 4), VEXIT_TEST_ID_VALUE);
	/* Byte by byte it spells "VXT1" (little endian). */
	char id[5] = { 0 };
	for (unsigned i = 0; i < 4; i++)
		id[i] = (char)tin((uint16_t)(TEST_DEVICE_ID + i), 1);
	ck_assert_str_eq(id, "VXT1");
	ck_assert_uint_eq(tin(TEST_DEVICE_ID, 2), 0x5856);     /* "VX" */
	ck_assert_uint_eq(tin(TEST_DEVICE_ID + 2, 2), 0x3154); /* "T1" */
	ck_assert_uint_eq(tin(TEST_DEVICE_ID + 1, 2), 0x5458); /* "XT": unaligned */
	/* The ID is read-only. */
	tout(TEST_DEVICE_ID, 4, 0);
	ck_assert_uint_eq(tin(TEST_DEVICE_ID, 4), VEXIT_TEST_ID_VALUE);
}
END_TEST

START_TEST(test_device_latch_and_inverted)
{
	ck_assert_uint_eq(tin(TEST_DEVICE_LATCH, 4), 0);
	ck_assert_uint_eq(tin(TEST_DEVICE_INVERTED, 4), 0xffffffffu);
	tout(TEST_DEVICE_LATCH, 4, 0x12345678u);
	ck_assert_uint_eq(tin(TEST_DEVICE_LATCH, 4), 0x12345678u);
	ck_assert_uint_eq(tin(TEST_DEVICE_INVERTED, 4), ~0x12345678u);
	/* Narrow reads at every offset of the latch. */
	ck_assert_uint_eq(tin(TEST_DEVICE_LATCH + 0, 1), 0x78);
	ck_assert_uint_eq(tin(TEST_DEVICE_LATCH + 1, 1), 0x56);
	ck_assert_uint_eq(tin(TEST_DEVICE_LATCH + 2, 1), 0x34);
	ck_assert_uint_eq(tin(TEST_DEVICE_LATCH + 3, 1), 0x12);
	ck_assert_uint_eq(tin(TEST_DEVICE_LATCH + 0, 2), 0x5678);
	ck_assert_uint_eq(tin(TEST_DEVICE_LATCH + 2, 2), 0x1234);
	ck_assert_uint_eq(tin(TEST_DEVICE_INVERTED + 1, 1), 0xa9);
	ck_assert_uint_eq(tin(TEST_DEVICE_INVERTED + 2, 2), 0xedcb);
	/* A 4-byte read straddling latch and inverted: bytes 2,3 of latch then 0,1 of inverted. */
	ck_assert_uint_eq(tin(TEST_DEVICE_LATCH + 2, 4), 0xa9871234u);
	/* The inverted register is read-only. */
	tout(TEST_DEVICE_INVERTED, 4, 0);
	ck_assert_uint_eq(tin(TEST_DEVICE_LATCH, 4), 0x12345678u);
}
END_TEST

START_TEST(test_device_narrow_writes)
{
	tout(TEST_DEVICE_LATCH, 4, 0x11223344u);
	tout(TEST_DEVICE_LATCH + 1, 1, 0xab);
	ck_assert_uint_eq(tin(TEST_DEVICE_LATCH, 4), 0x1122ab44u);
	tout(TEST_DEVICE_LATCH + 2, 2, 0xcdef);
	ck_assert_uint_eq(tin(TEST_DEVICE_LATCH, 4), 0xcdefab44u);
	/* Only the low `size` bytes of the value are written. */
	tout(TEST_DEVICE_LATCH, 1, 0xffffff01u);
	ck_assert_uint_eq(tin(TEST_DEVICE_LATCH, 4), 0xcdefab01u);
	/* A write straddling the end of the latch keeps only the latch bytes. */
	tout(TEST_DEVICE_LATCH + 2, 4, 0x99887766u);
	ck_assert_uint_eq(tin(TEST_DEVICE_LATCH, 4), 0x7766ab01u);
	ck_assert_uint_eq(tin(TEST_DEVICE_INVERTED, 4), ~0x7766ab01u);
	ck_assert_uint_eq(tin(TEST_DEVICE_ID, 4), VEXIT_TEST_ID_VALUE);
	/* From the latch's last byte, of each size: one byte of the latch, the rest dropped. */
	tout(TEST_DEVICE_LATCH + 3, 4, 0x44332211u);
	ck_assert_uint_eq(tin(TEST_DEVICE_LATCH, 4), 0x1166ab01u);
	tout(TEST_DEVICE_LATCH + 3, 2, 0x5522u);
	ck_assert_uint_eq(tin(TEST_DEVICE_LATCH, 4), 0x2266ab01u);
	tout(TEST_DEVICE_LATCH + 3, 1, 0x33u);
	ck_assert_uint_eq(tin(TEST_DEVICE_LATCH, 4), 0x3366ab01u);
	ck_assert_uint_eq(tin(TEST_DEVICE_INVERTED, 4), ~0x3366ab01u);
	ck_assert_uint_eq(tin(TEST_DEVICE_INVERTED + 3, 2), 0x56cc); /* ~0x33, then the ID's "V" */
	ck_assert_uint_eq(tin(TEST_DEVICE_ID, 4), VEXIT_TEST_ID_VALUE);
	/* The inverted register's bytes are read-only, from each of its offsets. */
	for (uint16_t off = TEST_DEVICE_INVERTED; off < TEST_DEVICE_ID; off++)
		tout(off, 1, 0);
	ck_assert_uint_eq(tin(TEST_DEVICE_LATCH, 4), 0x3366ab01u);
	ck_assert_uint_eq(tin(TEST_DEVICE_INVERTED, 4), ~0x3366ab01u);
}
END_TEST

START_TEST(test_device_access_count)
{
	/* The count register reads the accesses before this one. */
	ck_assert_uint_eq(tin(TEST_DEVICE_ACCESSES, 4), 0);
	ck_assert_uint_eq(tin(TEST_DEVICE_ACCESSES, 4), 1);
	tout(TEST_DEVICE_LATCH, 4, 5);
	tout(TEST_DEVICE_LATCH, 1, 6);
	(void)tin(TEST_DEVICE_ID, 2);
	ck_assert_uint_eq(tin(TEST_DEVICE_ACCESSES, 4), 5);
	/* Each access counts once, whatever its size. */
	ck_assert_uint_eq(tin(TEST_DEVICE_ACCESSES, 1), 6);
	ck_assert_uint_eq(tin(TEST_DEVICE_ACCESSES, 2), 7);
	/* Writes to the count register are ignored but counted. */
	tout(TEST_DEVICE_ACCESSES, 4, 0);
	ck_assert_uint_eq(tin(TEST_DEVICE_ACCESSES, 4), 9);
	/* Other devices do not count. */
	io_bus_write(&vm->bus, DEBUG_PORT, 1, 'x');
	(void)io_bus_read(&vm->bus, DEBUG_PORT, 1);
	io_bus_write(&vm->bus, EXIT_PORT, 1, 0);
	ck_assert_uint_eq(tin(TEST_DEVICE_ACCESSES, 4), 10);
}
END_TEST

START_TEST(test_device_large_count_in_pieces)
{
	/* A count with all four bytes set reads back byte by byte. */
	pump(0x01020304);
	ck_assert_uint_eq(tin(TEST_DEVICE_ACCESSES + 3, 1), 0x01);
	ck_assert_uint_eq(tin(TEST_DEVICE_ACCESSES + 2, 1), 0x02);
	ck_assert_uint_eq(tin(TEST_DEVICE_ACCESSES + 1, 1), 0x03);
	ck_assert_uint_eq(tin(TEST_DEVICE_ACCESSES + 0, 1), 0x07);
	ck_assert_uint_eq(tin(TEST_DEVICE_ACCESSES, 4), 0x01020308u);
}
END_TEST

START_TEST(test_device_past_the_end_floats)
{
	pump(0x01b2c3d4);
	/* Bytes 0xe and 0xf are the count's top bytes; 0x10 and 0x11 are past the device: 0xff. */
	ck_assert_uint_eq(tin(0xe, 4), 0xffff01b2u);
	ck_assert_uint_eq(tin(0xf, 2), 0xff01);
	/* Writing there changes no register, and the device's state stays its own: the arena past it is untouched. */
	size_t used = vm->device_state_used;
	memset(vm->device_state + used, 0x5a, sizeof(vm->device_state) - used);
	tout(0xe, 4, 0);
	ck_assert_uint_eq(tin(TEST_DEVICE_LATCH, 4), 0);
	ck_assert_uint_eq(tin(TEST_DEVICE_ID, 4), VEXIT_TEST_ID_VALUE);
	ck_assert_uint_eq(tin(0xe, 2), 0x01b2);
	for (size_t i = used; i < sizeof(vm->device_state); i++)
		ck_assert_uint_eq(vm->device_state[i], 0x5a);
}
END_TEST

/* --- the debug port -------------------------------------------------------------------- */

static void dput(const char *s)
{
	for (; *s; s++)
		io_bus_write(&vm->bus, DEBUG_PORT, 1, (uint8_t)*s);
}

START_TEST(test_debug_port_line)
{
	dput("hello from a guest");
	ck_assert_str_eq(hv_fake_output(), ""); /* nothing until the newline */
	dput("\n");
	ck_assert_str_eq(hv_fake_output(), "VEXIT guest unit hello from a guest\n");
	ck_assert_uint_eq(hv_fake_output_calls(), 1);
	io_bus_stop(&vm->bus); /* the line buffer is empty after the newline */
	ck_assert_uint_eq(hv_fake_output_calls(), 1);
	dput("PASS one\nFAIL two: got 1 want 2\n");
	ck_assert_str_eq(hv_fake_output(), "VEXIT guest unit hello from a guest\n"
					   "VEXIT guest unit PASS one\n"
					   "VEXIT guest unit FAIL two: got 1 want 2\n");
}
END_TEST

START_TEST(test_debug_port_name_and_percent)
{
	strcpy(vm->name, "io_basic");
	dput("100% %s %d\n");
	ck_assert_str_eq(hv_fake_output(), "VEXIT guest io_basic 100% %s %d\n");
}
END_TEST

START_TEST(test_debug_port_empty_lines_dropped)
{
	dput("\n\n");
	ck_assert_str_eq(hv_fake_output(), "");
	io_bus_stop(&vm->bus);
	ck_assert_str_eq(hv_fake_output(), "");
	ck_assert_uint_eq(hv_fake_output_calls(), 0);
}
END_TEST

START_TEST(test_debug_port_flush_partial)
{
	/* The end of the VM (io_bus_stop) forwards what the guest left without a newline. */
	dput("no newline at the end");
	io_bus_stop(&vm->bus);
	ck_assert_str_eq(hv_fake_output(), "VEXIT guest unit no newline at the end\n");
	/* Flushed once: a second stop prints nothing more. */
	io_bus_stop(&vm->bus);
	ck_assert_uint_eq(hv_fake_output_calls(), 1);
	dput("next\n");
	ck_assert_str_eq(hv_fake_output(), "VEXIT guest unit no newline at the end\nVEXIT guest unit next\n");
}
END_TEST

START_TEST(test_debug_port_unprintable)
{
	const uint8_t bytes[] = { 'a', '\t', 'b', '\r', 0x00, 0x1b, 0x7f, 0x80, 0xff, '~', ' ', 'z', '\n' };
	for (size_t i = 0; i < sizeof(bytes); i++)
		io_bus_write(&vm->bus, DEBUG_PORT, 1, bytes[i]);
	ck_assert_str_eq(hv_fake_output(), "VEXIT guest unit a?b??????~ z\n");
	/* The same rule as the REPORT hypercall's. */
	ck_assert_int_eq(guest_line_printable('\t'), '?');
	ck_assert_int_eq(guest_line_printable('~'), '~');
	ck_assert_int_eq(guest_line_printable((char)0x80), '?');
}
END_TEST

START_TEST(test_debug_port_wide_writes)
{
	/* out dx, ax / out dx, eax: bytes go out low first. */
	io_bus_write(&vm->bus, DEBUG_PORT, 2, 'h' | 'i' << 8);
	io_bus_write(&vm->bus, DEBUG_PORT, 4, (uint32_t)' ' | 'o' << 8 | 'k' << 16 | (uint32_t)'\n' << 24);
	ck_assert_str_eq(hv_fake_output(), "VEXIT guest unit hi ok\n");
	hv_fake_output_reset();
	/* Only `size` bytes of the value are used. */
	io_bus_write(&vm->bus, DEBUG_PORT, 1, 0x41424344u);
	io_bus_write(&vm->bus, DEBUG_PORT, 1, '\n');
	ck_assert_str_eq(hv_fake_output(), "VEXIT guest unit D\n");
}
END_TEST

START_TEST(test_debug_port_long_line_split)
{
	char line[DEBUG_LINE_MAX + 51];
	memset(line, 'x', DEBUG_LINE_MAX + 50);
	line[DEBUG_LINE_MAX + 50] = '\0';
	dput(line);
	/* The first DEBUG_LINE_MAX bytes went out on their own line... */
	ck_assert_uint_eq(hv_fake_output_calls(), 1);
	char want[2 * DEBUG_LINE_MAX + 128];
	strcpy(want, "VEXIT guest unit ");
	memset(want + strlen(want), 'x', DEBUG_LINE_MAX);
	want[17 + DEBUG_LINE_MAX] = '\0';
	strcat(want, "\n");
	ck_assert_str_eq(hv_fake_output(), want);
	/* ...and the rest follows at the newline. */
	dput("\n");
	size_t len = strlen(want);
	strcat(want, "VEXIT guest unit ");
	memset(want + strlen(want), 'x', 50);
	want[len + 17 + 50] = '\0';
	strcat(want, "\n");
	ck_assert_str_eq(hv_fake_output(), want);
	ck_assert_uint_eq(hv_fake_output_calls(), 2);
}
END_TEST

START_TEST(test_debug_port_exact_max_line)
{
	/* A line of exactly DEBUG_LINE_MAX bytes then '\n' is one line, with no empty line after it. */
	char line[DEBUG_LINE_MAX + 2];
	memset(line, 'y', DEBUG_LINE_MAX);
	line[DEBUG_LINE_MAX] = '\n';
	line[DEBUG_LINE_MAX + 1] = '\0';
	dput(line);
	ck_assert_uint_eq(hv_fake_output_calls(), 1);
	ck_assert_uint_eq(strlen(hv_fake_output()), 17 + DEBUG_LINE_MAX + 1);
	io_bus_stop(&vm->bus); /* nothing left over: the split at DEBUG_LINE_MAX emptied the buffer */
	ck_assert_uint_eq(hv_fake_output_calls(), 1);
	dput("z\n");
	ck_assert_str_eq(hv_fake_output() + 17 + DEBUG_LINE_MAX + 1, "VEXIT guest unit z\n");
}
END_TEST

START_TEST(test_debug_port_read)
{
	ck_assert_uint_eq(io_bus_read(&vm->bus, DEBUG_PORT, 1), 0xe9);
	ck_assert_uint_eq(vm->bus.unclaimed_reads, 0);
	ck_assert_str_eq(hv_fake_output(), "");
}
END_TEST

/* --- the exit port --------------------------------------------------------------------- */

START_TEST(test_exit_port_stops)
{
	ck_assert_int_eq(vm->stop, VM_RUNNING);
	io_bus_write(&vm->bus, EXIT_PORT, 1, 7);
	ck_assert_int_eq(vm->stop, VM_STOP_DONE);
	ck_assert_str_eq(vm->stop_fields, "status=7");
	ck_assert_str_eq(vm_stop_name(vm->stop), "done");
}
END_TEST

START_TEST(test_exit_port_wide_status)
{
	io_bus_write(&vm->bus, EXIT_PORT, 4, 0xffffffffu);
	ck_assert_int_eq(vm->stop, VM_STOP_DONE);
	ck_assert_str_eq(vm->stop_fields, "status=4294967295");
}
END_TEST

START_TEST(test_exit_port_zero_and_first_stop_wins)
{
	io_bus_write(&vm->bus, EXIT_PORT, 1, 0);
	ck_assert_int_eq(vm->stop, VM_STOP_DONE);
	ck_assert_str_eq(vm->stop_fields, "status=0");
	io_bus_write(&vm->bus, EXIT_PORT, 1, 3);
	ck_assert_int_eq(vm->stop, VM_STOP_DONE);
	ck_assert_str_eq(vm->stop_fields, "status=0");
}
END_TEST

START_TEST(test_exit_port_after_other_stop)
{
	vm_stop(vm, VM_STOP_BUDGET, "budget=%lu", 100ul);
	io_bus_write(&vm->bus, EXIT_PORT, 1, 1);
	ck_assert_int_eq(vm->stop, VM_STOP_BUDGET);
	ck_assert_str_eq(vm->stop_fields, "budget=100");
}
END_TEST

START_TEST(test_exit_port_reads_float)
{
	ck_assert_uint_eq(io_bus_read(&vm->bus, EXIT_PORT, 1), 0xff);
	ck_assert_uint_eq(io_bus_read(&vm->bus, EXIT_PORT, 4), 0xffffffffu);
	ck_assert_uint_eq(vm->bus.unclaimed_reads, 2);
	ck_assert_int_eq(vm->stop, VM_RUNNING);
}
END_TEST

static Suite *io_bus_suite(void)
{
	Suite *s = suite_create("hv_io_bus");
	TCase *bus = tcase_create("bus");
	tcase_add_checked_fixture(bus, setup, teardown);
	tcase_add_test(bus, test_add_and_find);
	tcase_add_test(bus, test_route_at_range_ends);
	tcase_add_test(bus, test_one_device_kind_many_states);
	tcase_add_test(bus, test_overlap_rejected);
	tcase_add_test(bus, test_port_range_edges);
	tcase_add_test(bus, test_bus_full);
	tcase_add_test(bus, test_missing_ops);
	tcase_add_test(bus, test_stop_in_order_with_state);
	tcase_add_test(bus, test_unclaimed_ports_float);
	tcase_add_test(bus, test_standard_devices_placed);
	tcase_add_test(bus, test_device_state_arena);
	tcase_add_test(bus, test_attach_failure_named);
	suite_add_tcase(s, bus);
	TCase *td = tcase_create("test_device");
	tcase_add_checked_fixture(td, setup, teardown);
	tcase_add_test(td, test_device_id);
	tcase_add_test(td, test_device_latch_and_inverted);
	tcase_add_test(td, test_device_narrow_writes);
	tcase_add_test(td, test_device_access_count);
	tcase_add_test(td, test_device_large_count_in_pieces);
	tcase_add_test(td, test_device_past_the_end_floats);
	suite_add_tcase(s, td);
	TCase *dp = tcase_create("debug_port");
	tcase_add_checked_fixture(dp, setup, teardown);
	tcase_add_test(dp, test_debug_port_line);
	tcase_add_test(dp, test_debug_port_name_and_percent);
	tcase_add_test(dp, test_debug_port_empty_lines_dropped);
	tcase_add_test(dp, test_debug_port_flush_partial);
	tcase_add_test(dp, test_debug_port_unprintable);
	tcase_add_test(dp, test_debug_port_wide_writes);
	tcase_add_test(dp, test_debug_port_long_line_split);
	tcase_add_test(dp, test_debug_port_exact_max_line);
	tcase_add_test(dp, test_debug_port_read);
	suite_add_tcase(s, dp);
	TCase *ep = tcase_create("exit_port");
	tcase_add_checked_fixture(ep, setup, teardown);
	tcase_add_test(ep, test_exit_port_stops);
	tcase_add_test(ep, test_exit_port_wide_status);
	tcase_add_test(ep, test_exit_port_zero_and_first_stop_wins);
	tcase_add_test(ep, test_exit_port_after_other_stop);
	tcase_add_test(ep, test_exit_port_reads_float);
	suite_add_tcase(s, ep);
	return s;
}

int main(void)
{
	return run_suite(io_bus_suite(), CK_NORMAL);
}
