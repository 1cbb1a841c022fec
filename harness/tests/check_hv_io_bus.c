/*
 * Unit tests of hypervisor/vm/io_bus.c and the devices every VM gets
 * (hypervisor/vm/dev_test.c, dev_debug_port.c, dev_exit_port.c): port
 * routing, the floating bus, the test device's registers, the debug port's
 * line buffering into `VEXIT guest <name> <text>` lines (captured from the
 * fake kprintf of hv_host_fakes.c), and the exit port's stop.
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

/* A VM with the three devices on its bus, as vm_run.c's vm_create builds it. */
static void setup(void)
{
	vm = calloc(1, sizeof(*vm));
	ck_assert_ptr_nonnull(vm);
	strcpy(vm->name, "unit");
	ck_assert(io_bus_add(&vm->bus, &debug_port_device));
	ck_assert(io_bus_add(&vm->bus, &exit_port_device));
	ck_assert(io_bus_add(&vm->bus, &test_device));
	hv_fake_output_reset();
}

static void teardown(void)
{
	free(vm);
	vm = NULL;
}

/* A bare bus and dummy devices for the routing tests. */
static uint32_t last_read_port, last_write_port, last_write_value;
static unsigned last_size;

static uint32_t dummy_read_a(struct vm *v, uint16_t port, unsigned size)
{
	(void)v;
	last_read_port = port;
	last_size = size;
	return 0xaaaa0000u | port;
}

static uint32_t dummy_read_b(struct vm *v, uint16_t port, unsigned size)
{
	(void)v;
	last_read_port = port;
	last_size = size;
	return 0xbbbb0000u | port;
}

static void dummy_write(struct vm *v, uint16_t port, unsigned size, uint32_t value)
{
	(void)v;
	last_write_port = port;
	last_size = size;
	last_write_value = value;
}

static struct io_device dev(const char *name, uint16_t first, uint16_t count)
{
	return (struct io_device){ .name = name, .first_port = first, .port_count = count,
				   .read = dummy_read_a, .write = dummy_write };
}

START_TEST(test_add_and_find)
{
	struct io_bus bus;
	memset(&bus, 0, sizeof(bus));
	struct io_device a = dev("a", 0x100, 8), b = dev("b", 0x108, 1), c = dev("c", 0x3f8, 8);
	b.read = dummy_read_b;
	ck_assert(io_bus_add(&bus, &a));
	ck_assert(io_bus_add(&bus, &b)); /* adjacent, not overlapping */
	ck_assert(io_bus_add(&bus, &c));
	ck_assert_uint_eq(bus.n_devices, 3);
	ck_assert_ptr_eq(io_bus_find(&bus, 0x100), &a);
	ck_assert_ptr_eq(io_bus_find(&bus, 0x107), &a);
	ck_assert_ptr_eq(io_bus_find(&bus, 0x108), &b);
	ck_assert_ptr_null(io_bus_find(&bus, 0x109));
	ck_assert_ptr_null(io_bus_find(&bus, 0xff));
	ck_assert_ptr_eq(io_bus_find(&bus, 0x3ff), &c);
	ck_assert_ptr_null(io_bus_find(&bus, 0x400));
	ck_assert_ptr_null(io_bus_find(&bus, 0));
	ck_assert_ptr_null(io_bus_find(&bus, 0xffff));

	/* Reads and writes reach the device with the absolute port and the size. */
	ck_assert_uint_eq(io_bus_read(NULL, &bus, 0x104, 2), 0xaaaa0104u);
	ck_assert_uint_eq(last_read_port, 0x104);
	ck_assert_uint_eq(last_size, 2);
	ck_assert_uint_eq(io_bus_read(NULL, &bus, 0x108, 1), 0xbbbb0108u);
	io_bus_write(NULL, &bus, 0x3f9, 4, 0xcafef00d);
	ck_assert_uint_eq(last_write_port, 0x3f9);
	ck_assert_uint_eq(last_size, 4);
	ck_assert_uint_eq(last_write_value, 0xcafef00d);
	ck_assert_uint_eq(bus.unclaimed_reads, 0);
	ck_assert_uint_eq(bus.unclaimed_writes, 0);
}
END_TEST

START_TEST(test_overlap_rejected)
{
	struct io_bus bus;
	memset(&bus, 0, sizeof(bus));
	struct io_device a = dev("a", 0x100, 8);
	struct io_device inside = dev("inside", 0x102, 2), left = dev("left", 0xf8, 9), right = dev("right", 0x107, 4),
			 around = dev("around", 0x0, 0x1000), same = dev("same", 0x100, 8);
	ck_assert(io_bus_add(&bus, &a));
	ck_assert(!io_bus_add(&bus, &inside));
	ck_assert(!io_bus_add(&bus, &left));
	ck_assert(!io_bus_add(&bus, &right));
	ck_assert(!io_bus_add(&bus, &around));
	ck_assert(!io_bus_add(&bus, &same));
	ck_assert(!io_bus_add(&bus, &a)); /* the same device twice */
	ck_assert_uint_eq(bus.n_devices, 1);
	struct io_device below = dev("below", 0xf8, 8);
	ck_assert(io_bus_add(&bus, &below)); /* ends right where a starts */
	ck_assert_ptr_eq(io_bus_find(&bus, 0xff), &below);
	ck_assert_ptr_eq(io_bus_find(&bus, 0x100), &a);
}
END_TEST

START_TEST(test_port_range_edges)
{
	struct io_bus bus;
	memset(&bus, 0, sizeof(bus));
	struct io_device empty = dev("empty", 0x200, 0), past = dev("past", 0xffff, 2), wrap = dev("wrap", 0xfff0, 0xffff);
	struct io_device last = dev("last", 0xffff, 1), zero = dev("zero", 0, 1);
	ck_assert(!io_bus_add(&bus, &empty));
	ck_assert(!io_bus_add(&bus, &past));   /* would run past port 0xffff */
	ck_assert(!io_bus_add(&bus, &wrap));
	ck_assert_uint_eq(bus.n_devices, 0);
	ck_assert_ptr_null(io_bus_find(&bus, 0x200));
	ck_assert(io_bus_add(&bus, &last));
	ck_assert(io_bus_add(&bus, &zero));
	ck_assert_ptr_eq(io_bus_find(&bus, 0xffff), &last);
	ck_assert_ptr_eq(io_bus_find(&bus, 0), &zero);
	ck_assert_ptr_null(io_bus_find(&bus, 1));
	ck_assert_ptr_null(io_bus_find(&bus, 0xfffe));
	/* A device covering the whole port space is legal on an empty bus. */
	struct io_bus all_bus;
	memset(&all_bus, 0, sizeof(all_bus));
	struct io_device all = dev("all", 0, 0xffff);
	ck_assert(io_bus_add(&all_bus, &all));
	ck_assert_ptr_eq(io_bus_find(&all_bus, 0xfffe), &all);
	ck_assert_ptr_null(io_bus_find(&all_bus, 0xffff));
}
END_TEST

START_TEST(test_bus_full)
{
	struct io_bus bus;
	memset(&bus, 0, sizeof(bus));
	struct io_device d[IO_BUS_MAX_DEVICES + 1];
	for (unsigned i = 0; i <= IO_BUS_MAX_DEVICES; i++)
		d[i] = dev("d", (uint16_t)(0x1000 + 0x10 * i), 0x10);
	for (unsigned i = 0; i < IO_BUS_MAX_DEVICES; i++)
		ck_assert(io_bus_add(&bus, &d[i]));
	ck_assert(!io_bus_add(&bus, &d[IO_BUS_MAX_DEVICES]));
	ck_assert_uint_eq(bus.n_devices, IO_BUS_MAX_DEVICES);
	ck_assert_ptr_eq(io_bus_find(&bus, 0x1000 + 0x10 * (IO_BUS_MAX_DEVICES - 1)), &d[IO_BUS_MAX_DEVICES - 1]);
	ck_assert_ptr_null(io_bus_find(&bus, 0x1000 + 0x10 * IO_BUS_MAX_DEVICES));
}
END_TEST

START_TEST(test_unclaimed_ports_float)
{
	ck_assert_ptr_null(io_bus_find(&vm->bus, 0x80));
	ck_assert_uint_eq(io_bus_read(vm, &vm->bus, 0x80, 1), 0xff);
	ck_assert_uint_eq(io_bus_read(vm, &vm->bus, 0x80, 2), 0xffff);
	ck_assert_uint_eq(io_bus_read(vm, &vm->bus, 0x80, 4), 0xffffffffu);
	ck_assert_uint_eq(io_bus_read(vm, &vm->bus, 0, 1), 0xff);
	ck_assert_uint_eq(io_bus_read(vm, &vm->bus, 0xffff, 4), 0xffffffffu);
	/* Right next to the test device: still nobody there. */
	ck_assert_uint_eq(io_bus_read(vm, &vm->bus, TEST_DEVICE_PORT - 1, 1), 0xff);
	ck_assert_uint_eq(io_bus_read(vm, &vm->bus, TEST_DEVICE_PORT + TEST_DEVICE_PORTS, 2), 0xffff);
	ck_assert_uint_eq(vm->bus.unclaimed_reads, 7);
	io_bus_write(vm, &vm->bus, 0x80, 1, 0x12);
	io_bus_write(vm, &vm->bus, 0x5010, 4, 0x12345678);
	ck_assert_uint_eq(vm->bus.unclaimed_writes, 2);
	/* Unclaimed accesses are not test-device accesses, and print nothing. */
	ck_assert_uint_eq(vm->test_accesses, 0);
	ck_assert_str_eq(hv_fake_output(), "");
	ck_assert_int_eq(vm->stop, VM_RUNNING);
}
END_TEST

START_TEST(test_standard_devices_placed)
{
	ck_assert_ptr_eq(io_bus_find(&vm->bus, 0xe9), &debug_port_device);
	ck_assert_ptr_eq(io_bus_find(&vm->bus, 0xf4), &exit_port_device);
	ck_assert_ptr_eq(io_bus_find(&vm->bus, 0x5000), &test_device);
	ck_assert_ptr_eq(io_bus_find(&vm->bus, 0x500f), &test_device);
	ck_assert_ptr_null(io_bus_find(&vm->bus, 0xe8));
	ck_assert_ptr_null(io_bus_find(&vm->bus, 0xea));
	ck_assert_ptr_null(io_bus_find(&vm->bus, 0xf5));
	ck_assert_ptr_null(io_bus_find(&vm->bus, 0x5010));
	/* The ABI numbers guests are built with. */
	ck_assert_uint_eq(VEXIT_DEBUG_PORT, 0xe9);
	ck_assert_uint_eq(VEXIT_EXIT_PORT, 0xf4);
	ck_assert_uint_eq(VEXIT_TEST_DEVICE, 0x5000);
}
END_TEST

/* --- the test device ------------------------------------------------------------------- */

static uint32_t tin(uint16_t off, unsigned size)
{
	return io_bus_read(vm, &vm->bus, (uint16_t)(TEST_DEVICE_PORT + off), size);
}

static void tout(uint16_t off, unsigned size, uint32_t v)
{
	io_bus_write(vm, &vm->bus, (uint16_t)(TEST_DEVICE_PORT + off), size, v);
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
	ck_assert_uint_eq(vm->test_latch[0], 0x78);
	ck_assert_uint_eq(vm->test_latch[3], 0x12);
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
	ck_assert_uint_eq(vm->test_accesses, 10);
	/* Other devices do not count. */
	io_bus_write(vm, &vm->bus, DEBUG_PORT, 1, 'x');
	(void)io_bus_read(vm, &vm->bus, DEBUG_PORT, 1);
	ck_assert_uint_eq(vm->test_accesses, 10);
	/* A large count reads back in pieces. */
	vm->test_accesses = 0x01020304;
	ck_assert_uint_eq(tin(TEST_DEVICE_ACCESSES + 3, 1), 0x01);
	ck_assert_uint_eq(tin(TEST_DEVICE_ACCESSES + 0, 1), 0x05);
}
END_TEST

START_TEST(test_device_past_the_end_floats)
{
	vm->test_accesses = 0xa1b2c3d4u;
	/* Bytes 0xe and 0xf are the count's top bytes; 0x10 and 0x11 are past the device: 0xff. */
	ck_assert_uint_eq(tin(0xe, 4), 0xffffa1b2u);
	ck_assert_uint_eq(tin(0xf, 2), 0xffa1);
	/* Writing there changes nothing and does not touch memory beyond the latch. */
	tout(0xe, 4, 0);
	ck_assert_uint_eq(vm->test_latch[0] | vm->test_latch[1] | vm->test_latch[2] | vm->test_latch[3], 0);
}
END_TEST

/* --- the debug port -------------------------------------------------------------------- */

static void dput(const char *s)
{
	for (; *s; s++)
		io_bus_write(vm, &vm->bus, DEBUG_PORT, 1, (uint8_t)*s);
}

START_TEST(test_debug_port_line)
{
	dput("hello from a guest");
	ck_assert_str_eq(hv_fake_output(), ""); /* nothing until the newline */
	dput("\n");
	ck_assert_str_eq(hv_fake_output(), "VEXIT guest unit hello from a guest\n");
	ck_assert_uint_eq(hv_fake_output_calls(), 1);
	ck_assert_uint_eq(vm->debug_line_len, 0);
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
	debug_port_flush(vm);
	ck_assert_str_eq(hv_fake_output(), "");
	ck_assert_uint_eq(hv_fake_output_calls(), 0);
}
END_TEST

START_TEST(test_debug_port_flush_partial)
{
	dput("no newline at the end");
	debug_port_flush(vm);
	ck_assert_str_eq(hv_fake_output(), "VEXIT guest unit no newline at the end\n");
	/* Flushed once: a second flush prints nothing more. */
	debug_port_flush(vm);
	ck_assert_uint_eq(hv_fake_output_calls(), 1);
	dput("next\n");
	ck_assert_str_eq(hv_fake_output(), "VEXIT guest unit no newline at the end\nVEXIT guest unit next\n");
}
END_TEST

START_TEST(test_debug_port_unprintable)
{
	const uint8_t bytes[] = { 'a', '\t', 'b', '\r', 0x00, 0x1b, 0x7f, 0x80, 0xff, '~', ' ', 'z', '\n' };
	for (size_t i = 0; i < sizeof(bytes); i++)
		io_bus_write(vm, &vm->bus, DEBUG_PORT, 1, bytes[i]);
	ck_assert_str_eq(hv_fake_output(), "VEXIT guest unit a?b??????~ z\n");
}
END_TEST

START_TEST(test_debug_port_wide_writes)
{
	/* out dx, ax / out dx, eax: bytes go out low first. */
	io_bus_write(vm, &vm->bus, DEBUG_PORT, 2, 'h' | 'i' << 8);
	io_bus_write(vm, &vm->bus, DEBUG_PORT, 4, (uint32_t)' ' | 'o' << 8 | 'k' << 16 | (uint32_t)'\n' << 24);
	ck_assert_str_eq(hv_fake_output(), "VEXIT guest unit hi ok\n");
	hv_fake_output_reset();
	/* Only `size` bytes of the value are used. */
	io_bus_write(vm, &vm->bus, DEBUG_PORT, 1, 0x41424344u);
	io_bus_write(vm, &vm->bus, DEBUG_PORT, 1, '\n');
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
	ck_assert_int_eq(vm->debug_line[DEBUG_LINE_MAX], '\0');
}
END_TEST

START_TEST(test_debug_port_read)
{
	ck_assert_uint_eq(io_bus_read(vm, &vm->bus, DEBUG_PORT, 1), 0xe9);
	ck_assert_uint_eq(vm->bus.unclaimed_reads, 0);
	ck_assert_str_eq(hv_fake_output(), "");
}
END_TEST

/* --- the exit port --------------------------------------------------------------------- */

START_TEST(test_exit_port_stops)
{
	ck_assert_int_eq(vm->stop, VM_RUNNING);
	io_bus_write(vm, &vm->bus, EXIT_PORT, 1, 7);
	ck_assert_int_eq(vm->stop, VM_STOP_DONE);
	ck_assert_str_eq(vm->stop_fields, "status=7");
	ck_assert_str_eq(vm_stop_name(vm->stop), "done");
}
END_TEST

START_TEST(test_exit_port_wide_status)
{
	io_bus_write(vm, &vm->bus, EXIT_PORT, 4, 0xffffffffu);
	ck_assert_int_eq(vm->stop, VM_STOP_DONE);
	ck_assert_str_eq(vm->stop_fields, "status=4294967295");
}
END_TEST

START_TEST(test_exit_port_zero_and_first_stop_wins)
{
	io_bus_write(vm, &vm->bus, EXIT_PORT, 1, 0);
	ck_assert_int_eq(vm->stop, VM_STOP_DONE);
	ck_assert_str_eq(vm->stop_fields, "status=0");
	io_bus_write(vm, &vm->bus, EXIT_PORT, 1, 3);
	ck_assert_int_eq(vm->stop, VM_STOP_DONE);
	ck_assert_str_eq(vm->stop_fields, "status=0");
}
END_TEST

START_TEST(test_exit_port_after_other_stop)
{
	vm_stop(vm, VM_STOP_BUDGET, "budget=%lu", 100ul);
	io_bus_write(vm, &vm->bus, EXIT_PORT, 1, 1);
	ck_assert_int_eq(vm->stop, VM_STOP_BUDGET);
	ck_assert_str_eq(vm->stop_fields, "budget=100");
}
END_TEST

START_TEST(test_exit_port_reads_float)
{
	ck_assert_uint_eq(io_bus_read(vm, &vm->bus, EXIT_PORT, 1), 0xff);
	ck_assert_uint_eq(io_bus_read(vm, &vm->bus, EXIT_PORT, 4), 0xffffffffu);
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
	tcase_add_test(bus, test_overlap_rejected);
	tcase_add_test(bus, test_port_range_edges);
	tcase_add_test(bus, test_bus_full);
	tcase_add_test(bus, test_unclaimed_ports_float);
	tcase_add_test(bus, test_standard_devices_placed);
	suite_add_tcase(s, bus);
	TCase *td = tcase_create("test_device");
	tcase_add_checked_fixture(td, setup, teardown);
	tcase_add_test(td, test_device_id);
	tcase_add_test(td, test_device_latch_and_inverted);
	tcase_add_test(td, test_device_narrow_writes);
	tcase_add_test(td, test_device_access_count);
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
