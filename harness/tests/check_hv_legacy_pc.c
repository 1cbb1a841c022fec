/*
 * Unit tests of the legacy PC an external kernel finds as firmware leaves it:
 * the 8259A pair (vm/dev_pic.c), the 8254's counter 0 on IRQ0 (vm/dev_pit.c),
 * and the real-mode interrupt vector table with its EOI handlers
 * (vm/bios_ivt.c). The devices are reached through the VM's bus, as the I/O exit
 * handler reaches them, and through the pending / acknowledge pair an injection
 * core calls.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "run_suite.h"
#include "test_vm.h"
#include "vm/bios_ivt.h"
#include "vm/devices.h"
#include "vm/guest_mem.h"
#include "vm/io_bus.h"
#include "vm/pic.h"
#include "vm/pit.h"
#include "vm/vm.h"

static struct vm *vm;

static void setup(void)
{
	vm = calloc(1, sizeof(*vm));
	ck_assert_ptr_nonnull(vm);
	vm->kind = VM_EXTERNAL_KERNEL;
	const char *failed = NULL;
	ck_assert(vm_attach_devices(vm, &failed));
	ck_assert_ptr_nonnull(vm->pic);
	ck_assert_ptr_nonnull(vm->pit);
}

static void teardown(void)
{
	free(vm);
	vm = NULL;
}

static uint8_t in(uint16_t port)
{
	return (uint8_t)io_bus_read(&vm->bus, port, 1);
}

static void out(uint16_t port, uint8_t v)
{
	io_bus_write(&vm->bus, port, 1, v);
}

static void pulse(unsigned irq)
{
	pic_set_irq(vm->pic, irq, true);
	pic_set_irq(vm->pic, irq, false);
}

/* --- the 8259A pair ---------------------------------------------------------------------- */

START_TEST(test_pic_as_firmware_leaves_it)
{
	ck_assert_str_eq(io_bus_find(&vm->bus, 0x20)->dev->name, "pic");
	ck_assert_str_eq(io_bus_find(&vm->bus, 0xa1)->dev->name, "pic");
	ck_assert_uint_eq(in(0x21), PIC_BIOS_MASTER_MASK);
	ck_assert_uint_eq(in(0xa1), PIC_BIOS_SLAVE_MASK);
	ck_assert(!pic_intr(vm->pic));
	/* The keyboard's IRQ1 is masked: nothing. The timer's IRQ0 is not: vector 0x08. */
	pulse(1);
	ck_assert(!pic_intr(vm->pic));
	pulse(0);
	ck_assert(pic_intr(vm->pic));
	ck_assert_uint_eq(pic_acknowledge(vm->pic), 0x08);
	ck_assert(!pic_intr(vm->pic));
	out(0x20, 0x0b); /* OCW3: read the ISR */
	ck_assert_uint_eq(in(0x20), 0x01);
	out(0x20, PIC_OCW2_EOI);
	ck_assert_uint_eq(in(0x20), 0x00);
	/* Unmasking IRQ1 lets its request through: it was latched while masked. */
	out(0x21, 0xf8);
	ck_assert(pic_intr(vm->pic));
	ck_assert_uint_eq(pic_acknowledge(vm->pic), 0x09);
}
END_TEST

START_TEST(test_pic_priority_and_nesting)
{
	out(0x21, 0xfc);
	pulse(1);
	pulse(0);
	ck_assert_uint_eq(in(0x20), 0x03); /* reads return the IRR by default */
	ck_assert_uint_eq(pic_acknowledge(vm->pic), 0x08); /* IR0 first */
	ck_assert(!pic_intr(vm->pic));                     /* IR1 waits while IR0 is in service */
	out(0x20, PIC_OCW2_EOI);
	ck_assert(pic_intr(vm->pic));
	ck_assert_uint_eq(pic_acknowledge(vm->pic), 0x09);
	/* A higher priority request interrupts a lower one in service. */
	pulse(0);
	ck_assert(pic_intr(vm->pic));
	ck_assert_uint_eq(pic_acknowledge(vm->pic), 0x08);
	out(0x20, 0x0b);
	ck_assert_uint_eq(in(0x20), 0x03);
	/* A specific EOI of IR1 leaves IR0 in service. */
	out(0x20, PIC_OCW2_EOI | PIC_OCW2_SL | 1);
	ck_assert_uint_eq(in(0x20), 0x01);
}
END_TEST

START_TEST(test_pic_edges)
{
	pic_set_irq(vm->pic, 0, true);
	ck_assert_uint_eq(pic_acknowledge(vm->pic), 0x08);
	out(0x20, PIC_OCW2_EOI);
	/* Still high: no new edge, no new request. */
	pic_set_irq(vm->pic, 0, true);
	ck_assert(!pic_intr(vm->pic));
	pic_set_irq(vm->pic, 0, false);
	pic_set_irq(vm->pic, 0, true);
	ck_assert(pic_intr(vm->pic));
	/* With nothing requested, an acknowledge gets the spurious IR7 and puts nothing in service. */
	ck_assert_uint_eq(pic_acknowledge(vm->pic), 0x08);
	ck_assert_uint_eq(pic_acknowledge(vm->pic), 0x0f);
	out(0x20, 0x0b);
	ck_assert_uint_eq(in(0x20), 0x01);
	pic_set_irq(vm->pic, 16, true); /* no such input: ignored */
}
END_TEST

START_TEST(test_pic_cascade)
{
	/* IRQ 11 (slave IR3), unmasked as a driver would: through the master's IR2, vector 0x73. */
	out(0xa1, 0xf7);
	pulse(11);
	ck_assert(pic_intr(vm->pic));
	ck_assert_uint_eq(pic_acknowledge(vm->pic), 0x73);
	out(0x20, 0x0b);
	out(0xa0, 0x0b);
	ck_assert_uint_eq(in(0x20), 1u << PIC_CASCADE_IRQ);
	ck_assert_uint_eq(in(0xa0), 0x08);
	/* The timer still gets in: IR0 is above the cascade. */
	pulse(0);
	ck_assert(pic_intr(vm->pic));
	ck_assert_uint_eq(pic_acknowledge(vm->pic), 0x08);
	out(0x20, PIC_OCW2_EOI);
	out(0xa0, PIC_OCW2_EOI);
	out(0x20, PIC_OCW2_EOI);
	ck_assert_uint_eq(in(0x20), 0);
	ck_assert_uint_eq(in(0xa0), 0);
	/* A masked slave input reaches nothing. */
	out(0xa1, 0xff);
	pulse(11);
	ck_assert(!pic_intr(vm->pic));
}
END_TEST

START_TEST(test_pic_initialized_as_linux_does)
{
	/* ICW1 (edge, cascade, ICW4), ICW2 the vector base, ICW3 the wiring, ICW4 8086 mode. */
	static const uint8_t master[] = { 0x11, 0x20, 0x04, 0x01 }, slave[] = { 0x11, 0x28, 0x02, 0x01 };
	out(0x20, master[0]);
	ck_assert_uint_eq(in(0x21), 0); /* ICW1 clears the mask */
	for (unsigned i = 1; i < 4; i++)
		out(0x21, master[i]);
	out(0xa0, slave[0]);
	for (unsigned i = 1; i < 4; i++)
		out(0xa1, slave[i]);
	out(0x21, 0xfa);
	out(0xa1, 0xfe);
	pulse(8);
	ck_assert_uint_eq(pic_acknowledge(vm->pic), 0x28);
	pulse(0);
	ck_assert_uint_eq(pic_acknowledge(vm->pic), 0x20);
	/* kvm-unit-tests' mask_pic_interrupts: everything masked, nothing gets through. */
	out(0x20, PIC_OCW2_EOI);
	out(0xa0, PIC_OCW2_EOI);
	out(0x20, PIC_OCW2_EOI);
	out(0x21, 0xff);
	out(0xa1, 0xff);
	pulse(0);
	pulse(8);
	ck_assert(!pic_intr(vm->pic));
}
END_TEST

START_TEST(test_pic_auto_eoi_and_wide_access)
{
	out(0x20, PIC_ICW1 | PIC_ICW1_IC4 | PIC_ICW1_SNGL);
	out(0x21, 0x40);
	out(0x21, PIC_ICW4_AEOI | 1); /* no ICW3 for a single chip */
	out(0x21, 0x00);
	ck_assert_uint_eq(in(0x21), 0x00);
	pulse(2);
	ck_assert_uint_eq(pic_acknowledge(vm->pic), 0x42); /* single: IR2 is an input like the others */
	out(0x20, 0x0b);
	ck_assert_uint_eq(in(0x20), 0); /* automatic EOI: nothing stays in service */
	/* A 16-bit read of 0x20 reads both of the chip's ports; one of 0x21 floats past them. */
	out(0x21, 0x5a);
	ck_assert_uint_eq(io_bus_read(&vm->bus, 0x20, 2), 0x5a00);
	ck_assert_uint_eq(io_bus_read(&vm->bus, 0x21, 2), 0xff5a);
}
END_TEST

/* --- the 8254's counter 0 ------------------------------------------------------------------- */

START_TEST(test_pit_as_firmware_leaves_it)
{
	ck_assert_str_eq(io_bus_find(&vm->bus, 0x43)->dev->name, "pit");
	struct pit *t = vm->pit;
	/* Mode 3, 65536: the first IRQ0 edge 65536 clocks (54925.4 guest ticks) in, then one a period. */
	uint64_t first = pit_next_edge(t, 0);
	ck_assert_uint_eq(first, 54926);
	ck_assert_uint_eq(pit_clocks(first), 65536);
	ck_assert(!pit_update(t, first - 1));
	ck_assert(!pic_intr(vm->pic));
	ck_assert(pit_update(t, first));
	ck_assert(pic_intr(vm->pic));
	ck_assert_uint_eq(pic_acknowledge(vm->pic), 0x08);
	ck_assert(!pit_update(t, first + 10));
	ck_assert_uint_eq(pit_next_edge(t, first), pit_guest_ticks(2 * 65536));
	/* Several periods at once are one edge, as the 8259A's latch takes them. */
	out(0x20, PIC_OCW2_EOI);
	ck_assert(pit_update(t, pit_guest_ticks(5 * 65536)));
	ck_assert_uint_eq(pic_acknowledge(vm->pic), 0x08);
	out(0x20, PIC_OCW2_EOI);
	ck_assert(!pic_intr(vm->pic));
}
END_TEST

START_TEST(test_pit_rate_generator_and_latch)
{
	struct pit *t = vm->pit;
	/* Linux's 1000 Hz: counter 0, LSB then MSB, mode 2, count 1193. */
	pit_write(t, PIT_MODE_PORT, 0x34, 1000);
	ck_assert_uint_eq(pit_next_edge(t, 1000), UINT64_MAX); /* stopped until the count is written */
	pit_write(t, PIT_COUNTER0_PORT, 1193 & 0xff, 1000);
	pit_write(t, PIT_COUNTER0_PORT, 1193 >> 8, 2000);
	uint64_t start = pit_clocks(2000);
	ck_assert_uint_eq(pit_next_edge(t, 2000), pit_guest_ticks(start + 1193));
	ck_assert_uint_eq(pit_count(t, start + 100), 1093);
	/* A latch holds the count until both bytes are read, however late. */
	pit_write(t, PIT_MODE_PORT, 0x00, pit_guest_ticks(start + 100));
	uint16_t latched = pit_count(t, pit_clocks(pit_guest_ticks(start + 100)));
	ck_assert_uint_eq(pit_read(t, PIT_COUNTER0_PORT, 900000), latched & 0xff);
	ck_assert_uint_eq(pit_read(t, PIT_COUNTER0_PORT, 900000), latched >> 8);
	/* Unlatched, it reads the running count. */
	uint64_t now = pit_guest_ticks(start + 3 * 1193 + 7);
	uint16_t c = pit_read(t, PIT_COUNTER0_PORT, now);
	c |= (uint16_t)(pit_read(t, PIT_COUNTER0_PORT, now) << 8);
	ck_assert_uint_eq(c, pit_count(t, pit_clocks(now)));
	ck_assert_uint_le(c, 1193);
	ck_assert_uint_eq(pit_edges(t, pit_clocks(now)), 3);
	/* The read-back command latches too. */
	pit_write(t, PIT_MODE_PORT, 0xc0 | PIT_READ_BACK_COUNTER0, now); /* bit 5 clear: the count */
	ck_assert(t->latched);
	/* Counters 1 and 2 are not there. */
	ck_assert_uint_eq(in(0x41), 0xff);
	pit_write(t, PIT_MODE_PORT, 0x74, now); /* counter 1: ignored */
	ck_assert_uint_eq(t->mode, 2);
}
END_TEST

START_TEST(test_pit_one_shot_and_gated_modes)
{
	struct pit *t = vm->pit;
	/* Mode 0, LSB only, count 100: one edge, then none. */
	pit_write(t, PIT_MODE_PORT, 0x10, 0);
	pit_write(t, PIT_COUNTER0_PORT, 100, 0);
	ck_assert_uint_eq(pit_next_edge(t, 0), pit_guest_ticks(100));
	ck_assert(pit_update(t, pit_guest_ticks(100)));
	ck_assert_uint_eq(pit_next_edge(t, pit_guest_ticks(100)), UINT64_MAX);
	ck_assert(!pit_update(t, 10000000));
	ck_assert_uint_eq(pit_edges(t, 1000000), 1);
	/* Mode 1 waits for a gate edge counter 0 never gets. */
	pit_write(t, PIT_MODE_PORT, 0x32, 0);
	pit_write(t, PIT_COUNTER0_PORT, 10, 0);
	pit_write(t, PIT_COUNTER0_PORT, 0, 0);
	ck_assert_uint_eq(pit_edges(t, 1000000), 0);
	ck_assert_uint_eq(pit_next_edge(t, 0), UINT64_MAX);
	/* Mode 6 is mode 2; MSB only; a count of 0 is 65536. */
	pit_write(t, PIT_MODE_PORT, 0x2c, 0);
	ck_assert_uint_eq(t->mode, 2);
	pit_write(t, PIT_COUNTER0_PORT, 0, 0);
	ck_assert_uint_eq(t->reload, 65536);
}
END_TEST

/* --- the interrupt vector table -------------------------------------------------------------- */

START_TEST(test_ivt_and_handlers)
{
	struct test_vm tv;
	test_vm_create(&tv, "kut", 0x55);
	ck_assert_ptr_null(bios_ivt_write(tv.vm));
	uint32_t ivt[BIOS_IVT_VECTORS];
	ck_assert(guest_mem_read(tv.vm, 0, ivt, sizeof(ivt)));
	/* Far pointers F000:0300 + the handler's offset: IRQ0-7 at 0x08, IRQ8-15 at 0x70, the rest IRET. */
	ck_assert_uint_eq(ivt[0x00], 0xf0000300u);
	ck_assert_uint_eq(ivt[0x08], 0xf0000301u);
	ck_assert_uint_eq(ivt[0x0f], 0xf0000301u);
	ck_assert_uint_eq(ivt[0x10], 0xf0000300u);
	ck_assert_uint_eq(ivt[0x70], 0xf0000308u);
	ck_assert_uint_eq(ivt[0x73], 0xf0000308u);
	ck_assert_uint_eq(ivt[0x78], 0xf0000300u);
	ck_assert_uint_eq(ivt[0xff], 0xf0000300u);
	uint8_t code[BIOS_STUB_SIZE];
	ck_assert(guest_mem_read(tv.vm, BIOS_STUB_ADDR, code, sizeof(code)));
	static const uint8_t want[] = { 0xcf,
					0x50, 0xb0, 0x20, 0xe6, 0x20, 0x58, 0xcf,                  /* master EOI */
					0x50, 0xb0, 0x20, 0xe6, 0xa0, 0xe6, 0x20, 0x58, 0xcf };    /* slave, master */
	ck_assert_int_eq(memcmp(code, want, sizeof(want)), 0);
	/* Nothing else of the BIOS area is touched. */
	uint8_t after;
	ck_assert(guest_mem_read(tv.vm, BIOS_STUB_ADDR + BIOS_STUB_SIZE, &after, 1));
	ck_assert_uint_eq(after, 0x55);
	test_vm_destroy(&tv);
}
END_TEST

static Suite *legacy_pc_suite(void)
{
	Suite *s = suite_create("hv_legacy_pc");
	TCase *tc = tcase_create("legacy_pc");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_pic_as_firmware_leaves_it);
	tcase_add_test(tc, test_pic_priority_and_nesting);
	tcase_add_test(tc, test_pic_edges);
	tcase_add_test(tc, test_pic_cascade);
	tcase_add_test(tc, test_pic_initialized_as_linux_does);
	tcase_add_test(tc, test_pic_auto_eoi_and_wide_access);
	tcase_add_test(tc, test_pit_as_firmware_leaves_it);
	tcase_add_test(tc, test_pit_rate_generator_and_latch);
	tcase_add_test(tc, test_pit_one_shot_and_gated_modes);
	tcase_add_test(tc, test_ivt_and_handlers);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(legacy_pc_suite(), CK_NORMAL);
}
